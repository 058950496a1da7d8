import type { Op } from '../history/op.js';
import { CheckerInputError, combineValidity, type Checker, type CheckOptions, type Validity, type Verdict } from './types.js';

/** A checker the CLI can run by name. */
export interface CheckerEntry {
  name: string;
  /** One line, for `--help` and the report. */
  doc: string;
  check: Checker;
  /**
   * What the checker reads, so the loader may save memory when every checker of a request allows it
   * (src/check.ts). `compactReads`: it reads a whole-list read's value only through the replication shapes
   * (keyed.ts, set-shape.ts), which understand a PrefixList, or not at all, so each key's list may be shared
   * among its reads; a checker that says so must be in the compact A/B golden test
   * (test/checkers/replication/compact-ab.test.ts). `sharedCompletions`: it reads an invocation's value only
   * where its completion carries the same micro-ops, so an invocation may share its completion's.
   */
  reads?: { compactReads?: boolean; sharedCompletions?: boolean };
}

/**
 * A checker whose module is imported on its first use: names and docs are known at once, the code
 * only when a history is checked with it. `faultline check --model kv` then loads none of the
 * replication and transactional modules (87 of ours on its path before, 45 after).
 */
function lazy(load: () => Promise<Checker>): Checker {
  return async (history, opts) => (await load())(history, opts);
}

/** Every checker by name, in the order they are listed. */
export const checkerRegistry = new Map<string, CheckerEntry>();

/** Adds (or replaces) a checker. */
export function registerChecker(entry: CheckerEntry): void {
  checkerRegistry.set(entry.name, entry);
}

const replication: CheckerEntry[] = [
  {
    name: 'read-your-writes',
    reads: { compactReads: true },
    check: lazy(async () => (await import('./replication/read-your-writes.js')).checkReadYourWrites),
    doc: "a session's read of a key shows every append/write it had acknowledged to that key",
  },
  {
    name: 'monotonic-reads',
    reads: { compactReads: true },
    check: lazy(async () => (await import('./replication/monotonic-reads.js')).checkMonotonicReads),
    doc: "a session's read of a key holds everything its earlier reads of that key held (never an older value)",
  },
  {
    name: 'monotonic-writes',
    reads: { compactReads: true },
    check: lazy(async () => (await import('./replication/monotonic-writes.js')).checkMonotonicWrites),
    doc: "a read holding a session's append to a key holds every append the session acknowledged before it, earlier in the list",
  },
  {
    name: 'writes-follow-reads',
    reads: { compactReads: true },
    check: lazy(async () => (await import('./replication/writes-follow-reads.js')).checkWritesFollowReads),
    doc: "a session's append to a key is ordered after everything its earlier reads of that key showed",
  },
  {
    name: 'consistent-prefix',
    reads: { compactReads: true },
    check: lazy(async () => (await import('./replication/consistent-prefix.js')).checkConsistentPrefix),
    doc: "all reads of a list key are prefixes of one order that keeps the order each session's writes happened in",
  },
  {
    name: 'lost-writes',
    reads: { compactReads: true },
    check: lazy(async () => (await import('./replication/lost-writes.js')).checkLostWrites),
    doc: 'per appended element: stable, stale, lost, never-read, recovered; unexpected, duplicated, failed-but-visible',
  },
  {
    name: 'set',
    reads: { compactReads: true },
    check: lazy(async () => (await import('./replication/set.js')).checkSet),
    doc: "Jepsen's set: adds, then the final read (after the final heal) holds every acknowledged add",
  },
  {
    name: 'set-full',
    reads: { compactReads: true },
    check: lazy(async () => (await import('./replication/set-full.js')).checkSetFull),
    doc: "Jepsen's set-full: adds and reads over time; per element stable, stale, lost, never-read",
  },
  {
    name: 'counter',
    reads: { compactReads: true },
    check: lazy(async () => (await import('./replication/counter.js')).checkCounter),
    doc: "Jepsen's counter: every read lies between the acknowledged sum and the sum of adds that may have happened (not failed ones)",
  },
  {
    name: 'bank',
    reads: { compactReads: true },
    check: lazy(async () => (await import('./replication/bank.js')).checkBank),
    doc: "Jepsen's bank: every read's balances add up to the same total, none negative",
  },
  {
    name: 'staleness',
    reads: { compactReads: true },
    check: lazy(async () => (await import('./replication/staleness.js')).checkStaleness),
    doc: 'acknowledged versions each read missed and visibility lag: p50/p95/p99/max overall, per node, per fault window',
  },
  {
    name: 'availability',
    reads: { compactReads: true },
    check: lazy(async () => (await import('./replication/availability.js')).checkAvailability),
    doc: 'success ratio inside vs outside fault windows, RTO (longest gap without success) and RPO (lost writes) per fault',
  },
  {
    name: 'recovery',
    reads: { compactReads: true },
    check: lazy(async () => (await import('./replication/recovery.js')).checkRecovery),
    doc: 'after the final heal an op succeeds within the recovery timeout (default 30 s); else not-recovered names the errors and nodes',
  },
  {
    name: 'convergence',
    reads: { compactReads: true },
    check: lazy(async () => (await import('./replication/convergence.js')).checkConvergence),
    doc: "after the final heal every node's final reads of a key agree (within convergeWithinMs, default 10 s); else the diverging nodes and values",
  },
  {
    name: 'conflicts',
    reads: { compactReads: true },
    check: lazy(async () => (await import('./replication/conflicts.js')).checkConflicts),
    doc: "acknowledged writes discarded by a concurrent write on another node (last-write-wins or the database's own rule), and acknowledged appends no node holds in the end",
  },
  {
    name: 'stats',
    reads: { compactReads: true, sharedCompletions: true },
    check: lazy(async () => (await import('./replication/stats.js')).checkStats),
    doc: 'ok/fail/info counts per f, overall and per fault window; unknown when the run did not test what it claims',
  },
];
for (const e of replication) registerChecker(e);

const transactional: CheckerEntry[] = [
  {
    name: 'list-append',
    reads: { sharedCompletions: true },
    check: lazy(async () => (await import('./txn/index.js')).checkListAppend),
    doc: "Elle's list-append: [[append k v] [r k [..]]] transactions; dependency cycles and the consistency models they rule out",
  },
  {
    name: 'rw-register',
    reads: { sharedCompletions: true },
    check: lazy(async () => (await import('./txn/index.js')).checkRwRegister),
    doc: "Elle's rw-register: [[w k v] [r k v]] transactions; dependency cycles and the consistency models they rule out",
  },
];
for (const e of transactional) registerChecker(e);
// `linearizable` is not in this registry: it needs a model, so src/check.ts (checkHistory) runs it
// itself when a model is given and accepts the name in --checker only alongside --model.

/** The checkers that allow the loader's compact whole-list reads (CheckerEntry.reads), in registry order. */
export function compactReadCheckers(): string[] {
  return [...checkerRegistry.values()].filter((e) => e.reads?.compactReads).map((e) => e.name);
}

/** Does every named checker allow this loader economy? (An unknown name does not: runCheckers refuses it.) */
export function allRead(names: readonly string[], economy: keyof NonNullable<CheckerEntry['reads']>): boolean {
  return names.every((n) => checkerRegistry.get(n)?.reads?.[economy] === true);
}

/**
 * Runs the named checkers on one history, in the order given. Unknown names throw (a usage error,
 * not a property of the history), and so does a history that does not fit a checker (CheckerInputError,
 * its message naming the checker); a checker that throws on this history (a bug) gives unknown with
 * the error as its cause instead of taking the others down.
 */
export async function runCheckers(names: string[], history: readonly Op[], opts: CheckOptions): Promise<Record<string, Verdict>> {
  for (const n of names) {
    if (!checkerRegistry.has(n)) throw new Error(`unknown checker '${n}'; checkers: ${[...checkerRegistry.keys()].join(', ')}`);
  }
  const out: Record<string, Verdict> = {};
  for (const n of names) {
    try {
      out[n] = await checkerRegistry.get(n)!.check(history, opts);
    } catch (e) {
      if (e instanceof CheckerInputError) throw new CheckerInputError(`this history does not fit ${n}: ${e.message}`);
      out[n] = crashVerdict(n, e);
    }
  }
  return out;
}

/** What a checker that threw says: unknown, with the error as its cause (a faultline bug to report). */
export function crashVerdict(name: string, e: unknown): Verdict {
  const msg = e instanceof Error ? e.message : String(e);
  return { valid: 'unknown', anomalies: [], cause: `the ${name} checker failed on this history (a faultline bug; please report it): ${msg}` };
}

/** The overall verdict of several checkers: false beats unknown beats true (true for none). */
export function overallValidity(verdicts: Record<string, Verdict>): Validity {
  return combineValidity(Object.values(verdicts).map((v) => v.valid));
}
