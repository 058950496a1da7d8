import type { Op } from '../history/op.js';
import { opTime } from './context.js';
import { updateAll } from './mix.js';
import { earliest, pending, type Generator, type GenContext, type GenStep, type PendingOp } from './types.js';

/**
 * Jepsen's any: asks every generator and takes the soonest op (ties: the first listed); exhausted
 * when all are. When the soonest op lies in the future the answer is pending until then, so the
 * state pending children advanced to (a sleep's deadline) is kept rather than dropped with the op.
 */
export function any(...gens: Generator[]): Generator {
  return anyOf(gens);
}

function anyOf(gens: readonly Generator[]): Generator {
  return {
    op(ctx: GenContext): GenStep {
      let best: PendingOp | undefined;
      let bestAt = 0;
      let bestI = -1;
      let bestGen: Generator | undefined;
      let wake: number | undefined;
      let next: (Generator | null)[] | undefined;
      for (let i = 0; i < gens.length; i++) {
        const s = gens[i]!.op(ctx);
        if (s === null) {
          (next ??= gens.slice())[i] = null;
        } else if ('pending' in s) {
          wake = earliest(wake, s.wakeAt);
          if (s.gen !== gens[i]) (next ??= gens.slice())[i] = s.gen;
        } else {
          const at = opTime(ctx, s.op);
          if (best === undefined || at < bestAt) {
            best = s.op;
            bestAt = at;
            bestI = i;
            bestGen = s.gen;
          }
        }
      }
      if (best === undefined) {
        if (wake === undefined && next !== undefined && next.every((g) => g === null)) return null;
        if (next === undefined) return pending(this, wake);
        const live = next.filter((g): g is Generator => g !== null);
        return live.length === 0 ? null : pending(anyOf(live), wake);
      }
      if (bestAt > ctx.time) {
        const g = next === undefined ? this : anyOf(next.filter((x): x is Generator => x !== null));
        return pending(g, earliest(wake, bestAt));
      }
      const after = (next ?? gens.slice()) as (Generator | null)[];
      after[bestI] = bestGen!;
      return { op: best, gen: anyOf(after.filter((x): x is Generator => x !== null)) };
    },
    update(ctx: GenContext, e: Op): Generator {
      const next = updateAll(gens, ctx, e);
      return next === gens ? this : anyOf(next);
    },
  };
}
