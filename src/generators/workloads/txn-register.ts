import { fill } from '../context.js';
import { pending, type Generator, type GenContext, type GenStep } from '../types.js';
import { keyPool, mixedTxn, positive, takeWrite, type KeyPool, type MicroOp } from './txn-keys.js';
import type { Workload } from './workload.js';

/**
 * `mixed`: Elle's rw-register txns, each micro-op a read or a write of a random active key.
 * `read-then-write`: every txn reads one key, then writes it. Two such txns that read the same version
 * and both commit lost an update (each overwrote a value the other never saw); repeatable read and
 * stronger forbid it.
 */
export type TxnRegisterShape = 'mixed' | 'read-then-write';

export interface TxnRegisterOptions {
  /** Keys in use at once. Default 5. */
  keys?: number;
  /** Micro-ops per txn, uniform in [min, max] (mixed only). Defaults 1 and 4. */
  minTxnLength?: number;
  maxTxnLength?: number;
  /** Writes to one key before it is retired for a fresh one. Default 32. */
  maxWritesPerKey?: number;
  /** Share of reads among micro-ops (mixed only). Default 0.5. */
  readFraction?: number;
  shape?: TxnRegisterShape;
}

interface Config {
  min: number;
  max: number;
  readFraction: number;
  shape: TxnRegisterShape;
}

/**
 * Jepsen's rw-register workload for Elle: `{f: 'txn', value: [['r', k, null], ['w', k, v], ...]}`.
 * Written values are 1, 2, 3, ... per key, so each write is unique and a read names the write it saw
 * (a missing register reads null, the initial version). The single-op `rw-register` workload is another
 * thing: one read or write per op, checked for linearizability.
 */
export function txnRegisterWorkload(opts: TxnRegisterOptions = {}): Workload {
  const min = positive('minTxnLength', opts.minTxnLength ?? 1);
  const max = positive('maxTxnLength', opts.maxTxnLength ?? Math.max(4, min));
  if (max < min) throw new RangeError(`maxTxnLength (${max}) is below minTxnLength (${min})`);
  const o: Config = { min, max, readFraction: opts.readFraction ?? 0.5, shape: opts.shape ?? 'mixed' };
  const pool = keyPool(positive('keys', opts.keys ?? 5), positive('maxWritesPerKey', opts.maxWritesPerKey ?? 32));
  return { name: 'txn-register', generator: new TxnRegisterGen(o, pool) };
}

class TxnRegisterGen implements Generator {
  constructor(
    private readonly o: Config,
    private readonly pool: KeyPool,
  ) {}

  op(ctx: GenContext): GenStep {
    const r = ctx.rng;
    let pool = this.pool;
    const mops: MicroOp[] = [];
    if (this.o.shape === 'read-then-write') {
      const w = takeWrite(pool, r.int(pool.slots.length));
      mops.push(['r', w.key, null], ['w', w.key, w.value]);
      pool = w.pool;
    } else {
      const m = mixedTxn(r, pool, this.o, 'w');
      mops.push(...m.mops);
      pool = m.pool;
    }
    const op = fill(ctx, { f: 'txn', value: mops });
    if (op === undefined) return pending(this);
    return { op, gen: pool === this.pool ? this : new TxnRegisterGen(this.o, pool) };
  }

  update(): Generator {
    return this;
  }
}
