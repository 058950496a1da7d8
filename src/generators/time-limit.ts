import type { Op } from '../history/op.js';
import { earliest, pending, type Generator, type GenContext, type GenStep } from './types.js';

/**
 * gen's ops for dt ns, counted from the first time it is asked (as Jepsen's time-limit, which
 * counts from its first op): no op at or after the cutoff, and exhausted once the clock passes it.
 */
export function timeLimit(dt: number, gen: Generator, cutoff?: number): Generator {
  return {
    op(ctx: GenContext): GenStep {
      const cut = cutoff ?? ctx.time + dt;
      if (ctx.time >= cut) return null;
      const s = gen.op(ctx);
      if (s === null) return null;
      if ('pending' in s) return pending(timeLimit(dt, s.gen, cut), earliest(s.wakeAt, cut));
      if (s.op.time !== undefined && s.op.time >= cut) return null;
      return { op: s.op, gen: timeLimit(dt, s.gen, cut) };
    },
    update(ctx: GenContext, e: Op): Generator {
      const g = gen.update(ctx, e);
      return g === gen ? this : timeLimit(dt, g, cutoff);
    },
  };
}
