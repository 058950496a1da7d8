import type { Op } from '../history/op.js';
import { opTime } from './context.js';
import { pending, type Generator, type GenContext, type GenStep } from './types.js';

export type Gaps = 'exponential' | 'uniform';

/**
 * gen's ops at `rate` ops per second overall (Jepsen's stagger). Gaps are exponential (a Poisson
 * stream, the default) or uniform in [0, 2/rate). The schedule advances from the previous
 * scheduled time, not from when an op actually went out, so the mean rate holds when the system
 * falls behind for a while (it then catches up).
 */
export function stagger(rate: number, gen: Generator, gaps: Gaps = 'exponential', nextTime?: number): Generator {
  if (!(rate > 0)) throw new RangeError(`stagger: rate must be > 0 ops/s, got ${rate}`);
  const mean = 1e9 / rate;
  return {
    op(ctx: GenContext): GenStep {
      const s = gen.op(ctx);
      if (s === null) return null;
      if ('pending' in s) return pending(s.gen === gen ? this : stagger(rate, s.gen, gaps, nextTime), s.wakeAt);
      const due = nextTime ?? ctx.time;
      const at = Math.max(opTime(ctx, s.op), due);
      const gap = gaps === 'uniform' ? ctx.rng.float() * 2 * mean : ctx.rng.exponential(mean);
      const op = at === s.op.time ? s.op : { ...s.op, time: at };
      return { op, gen: stagger(rate, s.gen, gaps, due + gap) };
    },
    update(ctx: GenContext, e: Op): Generator {
      const g = gen.update(ctx, e);
      return g === gen ? this : stagger(rate, g, gaps, nextTime);
    },
  };
}
