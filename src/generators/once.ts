import { fill } from './context.js';
import { pending, type Generator, type GenContext, type GenStep, type Template } from './types.js';

/** Exhausted: emits nothing. */
export const empty: Generator = { op: () => null, update: () => empty };

/** One op from a template on a free process, then exhausted. */
export function once(t: Template): Generator {
  const g: Generator = {
    op(ctx: GenContext): GenStep {
      const op = fill(ctx, t);
      return op ? { op, gen: empty } : pending(g);
    },
    update: () => g,
  };
  return g;
}
