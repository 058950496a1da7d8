import { parseJsonExact } from '../history/exact.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';

/** What run.json holds (as `faultline run` writes it); every field optional, since old or partial runs exist. */
export interface RunInfo {
  runId?: string;
  command?: string[];
  seed?: number;
  spec?: Record<string, unknown> & { db?: string; workload?: string; nemesis?: string; replication?: string; reads?: string;
    nodes?: number; concurrency?: number; rate?: number; timeLimitS?: number };
  versions?: Record<string, string>;
  cluster?: { database?: string; version?: string; nodes?: { name: string; ip?: string; role?: string }[] } & Record<string, unknown>;
  startedAt?: string;
  endedAt?: string;
  aborted?: boolean;
  error?: string;
}

export interface StoredAnomaly { kind: string; ops: number[]; explanation: string; data?: unknown }
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

function readJsonFile<T>(file: string): T {
  try {
    return parseJsonExact(readFileSync(file, 'utf8')) as T; // big integers stay exact
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

/** run.json and results.json of a run dir; results may be missing (a run that failed before checking). */
export function readRunFiles(dir: string): { run: RunInfo; results?: StoredResultsFile; historyFile: string } {
  const runJson = join(dir, 'run.json');
  if (!existsSync(runJson)) throw new UsageError(`${dir} is not a faultline run directory (no run.json)`);
  const historyFile = join(dir, 'history.jsonl');
  if (!existsSync(historyFile)) throw new UsageError(`${dir} has no history.jsonl`);
  const resultsFile = join(dir, 'results.json');
  return { run: readJsonFile<RunInfo>(runJson), results: existsSync(resultsFile) ? readJsonFile<StoredResultsFile>(resultsFile) : undefined, historyFile };
}
