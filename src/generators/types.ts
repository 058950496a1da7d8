import type { Op, Process } from '../history/op.js';
import type { Rng } from './rng.js';

/** A worker slot: client threads are 0..concurrency-1, plus the nemesis thread. */
export type Thread = number | 'nemesis';

/**
 * What a generator sees when asked for an op. Built fresh by the interpreter (or the simulator)
 * for every op/update call; a generator must not keep it.
 *
 * Randomness: `rng` is a stream created for this one call from (seed, number of ops emitted so far),
 * so asking the same generator with the same context again gives the same answer, and the same
 * seed with the same sequence of events gives the same schedule. Draw from it only during the call.
 */
export interface GenContext {
  /** Nanoseconds since the start of the run. */
  readonly time: number;
  /** Every thread this generator may use (combinators such as clients() narrow it). */
  readonly threads: readonly Thread[];
  /** Threads of `threads` with no op in flight. */
  readonly freeThreads: readonly Thread[];
  /** The process a thread currently runs (client processes are renumbered after an info op). */
  processOf(thread: Thread): Process;
  /** The thread that runs (or ran) a process. */
  threadOf(process: Process): Thread;
  readonly rng: Rng;
}

/** An op a generator wants invoked: by `process` (a free one), not before `time` (ns) when given. */
export interface PendingOp {
  process: Process;
  f: string;
  value: unknown;
  time?: number;
}

/** What an op template looks like before a process is chosen. */
export interface Template {
  f: string;
  value?: unknown;
  time?: number;
}

/**
 * One answer of a generator: an op with the generator that follows it; pending (nothing now: no
 * free thread, or waiting for time or for completions), with the generator to ask next and, when
 * known, the time at which asking again could give an op; or null when exhausted.
 *
 * The interpreter keeps `gen` of a pending step, and of an op step only when it invokes the op (an
 * op whose time is in the future is not invoked yet, so its step is dropped and asked again later).
 */
export type GenStep = { op: PendingOp; gen: Generator } | { pending: true; gen: Generator; wakeAt?: number } | null;

/** An immutable schedule of operations, Jepsen's model. */
export interface Generator {
  op(ctx: GenContext): GenStep;
  /** Called with every invocation and completion (Op) the interpreter records. */
  update(ctx: GenContext, event: Op): Generator;
}

export function pending(gen: Generator, wakeAt?: number): GenStep {
  return wakeAt === undefined ? { pending: true, gen } : { pending: true, gen, wakeAt };
}

/** The earlier of two optional wake-up times. */
export function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}
