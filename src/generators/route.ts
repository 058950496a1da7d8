import type { Op } from '../history/op.js';
import { any } from './any.js';
import { restrictByThread, restrictContext, ThreadFilter } from './context.js';
import { pending, type Generator, type GenContext, type GenStep, type Thread } from './types.js';

type Keep = (t: Thread, ctx: GenContext) => boolean;

/** gen sees only the threads `keep` accepts, and only the events of their processes. */
export function onThreads(keep: Keep, gen: Generator): Generator {
  return new OnThreads(keep, gen);
}

// A class, not an object literal: this wraps every op of a run, and a literal allocates its methods.
// `byThread`: keep looks at the thread only (clients, nemesis), so the narrowed threads are filtered
// once per run instead of per call.
class OnThreads implements Generator {
  constructor(
    private readonly keep: Keep,
    private readonly gen: Generator,
    private readonly byThread?: ThreadFilter,
  ) {}

  private narrow(ctx: GenContext): GenContext {
    if (this.byThread) return restrictByThread(ctx, this.byThread);
    const keep = this.keep;
    return restrictContext(ctx, (t) => keep(t, ctx));
  }

  op(ctx: GenContext): GenStep {
    const s = this.gen.op(this.narrow(ctx));
    if (s === null) return null;
    const next = s.gen === this.gen ? this : new OnThreads(this.keep, s.gen, this.byThread);
    return 'pending' in s ? pending(next, s.wakeAt) : { op: s.op, gen: next };
  }

  update(ctx: GenContext, e: Op): Generator {
    if (!this.keep(ctx.threadOf(e.process), ctx)) return this;
    const g = this.gen.update(this.narrow(ctx), e);
    return g === this.gen ? this : new OnThreads(this.keep, g, this.byThread);
  }
}

const isClient = (t: Thread): boolean => t !== 'nemesis';
const isNemesis = (t: Thread): boolean => t === 'nemesis';

/** gen runs on the client threads only; with a second generator, that one runs on the nemesis. */
export function clients(gen: Generator, nemesisGen?: Generator): Generator {
  const c = new OnThreads(isClient, gen, new ThreadFilter(isClient));
  return nemesisGen ? any(c, nemesis(nemesisGen)) : c;
}

/** gen runs on the nemesis thread only. */
export function nemesis(gen: Generator): Generator {
  return new OnThreads(isNemesis, gen, new ThreadFilter(isNemesis));
}
