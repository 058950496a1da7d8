import type { Op, OpType, Process } from '../../../src/history/op.js';
import { h } from '../../support/history.js';

// Compact rows for replication histories. Index = position, time = index ms (see h()).
export type Row = [Process, OpType, string, unknown, string?];

/** An append of e to key k: invocation then completion (ok by default). */
export const ap = (p: Process, k: unknown, e: unknown, t: 'ok' | 'info' | 'fail' = 'ok'): Row[] => [
  [p, 'invoke', 'append', [k, e]],
  [p, t, 'append', [k, e]],
];
/** A read of key k returning list (or a register value), from node. */
export const rd = (p: Process, k: unknown, v: unknown, node?: string): Row[] => [
  [p, 'invoke', 'read', [k, null]],
  [p, 'ok', 'read', [k, v], node],
];
/** A register write. */
export const wr = (p: Process, k: unknown, v: number, t: 'ok' | 'info' | 'fail' = 'ok'): Row[] => [
  [p, 'invoke', 'write', [k, v]],
  [p, t, 'write', [k, v]],
];
/** Jepsen set ops. */
export const add = (p: Process, e: unknown, t: 'ok' | 'info' | 'fail' = 'ok'): Row[] => [
  [p, 'invoke', 'add', e],
  [p, t, 'add', e],
];
export const rs = (p: Process, v: unknown, node?: string): Row[] => [
  [p, 'invoke', 'read', null],
  [p, 'ok', 'read', v, node],
];
/** A nemesis action as faultline logs it: invoke, then info. */
export const nem = (f: string, value: unknown = null): Row[] => [
  ['nemesis', 'invoke', f, value],
  ['nemesis', 'info', f, value],
];

export function hist(...groups: Row[][]): Op[] {
  return h(groups.flat());
}

/** Sets the session of every op of `process`. */
export function withSession(ops: Op[], process: Process, session: string | number): Op[] {
  for (const op of ops) if (op.process === process) op.session = session;
  return ops;
}
