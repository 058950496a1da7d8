import type { Op } from '../../history/op.js';
import { fill } from '../context.js';
import { pending, type Generator, type GenContext, type GenStep, type Template } from '../types.js';
import type { Workload } from './workload.js';

export interface RegisterOptions {
  /** Ops on one key before its thread group moves to a fresh key (bounds the linearizability search). Default 100. */
  opsPerKey?: number;
  /** Client threads sharing one key at a time (Jepsen's independent concurrent-generator). Default 10. */
  threadsPerKey?: number;
  /** Values written are 0..values-1. Default 5. */
  values?: number;
}

/**
 * Jepsen's register workload over independent keys: read [k, nil], write [k, v], cas [k, [v, v']],
 * equally likely. Client threads are grouped threadsPerKey at a time; each group works on its own
 * key, and after opsPerKey ops on it moves on to a key nobody has used (group g's r-th key is
 * r * groups + g), so every key sees a bounded number of ops.
 */
export function registerWorkload(opts: RegisterOptions = {}): Workload {
  const o = { opsPerKey: opts.opsPerKey ?? 100, threadsPerKey: opts.threadsPerKey ?? 10, values: opts.values ?? 5 };
  return { name: 'register', generator: registerGen(o, new Map()) };
}

type Progress = ReadonlyMap<number, { round: number; n: number }>;

function registerGen(o: Required<RegisterOptions>, progress: Progress): Generator {
  return {
    op(ctx: GenContext): GenStep {
      const r = ctx.rng;
      const pick = r.int(3);
      const v = r.int(o.values);
      const w = r.int(o.values);
      const op = fill(ctx, { f: '' });
      if (op === undefined) return pending(this);
      const thread = ctx.threadOf(op.process);
      if (typeof thread !== 'number') return pending(this);
      let clientThreads = 0;
      for (const t of ctx.threads) if (typeof t === 'number') clientThreads++;
      const groups = Math.max(1, Math.ceil(clientThreads / o.threadsPerKey));
      const g = Math.floor(thread / o.threadsPerKey) % groups;
      const at = progress.get(g) ?? { round: 0, n: 0 };
      const key = at.round * groups + g;
      const t: Template = pick === 0 ? { f: 'read', value: [key, null] }
        : pick === 1 ? { f: 'write', value: [key, v] }
        : { f: 'cas', value: [key, [v, w]] };
      const next = new Map(progress);
      next.set(g, at.n + 1 >= o.opsPerKey ? { round: at.round + 1, n: 0 } : { round: at.round, n: at.n + 1 });
      return { op: { ...op, f: t.f, value: t.value }, gen: registerGen(o, next) };
    },
    update(_ctx: GenContext, _e: Op): Generator {
      return this;
    },
  };
}
