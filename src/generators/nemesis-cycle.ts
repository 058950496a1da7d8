import type { Op } from '../history/op.js';
import { pending, type Generator, type GenContext, type GenStep, type Template } from './types.js';

/**
 * A fault schedule on the nemesis thread: waits intervalNs, invokes steps[0], waits intervalNs
 * after it completes, invokes steps[1], ... and starts over after the last, forever (bound it with
 * timeLimit). E.g. nemesisCycle([{ f: 'start-partition' }, { f: 'stop-partition' }], 10e9).
 */
export function nemesisCycle(steps: readonly Template[], intervalNs: number): Generator {
  if (steps.length === 0) throw new RangeError('nemesisCycle needs at least one step');
  return cycleAt(steps, intervalNs, 0, undefined, false);
}

function cycleAt(steps: readonly Template[], dt: number, i: number, notBefore: number | undefined, inFlight: boolean): Generator {
  return {
    op(ctx: GenContext): GenStep {
      if (inFlight) return pending(this);
      if (notBefore === undefined) return pending(cycleAt(steps, dt, i, ctx.time + dt, false), ctx.time + dt);
      if (!ctx.freeThreads.includes('nemesis')) return pending(this);
      if (ctx.time < notBefore) return pending(this, notBefore);
      const t = steps[i]!;
      return { op: { process: 'nemesis', f: t.f, value: t.value ?? null, time: notBefore }, gen: cycleAt(steps, dt, (i + 1) % steps.length, undefined, true) };
    },
    update(_ctx: GenContext, e: Op): Generator {
      if (!inFlight || e.process !== 'nemesis' || e.type === 'invoke') return this;
      return cycleAt(steps, dt, i, e.time + dt, false);
    },
  };
}
