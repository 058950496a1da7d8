import { fill } from '../context.js';
import { pending, type Generator, type GenContext, type GenStep } from '../types.js';
import { keyPool, mixedTxn, positive, takeWrite, type KeyPool, type MicroOp } from './txn-keys.js';
import type { Workload } from './workload.js';

/**
 * `mixed`: Elle's list-append txns, each micro-op a read or an append to a random active key.
 * `write-skew`: every txn reads both keys of a pair, then appends to one of them. Two such txns that run
 * concurrently on one pair and append to different keys each miss the other's append: under snapshot
 * isolation both commit, a G2-item cycle of two rw edges (write skew); serializability forbids it.
 */
export type ListAppendShape = 'mixed' | 'write-skew';

export interface ListAppendOptions {
  /** Keys in use at once (for write-skew, pairs of them: an odd count is rounded up). Default 5. */
  keys?: number;
  /** Micro-ops per txn, uniform in [min, max] (mixed only). Defaults 1 and 4. */
  minTxnLength?: number;
  maxTxnLength?: number;
  /** Appends to one key before it is retired for a fresh one. Default 32. */
  maxWritesPerKey?: number;
  /** Share of reads among micro-ops (mixed only). Default 0.5. */
  readFraction?: number;
  shape?: ListAppendShape;
}

interface Config {
  min: number;
  max: number;
  readFraction: number;
  shape: ListAppendShape;
}

/**
 * Jepsen's list-append workload for Elle: `{f: 'txn', value: [['append', k, v], ['r', k, null], ...]}`.
 * Appended values are 1, 2, 3, ... per key, so each is unique and a read's list names the appends it saw
 * in the order the database applied them (the version order Elle infers from list prefixes).
 */
export function listAppendWorkload(opts: ListAppendOptions = {}): Workload {
  const shape = opts.shape ?? 'mixed';
  let keys = positive('keys', opts.keys ?? 5);
  if (shape === 'write-skew') keys += keys % 2;
  const min = positive('minTxnLength', opts.minTxnLength ?? 1);
  const max = positive('maxTxnLength', opts.maxTxnLength ?? Math.max(4, min));
  if (max < min) throw new RangeError(`maxTxnLength (${max}) is below minTxnLength (${min})`);
  const o: Config = { min, max, readFraction: opts.readFraction ?? 0.5, shape };
  return { name: 'list-append', generator: new ListAppendGen(o, keyPool(keys, positive('maxWritesPerKey', opts.maxWritesPerKey ?? 32))) };
}

class ListAppendGen implements Generator {
  constructor(
    private readonly o: Config,
    private readonly pool: KeyPool,
  ) {}

  op(ctx: GenContext): GenStep {
    const r = ctx.rng;
    let pool = this.pool;
    const mops: MicroOp[] = [];
    if (this.o.shape === 'write-skew') {
      const pair = r.int(pool.slots.length / 2);
      const [a, b] = [pool.slots[2 * pair]!.key, pool.slots[2 * pair + 1]!.key];
      const w = takeWrite(pool, 2 * pair + r.int(2));
      mops.push(['r', a, null], ['r', b, null], ['append', w.key, w.value]);
      pool = w.pool;
    } else {
      const m = mixedTxn(r, pool, this.o, 'append');
      mops.push(...m.mops);
      pool = m.pool;
    }
    const op = fill(ctx, { f: 'txn', value: mops });
    if (op === undefined) return pending(this);
    return { op, gen: pool === this.pool ? this : new ListAppendGen(this.o, pool) };
  }

  update(): Generator {
    return this;
  }
}
