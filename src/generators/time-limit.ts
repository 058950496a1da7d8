import type { Op } from '../history/op.js';
import { earliest, pending, type Generator, type GenContext, type GenStep } from './types.js';

/**
 * gen's ops for dt ns, counted from the first time it is asked (as Jepsen's time-limit, which
 * counts from its first op): no op at or after the cutoff, and exhausted once the clock passes it.
 */
export function timeLimit(dt: number, gen: Generator): Generator {
  return new TimeLimit(dt, gen, undefined);
}

/**
 * gen's ops until the absolute time `at` (ns on the context's clock): no op at or after it. Unlike
 * timeLimit, the cutoff does not wait for a first op: an interpreter that asks a generator whose first op
 * lies in the future keeps the generator it had, so timeLimit's cutoff slid until that op was taken (a
 * fault schedule starting at 4 s ran until 64 s of a 60 s run).
 */
export function deadline(at: number, gen: Generator): Generator {
  return new TimeLimit(0, gen, at);
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
