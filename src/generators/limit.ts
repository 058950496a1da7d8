import { pending, type Generator, type GenContext, type GenStep } from './types.js';
import type { Op } from '../history/op.js';

/** At most n ops of gen. */
export function limit(n: number, gen: Generator): Generator {
  if (n <= 0)
    return {
      op: () => null,
      update() {
        return this;
      },
    };
  return {
    op(ctx: GenContext): GenStep {
      const s = gen.op(ctx);
      if (s === null) return null;
      if ('pending' in s) return pending(s.gen === gen ? this : limit(n, s.gen), s.wakeAt);
      return { op: s.op, gen: limit(n - 1, s.gen) };
    },
    update(ctx: GenContext, e: Op): Generator {
      const g = gen.update(ctx, e);
      return g === gen ? this : limit(n, g);
    },
  };
}
