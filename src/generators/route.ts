import type { Op } from '../history/op.js';
import { any } from './any.js';
import { restrictContext } from './context.js';
import { pending, type Generator, type GenContext, type GenStep, type Thread } from './types.js';

/** gen sees only the threads `keep` accepts, and only the events of their processes. */
export function onThreads(keep: (t: Thread, ctx: GenContext) => boolean, gen: Generator): Generator {
  return {
    op(ctx: GenContext): GenStep {
      const s = gen.op(restrictContext(ctx, (t) => keep(t, ctx)));
      if (s === null) return null;
      const next = s.gen === gen ? this : onThreads(keep, s.gen);
      return 'pending' in s ? pending(next, s.wakeAt) : { op: s.op, gen: next };
    },
    update(ctx: GenContext, e: Op): Generator {
      if (!keep(ctx.threadOf(e.process), ctx)) return this;
      const g = gen.update(restrictContext(ctx, (t) => keep(t, ctx)), e);
      return g === gen ? this : onThreads(keep, g);
    },
  };
}

const isClient = (t: Thread): boolean => t !== 'nemesis';
const isNemesis = (t: Thread): boolean => t === 'nemesis';

/** gen runs on the client threads only; with a second generator, that one runs on the nemesis. */
export function clients(gen: Generator, nemesisGen?: Generator): Generator {
  const c = onThreads(isClient, gen);
  return nemesisGen ? any(c, nemesis(nemesisGen)) : c;
}

/** gen runs on the nemesis thread only. */
export function nemesis(gen: Generator): Generator {
  return onThreads(isNemesis, gen);
}
