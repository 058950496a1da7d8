import { pending, type Generator, type GenContext, type GenStep } from './types.js';

/** Emits nothing for dt ns from the first time it is asked, then is exhausted. */
export function sleep(dt: number, until?: number): Generator {
  return {
    op(ctx: GenContext): GenStep {
      const u = until ?? ctx.time + dt;
      if (ctx.time >= u) return null;
      return pending(until === undefined ? sleep(dt, u) : this, u);
    },
    update() {
      return this;
    },
  };
}
