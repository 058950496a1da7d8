import type { Op, OpType, Process } from '../../src/history/op.js';

/**
 * Builds a history from compact rows: [process, type, f, value] (and optional node), indices and
 * times assigned in order (time = index ms), so tests read like the histories they describe.
 */
export function h(rows: [Process, OpType, string, unknown, string?][]): Op[] {
  return rows.map(([process, type, f, value, node], index) => {
    const op: Op = { index, time: index * 1_000_000, type, process, f, value };
    if (node !== undefined) op.node = node;
    return op;
  });
}
