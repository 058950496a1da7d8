import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The real CLI, built next to this file (dist/bench/soak -> dist/src/cli/main.js). */
export const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export interface ChildOutcome {
  runId?: string;
  /** The stored run's directory, from the CLI's "stored in" line or the store's latest link. */
  dir?: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** How the process ended: by itself, or killed by us after the bound (hung). */
  ended: 'exited' | 'hung';
  wallMs: number;
  /** When the CLI said the workload started, ms after spawn; undefined when it never did. */
  workloadStartMs?: number;
  /** ms from the workload's scheduled end (its start + time limit) to the process's exit. */
  exitAfterWorkloadMs?: number;
  /** stderr/stdout lines that look like errors (the first few), for the report. */
  errors: string[];
  log: string;
}

export interface ChildSpec {
  args: string[];
  timeLimitS: number;
  store: string;
  name: string;
  /** Bound on the whole process after the workload's scheduled end, s; then SIGTERM, and SIGKILL 60 s later. */
  graceS: number;
  /** Bound on cluster start (spawn to the workload's start), s. */
  startS: number;
  log: string;
  onLine?: (line: string) => void;
}

const ERROR_RE = /error|failed|cannot|refus|timed out|not supported|exception|hung|teardown:|healing /i;

/**
 * Runs `node dist/src/cli/main.js run ...` as a child process (so "exited on its own" is measured), logs
 * its output, and kills it by its PID when it outlives the bound: SIGTERM first (the run heals and tears
 * down on it), SIGKILL 60 s later.
 */
export function runChild(spec: ChildSpec): Promise<ChildOutcome> {
  const t0 = Date.now();
  const log = createWriteStream(spec.log);
  const child = spawn(process.execPath, [CLI, 'run', ...spec.args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Partial<ChildOutcome> & { errors: string[] } = { errors: [] };
  let killedByUs = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = (ms: number) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      killedByUs = true;
      spec.onLine?.(`soak: the run is past its bound; SIGTERM to pid ${child.pid}`);
      child.kill('SIGTERM');
      timer = setTimeout(() => {
        spec.onLine?.(`soak: still running 60 s after SIGTERM; SIGKILL to pid ${child.pid}`);
        child.kill('SIGKILL');
      }, 60_000);
    }, ms);
  };
  arm((spec.startS + spec.timeLimitS + spec.graceS) * 1000);
  const onText = (stream: 'out' | 'err') => {
    let rest = '';
    return (chunk: Buffer) => {
      rest += chunk.toString('utf8');
      const lines = rest.split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        const ms = Date.now() - t0;
        log.write(`${(ms / 1000).toFixed(1).padStart(7)} ${stream} ${line}\n`);
        spec.onLine?.(line);
        const id = /^faultline run ([0-9a-f]+):/.exec(line);
        if (id) out.runId = id[1];
        if (/^running the workload for/.test(line) && out.workloadStartMs === undefined) {
          out.workloadStartMs = ms;
          arm((spec.timeLimitS + spec.graceS) * 1000);
        }
        const stored = /^stored in (.+)$/.exec(line);
        if (stored) out.dir = stored[1];
        if (ERROR_RE.test(line) && out.errors.length < 8) out.errors.push(line);
      }
    };
  };
  child.stdout.on('data', onText('out'));
  child.stderr.on('data', onText('err'));
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      const wallMs = Date.now() - t0;
      log.end();
      const dir = out.dir ?? latestRun(spec.store, spec.name);
      resolve({
        ...out,
        ...(dir ? { dir } : {}),
        code,
        signal,
        ended: killedByUs ? 'hung' : 'exited',
        wallMs,
        ...(out.workloadStartMs !== undefined ? { exitAfterWorkloadMs: wallMs - out.workloadStartMs - spec.timeLimitS * 1000 } : {}),
        errors: out.errors,
        log: spec.log,
      });
    });
  });
}

/** The newest run stored under <store>/<name>/ (its `latest` link, else the last timestamp folder). */
function latestRun(store: string, name: string): string | undefined {
  const base = join(store, name);
  if (!existsSync(base)) return undefined;
  const latest = join(base, 'latest');
  if (existsSync(latest)) return realpathSync(latest);
  const dirs = readdirSync(base)
    .filter((d) => d !== 'latest')
    .sort();
  return dirs.length > 0 ? join(base, dirs[dirs.length - 1]!) : undefined;
}
