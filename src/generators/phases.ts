import type { Op } from '../history/op.js';
import { pending, type Generator, type GenContext, type GenStep } from './types.js';

/**
 * Runs each generator to exhaustion, in order; before the next one starts, every thread of the
 * context must be free (Jepsen's phases = synchronize each), so a phase sees the effects of all
 * ops of the phases before it.
 */
export function phases(...gens: Generator[]): Generator {
  return phasesFrom(gens, 0, false);
}

function phasesFrom(gens: readonly Generator[], i: number, sync: boolean): Generator {
  return {
    op(ctx: GenContext): GenStep {
      let k = i;
      let waiting = sync;
      while (k < gens.length) {
        if (waiting) {
          if (ctx.freeThreads.length < ctx.threads.length) return pending(k === i && sync ? this : phasesFrom(gens, k, true));
          waiting = false;
        }
        const s = gens[k]!.op(ctx);
        if (s === null) {
          k++;
          waiting = true;
          continue;
        }
        const next = k === i && !sync && s.gen === gens[k] ? this : phasesFrom(replaceAt(gens, k, s.gen), k, false);
        return 'pending' in s ? pending(next, s.wakeAt) : { op: s.op, gen: next };
      }
      return null;
    },
    update(ctx: GenContext, e: Op): Generator {
      if (i >= gens.length) return this;
      const g = gens[i]!.update(ctx, e);
      return g === gens[i] ? this : phasesFrom(replaceAt(gens, i, g), i, sync);
    },
  };
}

function replaceAt(xs: readonly Generator[], i: number, x: Generator): readonly Generator[] {
  const out = xs.slice();
  out[i] = x;
  return out;
}
