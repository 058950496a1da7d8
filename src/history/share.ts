import type { Op } from './op.js';

/**
 * Memory for big transactional histories: an invocation's value is the transaction with its reads
 * unfilled, and its completion holds the same micro-ops with the reads filled (or, for info and fail,
 * the same value again). A reader that only needs the completed transactions (the list-append and
 * rw-register checkers) lets the invocation take its completion's array, and the invocation's own
 * array, a third of a loaded history, is freed. Feed ops in history order; the file is never changed.
 */
export class CompletedValueSharing {
  private readonly open = new Map<Op['process'], Op>();

  add(op: Op): void {
    if (op.type === 'invoke') {
      this.open.set(op.process, op);
      return;
    }
    const inv = this.open.get(op.process);
    if (!inv) return;
    this.open.delete(op.process);
    const a = inv.value;
    const b = op.value;
    if (Array.isArray(a) && Array.isArray(b) && a.length === b.length && sameMicroOps(a, b)) inv.value = b;
  }
}

/** The same [f k ...] micro-ops in the same order (what a completion fills in is the reads' values). */
function sameMicroOps(a: unknown[], b: unknown[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (!Array.isArray(x) || !Array.isArray(y) || x[0] !== y[0] || x[1] !== y[1]) return false;
  }
  return true;
}
