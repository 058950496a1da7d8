import type { Op } from '../../history/op.js';
import { pairOps, type OpPair } from '../../history/pairs.js';

const cache = new WeakMap<readonly Op[], OpPair[]>();

/**
 * pairOps, once per history: the checkers of one run share it. Histories are immutable (readonly
 * Op[]); a caller that mutates one in place between runs must pass a copy.
 */
export function pairsOf(history: readonly Op[]): OpPair[] {
  let p = cache.get(history);
  if (!p) cache.set(history, (p = pairOps(history)));
  return p;
}
