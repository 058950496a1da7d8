/**
 * The active keys of a transactional workload, as an immutable value: `slots[i]` is the key in slot i and
 * the value its next write takes (1, 2, 3, ...: unique per key). A key that has taken maxWritesPerKey
 * writes is retired for a fresh key nobody has used, so reads of a list stay short and every key sees a
 * bounded number of writes (Elle's max-writes-per-key).
 */
export interface KeyPool {
  readonly slots: readonly { readonly key: number; readonly next: number }[];
  /** The key the next retirement brings in. */
  readonly fresh: number;
  readonly maxWritesPerKey: number;
}

export function keyPool(keys: number, maxWritesPerKey: number): KeyPool {
  return { slots: Array.from({ length: keys }, (_, k) => ({ key: k, next: 1 })), fresh: keys, maxWritesPerKey };
}

/** The write slot i takes next: its key, the value, and the pool after it (the slot's key retired when full). */
export function takeWrite(pool: KeyPool, i: number): { key: number; value: number; pool: KeyPool } {
  const slot = pool.slots[i]!;
  const slots = pool.slots.slice();
  const full = slot.next >= pool.maxWritesPerKey;
  slots[i] = full ? { key: pool.fresh, next: 1 } : { key: slot.key, next: slot.next + 1 };
  return { key: slot.key, value: slot.next, pool: { slots, fresh: full ? pool.fresh + 1 : pool.fresh, maxWritesPerKey: pool.maxWritesPerKey } };
}

/** A transaction length uniform in [min, max]. */
export function txnLength(rng: { int(n: number): number }, min: number, max: number): number {
  return min + rng.int(max - min + 1);
}

/** A micro-op: [f, key, value] (a read's value is null until it completes). */
export type MicroOp = [string, number, number | null];

/**
 * A mixed transaction of `txnLength` micro-ops, each on a random active slot: a read with probability
 * readFraction, else a write (`writeF`: 'append' or 'w') of the slot's next value. The rng calls come in
 * the same order for every workload, so a seed replays the same schedule.
 */
export function mixedTxn(
  r: { int(n: number): number; float(): number },
  pool: KeyPool,
  o: { min: number; max: number; readFraction: number },
  writeF: string,
): { mops: MicroOp[]; pool: KeyPool } {
  const mops: MicroOp[] = [];
  const n = txnLength(r, o.min, o.max);
  for (let i = 0; i < n; i++) {
    const slot = r.int(pool.slots.length);
    if (r.float() < o.readFraction) {
      mops.push(['r', pool.slots[slot]!.key, null]);
    } else {
      const w = takeWrite(pool, slot);
      mops.push([writeF, w.key, w.value]);
      pool = w.pool;
    }
  }
  return { mops, pool };
}

/** Whole numbers at least 1 (a bad option is the caller's bug: the CLI validates what users give). */
export function positive(name: string, n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a whole number >= 1, got ${n}`);
  return n;
}

/** The keys a transaction's micro-ops touch (`[f, k, v]` each), in order, without repeats. */
export function txnKeys(value: unknown): unknown[] {
  if (!Array.isArray(value)) return [];
  const out: unknown[] = [];
  for (const m of value) if (Array.isArray(m) && m.length === 3 && !out.includes(m[1])) out.push(m[1]);
  return out;
}
