// faultline's library API: `import { checkHistoryFile, runTest } from 'faultline'`.
// Checking needs no database driver and no native module; running a test loads its machinery on first use.

// Histories: the Op type, loading (JSONL, JSON, Jepsen EDN), converting, linting and writing.
export {
  type Op,
  type OpType,
  HistoryError,
  type HistoryWarning,
  loadHistory,
  parseHistory,
  detectFormat,
  readHistory,
  type LoadedHistory,
  type HistoryFormat,
  type HistoryStream,
  lintHistory,
  assertLinted,
  type LintOptions,
  convertHistory,
  HistoryWriter,
  formatOpLine,
  type HistoryWriterOptions,
  parseEdn,
  parseEdnValue,
  type EdnValue,
  type EdnForm,
  normalizeOp,
  type NormalizeNotes,
} from './history/index.js';

// Checking: what `faultline check` does, on a history in memory or a file.
export { checkHistory, checkHistoryFile, validateRequest, LintFailure, type CheckRequest, type HistoryResult, type FileResult } from './check.js';

// Checkers: the verdict types, the registry of named checkers, and each checker as a function.
export { combineValidity, type Validity, type Verdict, type Anomaly, type Checker, type CheckOptions } from './checkers/types.js';
export { checkerRegistry, registerChecker, runCheckers, overallValidity, type CheckerEntry } from './checkers/registry.js';
export {
  checkReadYourWrites,
  checkMonotonicReads,
  checkMonotonicWrites,
  checkWritesFollowReads,
  checkConsistentPrefix,
  checkLostWrites,
  checkSet,
  checkSetFull,
  checkCounter,
  checkBank,
  checkStaleness,
  checkAvailability,
  checkStats,
} from './checkers/replication/index.js';

// Linearizability: the checker and its models (register, cas-register, mutex, kv, set, queues).
export {
  checkLinearizability,
  ModelUsageError,
  type LinearizabilityOptions,
  type LinearizabilityVerdict,
  type LinearizabilityStats,
  type LinWitness,
  type Model,
  type ModelOp,
} from './checkers/linearizability/index.js';
export { models, getModel, makeMultiRegister } from './checkers/linearizability/models/index.js';

// Errors and exit codes shared with the CLI.
export { UsageError, RunFailure, EXIT } from './errors.js';

// Writing your own database adapter (docs/adapters.md): the contract an adapter implements, the node it
// acts through (RuntimeNode / Remote: commands as argv, services, files, signals, network faults), and small
// helpers for the questions every adapter asks a node's machine. `faultline run --adapter PATH|PACKAGE` loads it.
export type {
  Adapter,
  AdapterDescription,
  Ability,
  ProxiedLink,
  Db,
  DbOptions,
  Client,
  Completion,
  ReadRouting,
  Role,
  FailoverOptions,
  FailoverOutcome,
} from './adapters/types.js';
export type { FailoverPolicy, FailoverRecord } from './adapters/failover-choice.js';
export type {
  Capability,
  Cluster,
  DirOptions,
  ExecOptions,
  ExecResult,
  FileOptions,
  Remote,
  RuntimeNode,
  Service,
  ServiceExit,
  ServiceSpec,
} from './runtime/types.js';
export { executable, firstExecutable, allExecutable, userExists, versionOf, logTail } from './adapters/remote.js';
export { loadAdapter, adapterProblems, type LoadedAdapter } from './adapters/external.js';

// Running a test from code: what `faultline run` does (needs root and the database; see `setup`).
export type { RunSpec, RunOutcome } from './run/run.js';
export type { StoredResults } from './run/checks.js';
export { COMPONENTS, type Component, type SetupOptions } from './run/setup.js';

import type { RunOutcome, RunSpec } from './run/run.js';
import type { Component, SetupOptions } from './run/setup.js';

/**
 * Starts a cluster, runs the workload with its faults, heals, tears down, checks and stores the run
 * (as `faultline run`; `spec` is every option, see RunSpec). Progress lines go to io.log (stderr by default).
 * The run machinery (runtime, nemeses) is imported here, so checking alone never loads it.
 */
export async function runTest(spec: RunSpec, io: { log: (line: string) => void } = { log: (l) => console.error(l) }): Promise<RunOutcome> {
  const { runTest: run } = await import('./run/run.js');
  return run(spec, io);
}

/** Re-checks a stored run's history with the current checkers and rewrites its results.json (`faultline analyze`). */
export async function analyzeRun(
  dir: string,
  opts: { timeLimitMs?: number; onProgress?: (m: string) => void } = {},
): ReturnType<typeof import('./run/checks.js').analyzeRun> {
  const { analyzeRun: analyze } = await import('./run/checks.js');
  return analyze(dir, opts);
}

/** Installs components ahead of time (`faultline setup`); system packages need root. */
export async function setup(components: readonly Component[], opts: SetupOptions = {}): Promise<void> {
  const { setup: run } = await import('./run/setup.js');
  return run(components, opts);
}

/** Builds a stored run's HTML report (`faultline report`); PNG charts when the optional canvas is installed. */
export async function buildReport(runDir: string): ReturnType<typeof import('./report/index.js').buildReport> {
  const { buildReport: build } = await import('./report/index.js');
  return build(runDir);
}
