import type { Process } from '../history/op.js';
import { rngFor } from './rng.js';
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

/** The same context seen through a subset of its threads. */
export function restrictContext(ctx: GenContext, keep: (t: Thread) => boolean): GenContext {
  return {
    time: ctx.time,
    threads: ctx.threads.filter(keep),
    freeThreads: ctx.freeThreads.filter(keep),
    processOf: ctx.processOf,
    threadOf: ctx.threadOf,
    rng: ctx.rng,
  };
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

/** The context the interpreter and the simulator build for one call (stream 0: op, 1: update). */
export function buildContext(s: ContextState, time: number, stream: 0 | 1, threadOf: (p: Process) => Thread): GenContext {
  const free: Thread[] = [];
  for (let i = 0; i < s.concurrency; i++) if (!s.busy[i]) free.push(i);
  if (!s.busy[s.concurrency]) free.push('nemesis');
  const processes = s.processes;
  return {
    time,
    threads: s.threads,
    freeThreads: free,
    processOf: (t) => (t === 'nemesis' ? 'nemesis' : processes[t]!),
    threadOf,
    rng: rngFor(s.seed, s.emitted, stream),
  };
}
