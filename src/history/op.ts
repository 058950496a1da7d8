import { stringifyExact } from './exact.js';

/** One line of a history: an invocation or a completion, Jepsen's shape. */
export type OpType = 'invoke' | 'ok' | 'fail' | 'info';
export type Process = number | 'nemesis';

export interface Op {
  /** Position in the history, strictly increasing. */
  index: number;
  /** Nanoseconds since the start of the run (may be 0 when the source had no times). */
  time: number;
  type: OpType;
  process: Process;
  f: string;
  value: unknown;
  error?: unknown;
  /** Which node answered (replica reads). */
  node?: string;
  /** Logical client; defaults to the process (survives renumbering after an info op). */
  session?: string | number;
}

export const OP_TYPES: readonly OpType[] = ['invoke', 'ok', 'fail', 'info'];

export function isClientOp(op: Op): boolean {
  return op.process !== 'nemesis';
}

/** Seconds since start, for sentences: "at 1.204 s". */
export function fmtTime(ns: number): string {
  return `${(ns / 1e9).toFixed(3)} s`;
}

/** A compact rendering of a value for sentences (JSON, keys kept short; big integers as their exact digits). */
export function fmtValue(v: unknown): string {
  if (v === undefined || v === null) return 'nil';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return v.toString();
  try {
    const s = stringifyExact(v) ?? String(v);
    return s.length > 120 ? s.slice(0, 117) + '...' : s;
  } catch {
    return String(v);
  }
}
