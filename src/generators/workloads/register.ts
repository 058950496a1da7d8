import type { Op } from '../../history/op.js';
import { someFreeProcess } from '../context.js';
import { pending, type Generator, type GenContext, type GenStep, type PendingOp, type Thread } from '../types.js';
import type { Workload } from './workload.js';

export interface RegisterOptions {
  /** Ops on one key before its thread group moves to a fresh key (bounds the linearizability search). Default 100. */
  opsPerKey?: number;
  /** Client threads sharing one key at a time (Jepsen's independent concurrent-generator). Default 10. */
  threadsPerKey?: number;
  /** Values written are 0..values-1. Default 5. */
  values?: number;
  /** Include cas ops. Default true; false gives reads and writes only (the `rw-register` workload). */
  cas?: boolean;
}

/**
 * Jepsen's register workload over independent keys: read [k, nil], write [k, v], cas [k, [v, v']],
 * equally likely. Client threads are grouped threadsPerKey at a time; each group works on its own
 * key, and after opsPerKey ops on it moves on to a key nobody has used (group g's r-th key is
 * r * groups + g), so every key sees a bounded number of ops.
 */
export function registerWorkload(opts: RegisterOptions = {}): Workload {
  const opsPerKey = opts.opsPerKey ?? 100;
  // A group moves on once it has had opsPerKey ops on its key (at least one; never for NaN).
  const per = opsPerKey >= 1 ? Math.ceil(opsPerKey) : opsPerKey < 1 ? 1 : Infinity;
  const o: Config = { per, threadsPerKey: opts.threadsPerKey ?? 10, values: opts.values ?? 5, cas: opts.cas ?? true };
  return { name: o.cas ? 'register' : 'rw-register', generator: new RegisterGen(o, [], undefined, 0) };
}

/**
 * Immutable; one instance per op, so kept small: `counts[g]` is how many ops group g has had
 * (its round is counts[g] / opsPerKey, rounded down), copied on write; the group count is derived from
 * ctx.threads and reused while the context hands the same threads array.
 */
interface Config {
  per: number;
  threadsPerKey: number;
  values: number;
  cas: boolean;
}

class RegisterGen implements Generator {
  constructor(
    private readonly o: Config,
    private readonly counts: readonly number[],
    private readonly threadsSeen: readonly Thread[] | undefined,
    private readonly groupsSeen: number,
  ) {}

  op(ctx: GenContext): GenStep {
    const o = this.o;
    const r = ctx.rng;
    const pick = r.int(o.cas ? 3 : 2);
    const v = r.int(o.values);
    const w = r.int(o.values);
    const process = someFreeProcess(ctx);
    if (process === undefined) return pending(this);
    const thread = ctx.threadOf(process);
    if (typeof thread !== 'number') return pending(this);
    const threads = ctx.threads;
    let groups = this.groupsSeen;
    if (threads !== this.threadsSeen) {
      let clientThreads = 0;
      for (const t of threads) if (typeof t === 'number') clientThreads++;
      groups = Math.max(1, Math.ceil(clientThreads / o.threadsPerKey));
    }
    const g = Math.floor(thread / o.threadsPerKey) % groups;
    const done = this.counts[g] ?? 0;
    const key = Math.floor(done / o.per) * groups + g;
    const op: PendingOp =
      pick === 0
        ? { process, f: 'read', value: [key, null] }
        : pick === 1
          ? { process, f: 'write', value: [key, v] }
          : { process, f: 'cas', value: [key, [v, w]] };
    const next = this.counts.slice();
    for (let i = next.length; i < g; i++) next[i] = 0;
    next[g] = done + 1;
    return { op, gen: new RegisterGen(o, next, threads, groups) };
  }

  update(_ctx: GenContext, _e: Op): Generator {
    return this;
  }
}
