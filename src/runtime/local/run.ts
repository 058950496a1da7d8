import { execFile } from 'node:child_process';
import { constants } from 'node:os';
import { bin } from './bins.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
  input?: string;
}

/** Runs argv (argv[0] looked up with `bin`) and resolves with its exit code; never through a shell. */
export function run(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
  const [cmd, ...args] = argv;
  if (!cmd) return Promise.reject(new Error('run: empty argv'));
  const file = cmd.startsWith('/') ? cmd : bin(cmd);
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      {
        env: opts.env,
        cwd: opts.cwd,
        timeout: opts.timeoutMs ?? 0,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (err, stdout, stderr) => {
        if (err && typeof (err as NodeJS.ErrnoException).code === 'string') {
          reject(new Error(`${argv.join(' ')}: ${err.message}`));
          return;
        }
        if (err && (err as { killed?: boolean }).killed && opts.timeoutMs) {
          reject(new Error(`${argv.join(' ')}: timed out after ${opts.timeoutMs} ms`));
          return;
        }
        const code = err ? (typeof err.code === 'number' ? err.code : 128 + signalNumber(err.signal)) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Runs argv and throws unless it exits 0; the error carries the command and its stderr. */
export async function must(argv: string[], opts: RunOptions = {}): Promise<string> {
  const r = await run(argv, opts);
  if (r.code !== 0) throw new Error(`\`${argv.join(' ')}\` failed (exit ${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}

/** Shell convention: a process killed by signal N reports 128 + N. */
function signalNumber(sig: NodeJS.Signals | null | undefined): number {
  return sig ? (constants.signals[sig] ?? 0) : 0;
}
