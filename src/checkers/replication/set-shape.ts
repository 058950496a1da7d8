import type { Op } from '../../history/op.js';
import type { OpPair } from '../../history/pairs.js';
import { pairsOf } from './pairs-cache.js';
import { isPrim } from './shapes.js';

/**
 * Jepsen's set workload: `add e` (e a primitive) and `read` (invoked with nil) returning the whole
 * set as a flat list (nil reads as empty). Reads invoked with a value (`[key, nil]`), and reads
 * whose value holds lists or maps, are of another shape (keyed reads) and are ignored and counted.
 */
export interface SetOps {
  /** Adds of elements added once, every outcome, in invocation order. */
  adds: { pair: OpPair; elem: unknown }[];
  /** Elements added more than once (their reads prove nothing about any one add). */
  ambiguous: Set<unknown>;
  /** Ok reads, in invocation order. */
  reads: { pair: OpPair; elems: readonly unknown[] }[];
  ignored: Record<string, number>;
}

const cache = new WeakMap<readonly Op[], SetOps>();

export function setOps(history: readonly Op[]): SetOps {
  const hit = cache.get(history);
  if (hit) return hit;
  const all: { pair: OpPair; elem: unknown }[] = [];
  const count = new Map<unknown, number>();
  const reads: SetOps['reads'] = [];
  const ignored: Record<string, number> = {};
  for (const p of pairsOf(history)) {
    if (p.f === 'add' && isPrim(p.value)) {
      all.push({ pair: p, elem: p.value });
      count.set(p.value, (count.get(p.value) ?? 0) + 1);
    } else if (p.f === 'read') {
      // A set read is invoked with nil; one invoked with a value names a key: a keyed read of
      // another workload (its [key, v] completion must not pass for a set holding key and v).
      if (p.invoke.value !== null && p.invoke.value !== undefined) { ignored.read = (ignored.read ?? 0) + 1; continue; }
      if (p.type !== 'ok') continue;
      const v = p.value;
      if (v === null || v === undefined) reads.push({ pair: p, elems: [] });
      else if (Array.isArray(v) && v.every(isPrim)) reads.push({ pair: p, elems: v });
      else ignored.read = (ignored.read ?? 0) + 1;
    } else ignored[p.f] = (ignored[p.f] ?? 0) + 1;
  }
  const ambiguous = new Set<unknown>();
  for (const [e, n] of count) if (n > 1) ambiguous.add(e);
  const s: SetOps = { adds: all.filter((a) => !ambiguous.has(a.elem)), ambiguous, reads, ignored };
  cache.set(history, s);
  return s;
}
