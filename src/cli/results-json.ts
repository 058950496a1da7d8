import type { Validity } from '../checkers/types.js';
import { stringifyExact } from '../history/exact.js';

/**
 * The version of what `check --json`, `run --json` and `analyze --json` print (docs/json.md). Bump it on
 * an incompatible change (a field removed or retyped); adding a field is compatible and keeps it.
 */
export const RESULTS_SCHEMA = 'faultline.results/1';

/** One checked history: `file` (for run and analyze, the run's folder), its verdict, and whatever else the command knows. */
export interface ResultEntry {
  file: string;
  valid: Validity;
}
/** A file that could not be checked (check only: run and analyze fail as a whole, with an exit code and stderr). */
export interface FailedEntry {
  file: string;
  error: { kind: string; messages: string[] };
}

export interface ResultsDocument<T extends ResultEntry = ResultEntry> {
  schema: typeof RESULTS_SCHEMA;
  summary: { files: number; valid: number; invalid: number; unknown: number; failed: number };
  results: (T | FailedEntry)[];
}

export function resultsDocument<T extends ResultEntry>(entries: (T | FailedEntry)[]): ResultsDocument<T> {
  const ok = entries.filter((r): r is T => !('error' in r));
  const count = (v: Validity) => ok.filter((r) => r.valid === v).length;
  return {
    schema: RESULTS_SCHEMA,
    summary: { files: entries.length, valid: count(true), invalid: count(false), unknown: count('unknown'), failed: entries.length - ok.length },
    results: entries,
  };
}

/** The document as printed: 64-bit integers from histories keep their exact value; 2-space indent. */
export function printResults<T extends ResultEntry>(doc: ResultsDocument<T>): void {
  console.log(stringifyExact(doc, 2));
}
