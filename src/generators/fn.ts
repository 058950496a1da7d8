import { fill } from './context.js';
import { pending, type Generator, type GenContext, type GenStep, type Template } from './types.js';

/**
 * Ops from a function of the context, forever or until it returns null. The function draws its
 * randomness from ctx.rng, so it stays deterministic for a seed.
 */
export function fromFn(fn: (ctx: GenContext) => Template | null): Generator {
  const g: Generator = {
    op(ctx: GenContext): GenStep {
      if (ctx.freeThreads.length === 0) return pending(g);
      const t = fn(ctx);
      if (t === null) return null;
      return { op: fill(ctx, t)!, gen: g };
    },
    update: () => g,
  };
  return g;
}
