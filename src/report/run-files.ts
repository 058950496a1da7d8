import { parseJsonExact } from '../history/exact.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { fsReason } from '../fs-words.js';
import { resultsProblem, runProblem } from './validate.js';

/** What run.json holds (as `faultline run` writes it); every field optional, since old or partial runs exist. */
export interface RunInfo {
  runId?: string;
  command?: string[];
  seed?: number;
  spec?: Record<string, unknown> & {
    db?: string;
    workload?: string;
    nemesis?: string;
    replication?: string;
    reads?: string;
    nodes?: number;
    concurrency?: number;
    rate?: number;
    timeLimitS?: number;
    recoveryTimeoutS?: number;
    topology?: string;
    writesTo?: string;
    convergeWithinS?: number;
  };
  versions?: Record<string, string>;
  cluster?: { database?: string; version?: string; nodes?: { name: string; ip?: string; role?: string }[] } & Record<string, unknown>;
  startedAt?: string;
  endedAt?: string;
  aborted?: boolean;
  error?: string;
  /** Documented limits of the database this configuration will show (see src/run/caveats.ts). */
  caveats?: string[];
  /** Multi-leader and leaderless runs: what the per-node final reads saw (src/run/node-reads.ts). */
  nodeReads?: { rounds?: number; disagreeing?: unknown[]; repair?: { ok: boolean; ms: number; error?: string } };
  /** Transactional workloads: the isolation level, the models checked and why each (src/run/txn-check.ts). */
  txnCheck?: { isolation?: string; consistency?: unknown; why?: Record<string, string> };
}

export interface StoredAnomaly {
  kind: string;
  ops: number[];
  explanation: string;
  data?: unknown;
}
export interface StoredVerdict {
  valid: boolean | 'unknown';
  anomalies: StoredAnomaly[];
  cause?: string;
  stats?: Record<string, unknown>;
  witness?: { key?: unknown; op: number; prefix: number[]; states: string[] };
}
export interface StoredResultsFile {
  valid: boolean | 'unknown';
  ops: number;
  verdicts: Record<string, StoredVerdict>;
  elapsedMs?: number;
  checkedAt?: string;
}

/**
 * Reads and parses a stored JSON file and checks its shape; an InputError (exit 65) in plain words
 * when it is missing, unreadable, truncated or of the wrong shape.
 */
export function readStoredJson<T>(file: string, problem: (v: unknown) => string | undefined): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read: ${fsReason(e)}`, file);
  }
  let v: unknown;
  try {
    v = parseJsonExact(text); // big integers stay exact
  } catch (e) {
    throw new InputError(`not valid JSON${text.trim() === '' ? ' (empty)' : ''}: ${(e as Error).message}`, file);
  }
  const p = problem(v);
  if (p) throw new InputError(`malformed: ${p}`, file);
  return v as T;
}

/** run.json and results.json of a run dir; results may be missing (a run that failed before checking). */
export function readRunFiles(dir: string): { run: RunInfo; results?: StoredResultsFile; historyFile: string } {
  if (!existsSync(dir)) throw new InputError('cannot read run: does not exist', dir);
  const runJson = join(dir, 'run.json');
  if (!existsSync(runJson)) throw new InputError('not a faultline run directory (no run.json)', dir);
  const historyFile = join(dir, 'history.jsonl');
  if (!existsSync(historyFile)) throw new InputError('not a complete run: it has no history.jsonl', dir);
  const resultsFile = join(dir, 'results.json');
  return {
    run: readStoredJson<RunInfo>(runJson, runProblem),
    results: existsSync(resultsFile) ? readStoredJson<StoredResultsFile>(resultsFile, resultsProblem) : undefined,
    historyFile,
  };
}
