import { fill } from '../context.js';
import { pending, type Generator, type GenContext, type GenStep } from '../types.js';
import type { Workload } from './workload.js';

export interface AppendOptions {
  /** Keys in use at once. Default 5. */
  keys?: number;
  /** Appends to one key before it is retired for a fresh one (reads stay cheap). Default 32. */
  maxWritesPerKey?: number;
  /** Share of reads among ops. Default 0.5. */
  readFraction?: number;
}

/**
 * The list-append shape the replication checkers read: `append [k, e]` with e = 1, 2, 3, ... per
 * key (unique and increasing), and `read [k, nil]` that returns [k, list]. A key is picked at random
 * among the active ones; one that has taken maxWritesPerKey appends is replaced by a fresh key.
 */
export function appendWorkload(opts: AppendOptions = {}): Workload {
  const o = { keys: opts.keys ?? 5, maxWritesPerKey: opts.maxWritesPerKey ?? 32, readFraction: opts.readFraction ?? 0.5 };
  const active = Array.from({ length: o.keys }, (_, k) => ({ key: k, next: 1 }));
  return { name: 'append', generator: appendGen(o, active, o.keys) };
}

type Slot = { readonly key: number; readonly next: number };

function appendGen(o: Required<AppendOptions>, active: readonly Slot[], freshKey: number): Generator {
  return {
    op(ctx: GenContext): GenStep {
      const i = ctx.rng.int(active.length);
      const read = ctx.rng.float() < o.readFraction;
      const slot = active[i]!;
      const op = read ? fill(ctx, { f: 'read', value: [slot.key, null] }) : fill(ctx, { f: 'append', value: [slot.key, slot.next] });
      if (op === undefined) return pending(this);
      if (read) return { op, gen: this };
      const next = active.slice();
      const full = slot.next >= o.maxWritesPerKey;
      next[i] = full ? { key: freshKey, next: 1 } : { key: slot.key, next: slot.next + 1 };
      return { op, gen: appendGen(o, next, full ? freshKey + 1 : freshKey) };
    },
    update() {
      return this;
    },
  };
}
