import type { Op } from '../history/op.js';
import { earliest, pending, type Generator, type GenContext, type GenStep } from './types.js';

/**
 * gen's ops for dt ns, counted from the first time it is asked (as Jepsen's time-limit, which
 * counts from its first op): no op at or after the cutoff, and exhausted once the clock passes it.
 */
export function timeLimit(dt: number, gen: Generator): Generator {
  return new TimeLimit(dt, gen, undefined);
}

class TimeLimit implements Generator {
  constructor(
    private readonly dt: number,
    private readonly gen: Generator,
    private readonly cutoff: number | undefined,
  ) {}

  op(ctx: GenContext): GenStep {
    const cut = this.cutoff ?? ctx.time + this.dt;
    if (ctx.time >= cut) return null;
    const s = this.gen.op(ctx);
    if (s === null) return null;
    if ('pending' in s) return pending(this.next(s.gen, cut), earliest(s.wakeAt, cut));
    if (s.op.time !== undefined && s.op.time >= cut) return null;
    return { op: s.op, gen: this.next(s.gen, cut) };
  }

  update(ctx: GenContext, e: Op): Generator {
    return this.next(this.gen.update(ctx, e), this.cutoff);
  }

  private next(gen: Generator, cutoff: number | undefined): Generator {
    return gen === this.gen && cutoff === this.cutoff ? this : new TimeLimit(this.dt, gen, cutoff);
  }
}
