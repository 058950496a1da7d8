import type { Topology, WritesTo } from '../adapters/types.js';
/**
 * `faultline suite` (issue 13): a matrix of runs from a suite file, each entry with an expectation, and
 * the outputs a nightly CI job reads (JUnit XML, JSON and Markdown summaries, an index.html, a trend
 * against a baseline). These types are the contract between the runner (src/suite/run.ts), which writes
 * suite.json, and the outputs (src/suite/outputs/), which read it.
 */

/** The version of suite.json; bump on an incompatible change. */
export const SUITE_SCHEMA = 'faultline.suite-result/1';

/** What an entry expects: every checker valid (the default), these anomalies found, or anything. */
export type Expectation = { kind: 'valid' } | { kind: 'anomalies'; anomalies: string[] } | { kind: 'any' };

/** One cell of the matrix, fully resolved: what `faultline run` gets, plus how often and what to expect. */
export interface SuiteEntry {
  /** Unique in the suite, stable across nights (the baseline matches entries by it), e.g. "postgres-async-replicas-append-partition". */
  id: string;
  db: string;
  /** An adapter from outside faultline (`run --adapter`). */
  adapter?: string;
  runtime: string;
  nodes: number;
  replication?: string;
  reads: 'primary' | 'replicas' | 'any';
  workload: string;
  nemesis: string;
  timeLimitS: number;
  concurrency: number;
  rate: number;
  /** Seed of repetition 0; repetition i uses seed + i. */
  seed: number;
  repeat: number;
  expect: Expectation;
  /** Run options beyond the contract's first version (optional, so older suite.json files still read): append keys, and the timeouts in seconds. */
  keys?: number;
  opTimeoutS?: number;
  nemesisIntervalS?: number;
  recoveryTimeoutS?: number;
  sentinel?: boolean;
  /** Issue 16: the replication topology (absent: the database's default), where multi-leader writes go, the convergence wait (s). */
  topology?: Topology;
  writesTo?: WritesTo;
  convergeWithinS?: number;
  image?: string;
}

/** One repetition of an entry: where it is stored and what the checkers said. */
export interface RunRecord {
  repetition: number;
  seed: number;
  /** The run's folder (relative to the suite's folder when inside it). */
  dir: string;
  /** The run's report (index.html), relative like dir; absent when none was built. */
  report?: string;
  valid: boolean | 'unknown';
  /** Checker name -> its verdict for this run. */
  verdicts: Record<string, boolean | 'unknown'>;
  /** Checker name -> the first few anomaly sentences it gave (for JUnit failures and summaries). */
  sentences: Record<string, string[]>;
  /** Completed client operations per second over the workload, and ok-op latency percentiles. */
  stats: { okPerS: number; p50Ms: number; p99Ms: number; ops: number };
  durationS: number;
  /** Set when the run itself failed (cluster did not start...): no verdicts then. */
  error?: string;
}

/** An entry's repetitions judged against its expectation. */
export interface EntryResult {
  entry: SuiteEntry;
  runs: RunRecord[];
  /** as-expected; contradiction (a result the expectation rules out); unknown (a verdict unknown or a run failed, none contradicting). */
  outcome: 'as-expected' | 'contradiction' | 'unknown';
  /** One sentence saying why, e.g. "expected read-your-writes anomalies; 0 of 3 repetitions found them". */
  why: string;
  /** Checker name -> how many repetitions found its anomaly (flakiness is visible). */
  found: Record<string, number>;
}

/** A change of one entry against the baseline's same entry. */
export interface EntryTrend {
  id: string;
  /** Anomalies (checker names) found now and not in the baseline, and found there and not now. */
  newAnomalies: string[];
  disappeared: string[];
  /** Relative changes beyond noise (see src/suite/outputs/trend.ts for the noise rule); absent when within it. */
  throughput?: { before: number; after: number; change: number };
  p99?: { before: number; after: number; change: number };
}

export interface SuiteResult {
  schema: typeof SUITE_SCHEMA;
  name: string;
  /** The suite file as given. */
  file: string;
  startedAt: string;
  durationS: number;
  entries: EntryResult[];
  outcome: 'as-expected' | 'contradiction' | 'unknown';
  /** With --baseline: the earlier suite.json's folder and each entry's changes (entries only one side has are listed too). */
  baseline?: { dir: string; trends: EntryTrend[]; added: string[]; removed: string[] };
}
