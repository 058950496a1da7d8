import type { Op } from '../history/op.js';

export type Validity = true | false | 'unknown';

/** `--keyed auto|yes|no`. */
export type KeyedMode = 'auto' | boolean;

/** One anomaly: its kind, its witness (history indices) and one plain sentence. */
export interface Anomaly {
  kind: string;
  /** History indices (Op.index) of the ops that prove it. */
  ops: number[];
  explanation: string;
  /** Structured detail for reports (key, nodes, values...). */
  data?: Record<string, unknown>;
}

export interface Verdict {
  valid: Validity;
  anomalies: Anomaly[];
  /** Why the verdict is unknown (budget, vacuity), in one sentence. */
  cause?: string;
  stats?: Record<string, unknown>;
}

export interface CheckOptions {
  /** Wall-clock budget in ms for checkers that search. */
  timeLimitMs?: number;
  /** Memory budget in bytes for checkers that search. */
  memoryLimitBytes?: number;
  /**
   * Jepsen's independent-key convention, value = [key, v] (`--keyed`): true requires it, false reads
   * every value whole (no unwrapping, as Jepsen's checkers do), 'auto' (the default) decides per
   * checker from the writes and the reads together.
   */
  keyed?: KeyedMode;
  /** recovery: how long after the final heal the cluster may take to serve again (ms; default 30 s). */
  recoveryTimeoutMs?: number;
  /** convergence: how long after the final heal (or a key's last write) the nodes may take to agree (ms; default 10 s). */
  convergeWithinMs?: number;
  /** Transactional (Elle-style) checkers: list-append, rw-register. */
  txn?: TxnCheckOptions;
  /** Free-form options per checker (e.g. bank: total, negative balances allowed). */
  [k: string]: unknown;
}

/** elle-cli's words: `--consistency`, `--anomalies` and the key assumptions. */
export interface TxnCheckOptions {
  /** Models to check (Elle's names); default ['strict-serializable']; [] with anomalies = only those anomalies (`none`). */
  consistency?: string[];
  /** Anomalies to look for in addition to those the models rule out (Elle's names, e.g. G2-item, lost-update). */
  anomalies?: string[];
  linearizableKeys?: boolean;
  sequentialKeys?: boolean;
  wfrKeys?: boolean;
}

/** A checker is a pure function from a history to a verdict; it writes no files. */
export type Checker = (history: readonly Op[], opts: CheckOptions) => Verdict | Promise<Verdict>;

/**
 * The history does not have the shape a checker reads (e.g. a list-append checker given register ops, or
 * a value appended twice to one key): a property of the request, not of the database. `check` reports
 * it as "this history does not fit <checker>: ..." (exit 64), never as a verdict.
 */
export class CheckerInputError extends Error {}

/** false beats unknown beats true. */
export function combineValidity(vs: Iterable<Validity>): Validity {
  let out: Validity = true;
  for (const v of vs) {
    if (v === false) return false;
    if (v === 'unknown') out = 'unknown';
  }
  return out;
}
