import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runTest, type RunSpec } from '../run/run.js';
import { stamp, writeJson } from '../run/store.js';
import type { Suite } from './file.js';
import { judgeEntry, suiteOutcome } from './judge.js';
import { recordOf } from './record.js';
import { SUITE_SCHEMA, type EntryResult, type RunRecord, type SuiteEntry, type SuiteResult } from './types.js';
import { writeOutputs } from './outputs/index.js';

export interface SuiteOptions {
  /** The suite's folder; default suites/<name>/<timestamp>/ (with suites/<name>/latest). */
  out?: string;
  /** Runs at once (default 1). They share the machine's cores: timing-sensitive anomalies may change. */
  parallel?: number;
  baseline?: string;
  /** Progress lines (stderr in the CLI). */
  log: (line: string) => void;
  /** For tests: the run function (default runTest). */
  run?: typeof runTest;
  now?: () => Date;
}

export interface SuiteOutcome {
  result: SuiteResult;
  dir: string;
  /** True when a signal stopped the suite before every run had its turn. */
  stopped: boolean;
}

/** Creates suites/<name>/<timestamp>/ and points suites/<name>/latest at it (as the run store does). */
export function createSuiteDir(root: string, name: string, now = new Date()): string {
  const base = join(resolve(root), name);
  mkdirSync(base, { recursive: true });
  let ts = stamp(now);
  for (let i = 2; existsSync(join(base, ts)); i++) ts = `${stamp(now)}-${i}`;
  const dir = join(base, ts);
  mkdirSync(dir, { recursive: true });
  const latest = join(base, 'latest');
  const tmp = `${latest}.tmp-${process.pid}`;
  rmSync(tmp, { force: true });
  symlinkSync(ts, tmp);
  renameSync(tmp, latest);
  return dir;
}

/** The RunSpec of one repetition of an entry: its runs go under <out>/runs/<id>/<timestamp>/. */
export function specOf(e: SuiteEntry, repetition: number, store: string, argv: string[]): RunSpec {
  return {
    ...(e.adapter !== undefined ? { adapter: e.adapter, db: e.db } : { db: e.db }),
    workload: e.workload,
    nemesis: e.nemesis,
    timeLimitS: e.timeLimitS,
    concurrency: e.concurrency,
    rate: e.rate,
    nodes: e.nodes,
    ...(e.replication !== undefined ? { replication: e.replication } : {}),
    reads: e.reads,
    ...(e.sentinel ? { sentinel: true } : {}),
    ...(e.topology !== undefined ? { topology: e.topology } : {}),
    ...(e.writesTo !== undefined ? { writesTo: e.writesTo } : {}),
    ...(e.convergeWithinS !== undefined ? { convergeWithinS: e.convergeWithinS } : {}),
    keys: e.keys ?? 5,
    seed: (e.seed + repetition) % 0x100000000,
    runtime: e.runtime,
    ...(e.image !== undefined ? { image: e.image } : {}),
    opTimeoutMs: (e.opTimeoutS ?? 5) * 1000,
    nemesisIntervalS: e.nemesisIntervalS ?? 5,
    recoveryTimeoutS: e.recoveryTimeoutS ?? 30,
    store,
    name: e.id,
    argv,
  };
}

/** "invalid (read-your-writes)", "valid", "unknown (staleness)", "failed: ..." */
function verdictWords(r: RunRecord): string {
  if (r.error !== undefined && Object.keys(r.verdicts).length === 0) return `failed: ${r.error.split('\n')[0]}`;
  const bad = Object.entries(r.verdicts)
    .filter(([, v]) => v === false)
    .map(([c]) => c);
  const unknown = Object.entries(r.verdicts)
    .filter(([, v]) => v === 'unknown')
    .map(([c]) => c);
  const head =
    r.valid === true ? 'valid' : r.valid === false ? `invalid (${bad.join(', ')})` : `unknown${unknown.length > 0 ? ` (${unknown.join(', ')})` : ''}`;
  return r.error !== undefined ? `${head}; ${r.error}` : head;
}

/**
 * Runs a suite: every repetition of every entry through runTest (one at a time, or up to `parallel` at
 * once), each judged against its expectation, then suite.json (SuiteResult) in the suite's folder and
 * the outputs (src/suite/outputs, when built). A first SIGINT/SIGTERM starts no new run: the runs going
 * on heal and tear down (runTest's own handlers), and suite.json records what finished.
 */
export async function runSuite(suite: Suite, opts: SuiteOptions): Promise<SuiteOutcome> {
  const now = opts.now ?? (() => new Date());
  const started = now();
  const dir = opts.out !== undefined ? resolve(opts.out) : createSuiteDir('suites', suite.name, started);
  mkdirSync(dir, { recursive: true });
  const store = join(dir, 'runs');
  const run = opts.run ?? runTest;
  const parallel = Math.max(1, opts.parallel ?? 1);
  const jobs = suite.entries.flatMap((entry) => Array.from({ length: entry.repeat }, (_, repetition) => ({ entry, repetition })));
  const records = new Map<string, RunRecord[]>(suite.entries.map((e) => [e.id, []]));

  let stopped = false;
  // Also reaches the runs still being prepared, which have no signal handlers of their own yet.
  const stop = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (stopped) return;
    stopped = true;
    stop.abort();
    opts.log(`${sig}: the suite starts no new run; the runs going on heal and tear down, then suite.json records what finished`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Each run adds its own SIGINT and SIGTERM handlers: N at once must not trip Node's leak warning (10).
  const maxListeners = process.getMaxListeners();
  if (maxListeners !== 0 && maxListeners < parallel + 10) process.setMaxListeners(parallel + 10);

  const width = String(jobs.length).length;
  let next = 0;
  const worker = async () => {
    while (!stopped && next < jobs.length) {
      const k = next++;
      const { entry, repetition } = jobs[k]!;
      const label = `[${String(k + 1).padStart(width)}/${jobs.length}] ${entry.id} rep ${repetition + 1}/${entry.repeat}`;
      const spec = specOf(entry, repetition, store, ['faultline', 'suite', suite.file, `(entry ${entry.id}, repetition ${repetition + 1})`]);
      if (parallel > 1) opts.log(`${label}: started`);
      const lines: string[] = [];
      const t0 = Date.now();
      let runDir: string | undefined;
      let error: string | undefined;
      try {
        const r = await run(spec, { log: (l) => lines.push(l), signal: stop.signal });
        runDir = r.dir;
        if (r.aborted) error = 'stopped by a signal before its time limit';
      } catch (e) {
        error = (e as Error).message.split('\n')[0];
        // A run that failed after its folder was made says where it is.
        runDir = /are in (\S+)$/m.exec((e as Error).message)?.[1];
      }
      const durationS = (Date.now() - t0) / 1000;
      if (runDir !== undefined) {
        try {
          writeFileSync(join(runDir, 'output.log'), lines.join('\n') + '\n');
        } catch {
          /* the log is a convenience */
        }
      }
      const rec = await recordOf(dir, runDir, {
        repetition,
        seed: spec.seed,
        durationS,
        timeLimitS: entry.timeLimitS,
        ...(error !== undefined ? { error } : {}),
      });
      records.get(entry.id)!.push(rec);
      opts.log(`${label}: ${verdictWords(rec)} ${durationS.toFixed(1)} s`);
      if (error !== undefined && lines.length > 0) for (const l of lines.slice(-5)) opts.log(`    ${l}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, () => worker()));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.setMaxListeners(maxListeners);
  }

  const entries: EntryResult[] = suite.entries.map((e) =>
    judgeEntry(
      e,
      [...records.get(e.id)!].sort((a, b) => a.repetition - b.repetition),
    ),
  );
  const result: SuiteResult = {
    schema: SUITE_SCHEMA,
    name: suite.name,
    file: suite.file,
    startedAt: started.toISOString(),
    durationS: Math.round((now().getTime() - started.getTime()) / 100) / 10,
    entries,
    outcome: suiteOutcome(entries),
  };
  writeJson(join(dir, 'suite.json'), result);
  // JUnit XML, the summaries, index.html and the trend against the baseline (src/suite/outputs/).
  writeOutputs(result, dir, opts.baseline);
  // The outputs may have added the baseline's trends: suite.json is the result as they left it.
  writeJson(join(dir, 'suite.json'), result);
  return { result, dir, stopped: stopped && next < jobs.length };
}
