import type { Op } from '../history/op.js';
import { pending, type Generator, type GenContext, type GenStep } from './types.js';

/**
 * Jepsen's mix: each op comes from a generator picked at random (ctx.rng); an exhausted one is
 * dropped and another picked; when the picked one is pending, the mix is pending.
 */
export function mix(gens: readonly Generator[]): Generator {
  if (gens.length === 0)
    return {
      op: () => null,
      update() {
        return this;
      },
    };
  return {
    op(ctx: GenContext): GenStep {
      let live = gens;
      while (live.length > 0) {
        const i = live.length === 1 ? 0 : ctx.rng.int(live.length);
        const s = live[i]!.op(ctx);
        if (s === null) {
          live = live.filter((_, j) => j !== i);
          continue;
        }
        const next = s.gen === live[i] && live === gens ? this : mix(replace(live, i, s.gen));
        return 'pending' in s ? pending(next, s.wakeAt) : { op: s.op, gen: next };
      }
      return null;
    },
    update(ctx: GenContext, e: Op): Generator {
      const next = updateAll(gens, ctx, e);
      return next === gens ? this : mix(next);
    },
  };
}

export function replace<T>(xs: readonly T[], i: number, x: T): T[] {
  const out = xs.slice();
  out[i] = x;
  return out;
}

/** Updates every generator; returns the same array when none changed. */
export function updateAll(gens: readonly Generator[], ctx: GenContext, e: Op): readonly Generator[] {
  let out: Generator[] | undefined;
  for (let i = 0; i < gens.length; i++) {
    const g = gens[i]!.update(ctx, e);
    if (g !== gens[i]) (out ??= gens.slice())[i] = g;
  }
  return out ?? gens;
}
