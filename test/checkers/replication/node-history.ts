import type { Op, OpType, Process } from '../../../src/history/op.js';

// Histories with times in seconds for the convergence and conflicts checkers:
// [time s, process, type, f, value, node?]; index = position.
export type R = [number, Process, OpType, string, unknown, string?];

export function hist(rows: R[]): Op[] {
  return rows.map(([t, process, type, f, value, node], index) => {
    const op: Op = { index, time: Math.round(t * 1e9), type, process, f, value };
    if (node !== undefined) op.node = node;
    return op;
  });
}

/** An op of process p on key k from t0 to t1 (type of its completion), answered by node. */
export const op = (f: string, p: number, t0: number, t1: number, k: unknown, v: unknown, node?: string, type: OpType = 'ok'): R[] => [
  [t0, p, 'invoke', f, [k, f === 'read' ? null : v]],
  [t1, p, type, f, [k, v], node],
];

/** A partition from `from` healed at `to` (the final heal when last). */
export const partition = (from: number, to: number): R[] => [
  [from, 'nemesis', 'invoke', 'start-partition', null],
  [from + 0.01, 'nemesis', 'info', 'start-partition', null],
  [to - 0.01, 'nemesis', 'invoke', 'stop-partition', null],
  [to, 'nemesis', 'info', 'stop-partition', null],
];
