import type { Op } from '../history/op.js';
import { pending, type Generator, type GenContext, type GenStep } from './types.js';

/**
 * Jepsen's repeat: gen's next op again and again without advancing gen (so once(t) becomes t
 * forever), `times` times or forever. Randomness in gen is drawn afresh each time.
 */
export function repeat(gen: Generator, times = Infinity): Generator {
  return {
    op(ctx: GenContext): GenStep {
      if (times <= 0) return null;
      const s = gen.op(ctx);
      if (s === null) return null;
      if ('pending' in s) return pending(s.gen === gen ? this : repeat(s.gen, times), s.wakeAt);
      return { op: s.op, gen: times === Infinity ? this : repeat(gen, times - 1) };
    },
    update(ctx: GenContext, e: Op): Generator {
      const g = gen.update(ctx, e);
      return g === gen ? this : repeat(g, times);
    },
  };
}

/** Runs gen to exhaustion, then starts it again from the beginning, `times` times or forever. */
export function cycle(gen: Generator, times = Infinity, current: Generator = gen): Generator {
  return {
    op(ctx: GenContext): GenStep {
      if (times <= 0) return null;
      const s = current.op(ctx);
      if (s === null) {
        if (times === 1) return null;
        // A generator that is exhausted at once would loop forever here.
        const again = gen.op(ctx);
        if (again === null) return null;
        return cycle(gen, times - 1, gen).op(ctx);
      }
      if ('pending' in s) return pending(cycle(gen, times, s.gen), s.wakeAt);
      return { op: s.op, gen: cycle(gen, times, s.gen) };
    },
    update(ctx: GenContext, e: Op): Generator {
      const g = current.update(ctx, e);
      return g === current ? this : cycle(gen, times, g);
    },
  };
}
