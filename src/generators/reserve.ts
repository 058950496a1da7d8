import { any } from './any.js';
import { onThreads } from './route.js';
import type { Generator, GenContext, Thread } from './types.js';

/**
 * Jepsen's reserve: the first n client threads of the context (in numeric order) run gen, every
 * other thread runs rest. E.g. reserve(2, writes, reads) dedicates two writers.
 */
export function reserve(n: number, gen: Generator, rest: Generator): Generator {
  // The nth smallest client thread, memoized for the context being asked (both sides ask per thread).
  let seen: GenContext | undefined;
  let bound = 0;
  const first = (t: Thread, ctx: GenContext): boolean => {
    if (typeof t !== 'number') return false;
    if (ctx !== seen) {
      seen = ctx;
      bound = nthThread(ctx, n);
    }
    return t < bound;
  };
  return any(
    onThreads(first, gen),
    onThreads((t, ctx) => !first(t, ctx), rest),
  );
}

/** The smallest thread number above the n lowest client threads (Infinity when there are <= n). */
function nthThread(ctx: GenContext, n: number): number {
  const nums = ctx.threads.filter((t): t is number => typeof t === 'number').sort((a, b) => a - b);
  return n < nums.length ? nums[n]! : Infinity;
}
