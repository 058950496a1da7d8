import type { Op } from '../history/op.js';
import { opTime, restrictContext } from './context.js';
import { earliest, pending, type Generator, type GenContext, type GenStep, type PendingOp, type Thread } from './types.js';

/**
 * Jepsen's each-thread: every thread of the context runs its own copy of gen (so once(t) becomes
 * one t per thread); the soonest op among free threads wins; exhausted when every copy is.
 */
export function eachThread(gen: Generator): Generator {
  return each(gen, new Map());
}

type Copies = ReadonlyMap<Thread, Generator | null>;

function each(gen: Generator, copies: Copies): Generator {
  const copyOf = (t: Thread): Generator | null => (copies.has(t) ? copies.get(t)! : gen);
  return {
    op(ctx: GenContext): GenStep {
      let best: PendingOp | undefined;
      let bestAt = 0;
      let bestT: Thread | undefined;
      let bestGen: Generator | undefined;
      let wake: number | undefined;
      let changed: Map<Thread, Generator | null> | undefined;
      for (const t of ctx.freeThreads) {
        const g = copyOf(t);
        if (g === null) continue;
        const s = g.op(restrictContext(ctx, (u) => u === t));
        if (s === null) (changed ??= new Map(copies)).set(t, null);
        else if ('pending' in s) {
          wake = earliest(wake, s.wakeAt);
          if (s.gen !== g) (changed ??= new Map(copies)).set(t, s.gen);
        } else {
          const at = opTime(ctx, s.op);
          if (best === undefined || at < bestAt) {
            best = s.op;
            bestAt = at;
            bestT = t;
            bestGen = s.gen;
          }
        }
      }
      const now = changed ?? copies;
      if (best !== undefined && bestAt <= ctx.time) {
        const m = new Map(now);
        m.set(bestT!, bestGen!);
        return { op: best, gen: each(gen, m) };
      }
      if (best === undefined && ctx.threads.every((t) => (now.has(t) ? now.get(t) : gen) === null)) return null;
      return pending(now === copies ? this : each(gen, now), best === undefined ? wake : earliest(wake, bestAt));
    },
    update(ctx: GenContext, e: Op): Generator {
      const t = ctx.threadOf(e.process);
      const g = copyOf(t);
      if (g === null || !ctx.threads.includes(t)) return this;
      const u = g.update(
        restrictContext(ctx, (x) => x === t),
        e,
      );
      if (u === g) return this;
      const m = new Map(copies);
      m.set(t, u);
      return each(gen, m);
    },
  };
}
