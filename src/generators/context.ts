import type { Process } from '../history/op.js';
import { rngFor, type Rng } from './rng.js';
import type { GenContext, PendingOp, Template, Thread } from './types.js';

/** The processes that could take an op now. */
export function freeProcesses(ctx: GenContext): Process[] {
  return ctx.freeThreads.map((t) => ctx.processOf(t));
}

/** A free process picked with ctx.rng (spreads ops over sessions), or undefined when none is free. */
export function someFreeProcess(ctx: GenContext): Process | undefined {
  const free = ctx.freeThreads;
  if (free.length === 0) return undefined;
  return ctx.processOf(free.length === 1 ? free[0]! : free[ctx.rng.int(free.length)]!);
}

/** A template made into an op on a free process, or undefined when none is free. */
export function fill(ctx: GenContext, t: Template): PendingOp | undefined {
  const process = someFreeProcess(ctx);
  if (process === undefined) return undefined;
  const op: PendingOp = { process, f: t.f, value: t.value ?? null };
  if (t.time !== undefined) op.time = t.time;
  return op;
}

/** The same context seen through a subset of its threads (filtered when first read). */
export function restrictContext(ctx: GenContext, keep: (t: Thread) => boolean): GenContext {
  return new RestrictedContext(ctx, keep);
}

/** The threads of a base array that a predicate keeps, remembered for the last base array seen. */
export class ThreadFilter {
  private base: readonly Thread[] | undefined;
  private kept: readonly Thread[] = [];
  constructor(readonly keep: (t: Thread) => boolean) {}
  of(base: readonly Thread[]): readonly Thread[] {
    if (base !== this.base) {
      this.kept = base.filter(this.keep);
      this.base = base;
    }
    return this.kept;
  }
}

/**
 * restrictContext for a predicate that looks at the thread only: ctx.threads is filtered once per
 * base threads array (the interpreter's never changes), so generators see the same array every
 * call and can remember what they derive from it.
 */
export function restrictByThread(ctx: GenContext, filter: ThreadFilter): GenContext {
  return new RestrictedContext(ctx, filter.keep, filter);
}

class RestrictedContext implements GenContext {
  private all: readonly Thread[] | undefined;
  private free: Thread[] | undefined;
  constructor(
    private readonly base: GenContext,
    private readonly keep: (t: Thread) => boolean,
    private readonly filter?: ThreadFilter,
  ) {}
  get time(): number {
    return this.base.time;
  }
  get rng(): Rng {
    return this.base.rng;
  }
  get processOf(): (t: Thread) => Process {
    return this.base.processOf;
  }
  get threadOf(): (p: Process) => Thread {
    return this.base.threadOf;
  }
  get threads(): readonly Thread[] {
    return (this.all ??= this.filter ? this.filter.of(this.base.threads) : this.base.threads.filter(this.keep));
  }
  get freeThreads(): readonly Thread[] {
    if (this.free) return this.free;
    const b = this.base;
    // The interpreter's context picks the kept free threads in one pass, without its whole free list.
    return (this.free = b instanceof LazyContext ? b.freeWhere(this.keep) : b.freeThreads.filter(this.keep));
  }
}

/** When an op would run: its own time, or now. */
export function opTime(ctx: GenContext, op: PendingOp): number {
  return op.time === undefined || op.time < ctx.time ? ctx.time : op.time;
}

/** Client threads 0..concurrency-1 then 'nemesis', as the interpreter lays them out. */
export function threadsFor(concurrency: number): Thread[] {
  const ts: Thread[] = [];
  for (let i = 0; i < concurrency; i++) ts.push(i);
  ts.push('nemesis');
  return ts;
}

/** Jepsen's convention: client process p runs on thread p mod concurrency. */
export function threadOfProcess(concurrency: number): (p: Process) => Thread {
  return (p) => (p === 'nemesis' ? 'nemesis' : p % concurrency);
}

export interface ContextState {
  seed: number;
  concurrency: number;
  threads: readonly Thread[];
  /** Current process of each client thread. */
  processes: readonly number[];
  /** Is each thread busy: client threads by number, the nemesis at index `concurrency`. */
  busy: readonly boolean[];
  /** Ops emitted so far: keys the rng. */
  emitted: number;
}

/**
 * Makes the contexts the interpreter and the simulator hand to generators: (time, stream) -> ctx,
 * stream 0 for op calls and 1 for update calls. processOf/threadOf are shared; freeThreads and rng
 * are computed only when a generator reads them (most update calls read neither).
 */
export function contextFactory(s: ContextState): (time: number, stream: 0 | 1) => GenContext {
  const processOf = (t: Thread): Process => (t === 'nemesis' ? 'nemesis' : s.processes[t]!);
  const threadOf = threadOfProcess(s.concurrency);
  return (time, stream) => new LazyContext(s, time, stream, processOf, threadOf);
}

class LazyContext implements GenContext {
  private free: Thread[] | undefined;
  private stream: Rng | undefined;
  constructor(
    private readonly s: ContextState,
    readonly time: number,
    private readonly which: 0 | 1,
    readonly processOf: (t: Thread) => Process,
    readonly threadOf: (p: Process) => Thread,
  ) {}

  get threads(): readonly Thread[] {
    return this.s.threads;
  }

  get freeThreads(): readonly Thread[] {
    if (this.free) return this.free;
    const { busy, concurrency: c } = this.s;
    const free: Thread[] = [];
    for (let i = 0; i < c; i++) if (!busy[i]) free.push(i);
    if (!busy[c]) free.push('nemesis');
    return (this.free = free);
  }

  /** freeThreads.filter(keep), in one pass over the threads. */
  freeWhere(keep: (t: Thread) => boolean): Thread[] {
    if (this.free) return this.free.filter(keep);
    const { busy, concurrency: c } = this.s;
    const free: Thread[] = [];
    for (let i = 0; i < c; i++) if (!busy[i] && keep(i)) free.push(i);
    if (!busy[c] && keep('nemesis')) free.push('nemesis');
    return free;
  }

  get rng(): Rng {
    return (this.stream ??= rngFor(this.s.seed, this.s.emitted, this.which));
  }
}
