import { describe, expect, it } from 'vitest';
import type { Op } from '../../src/history/op.js';
import { clients, limit, listAppendWorkload, simulate, txnKeys, txnRegisterWorkload, workloadFor, type Generator } from '../../src/generators/index.js';

type Mop = [string, number, number | null];
const txns = (g: Generator, seed = 1, n = 2000): Mop[][] =>
  simulate(clients(limit(n, g)), { concurrency: 5, seed })
    .filter((o: Op) => o.type === 'invoke')
    .map((o) => {
      expect(o.f).toBe('txn');
      return o.value as Mop[];
    });

/** Every write's value per key, in generation order. */
function writesPerKey(ts: Mop[][], f: string): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const t of ts) for (const [g, k, v] of t) if (g === f) (out.get(k) ?? out.set(k, []).get(k)!).push(v!);
  return out;
}

describe('list-append workload', () => {
  it('txns of 1-4 reads and appends; appends 1, 2, 3, ... per key, each key retired after maxWritesPerKey', () => {
    const ts = txns(listAppendWorkload({ keys: 3, maxWritesPerKey: 10 }).generator);
    expect(ts).toHaveLength(2000);
    const lengths = new Set(ts.map((t) => t.length));
    expect(lengths).toEqual(new Set([1, 2, 3, 4]));
    for (const t of ts) for (const m of t) expect(m[0] === 'r' ? m[2] === null : m[0] === 'append' && typeof m[2] === 'number').toBe(true);
    const w = writesPerKey(ts, 'append');
    for (const vs of w.values()) expect(vs).toEqual(Array.from({ length: vs.length }, (_, i) => i + 1));
    // ~2.5 mops per txn, half appends, 10 per key: ~250 keys, all but the 3 active ones full.
    expect(w.size).toBeGreaterThan(200);
    expect([...w.values()].filter((vs) => vs.length < 10).length).toBeLessThanOrEqual(3);
    const mops = ts.flat();
    const reads = mops.filter((m) => m[0] === 'r').length / mops.length;
    expect(reads).toBeGreaterThan(0.45);
    expect(reads).toBeLessThan(0.55);
  });

  it('never reads a key before its first append or after its retirement more than the active window allows', () => {
    // Reads only touch active keys: a read's key has had fewer than maxWritesPerKey appends at that point.
    const ts = txns(listAppendWorkload({ keys: 2, maxWritesPerKey: 4 }).generator, 5);
    const appended = new Map<number, number>();
    for (const t of ts)
      for (const [f, k] of t) {
        if (f === 'r') expect(appended.get(k) ?? 0).toBeLessThan(4);
        else appended.set(k, (appended.get(k) ?? 0) + 1);
      }
  });

  it('honours min and max txn length', () => {
    const ts = txns(listAppendWorkload({ minTxnLength: 2, maxTxnLength: 2 }).generator);
    expect(new Set(ts.map((t) => t.length))).toEqual(new Set([2]));
    expect(() => listAppendWorkload({ minTxnLength: 3, maxTxnLength: 2 })).toThrow(/below/);
    expect(() => listAppendWorkload({ keys: 0 })).toThrow(/keys/);
  });

  it('write-skew: each txn reads both keys of a pair and appends to one of them', () => {
    const ts = txns(listAppendWorkload({ keys: 3, shape: 'write-skew', maxWritesPerKey: 8 }).generator, 2);
    const pairs = new Set<string>();
    const appendedTo = { first: 0, second: 0 };
    for (const t of ts) {
      expect(t.map((m) => m[0])).toEqual(['r', 'r', 'append']);
      const [[, a], [, b], [, x]] = t as [Mop, Mop, Mop];
      expect(a).not.toBe(b);
      expect([a, b]).toContain(x);
      if (x === a) appendedTo.first++;
      else appendedTo.second++;
      pairs.add(`${a},${b}`);
    }
    // 3 keys round up to 2 pairs; appends spread over both keys of a pair.
    expect(appendedTo.first).toBeGreaterThan(800);
    expect(appendedTo.second).toBeGreaterThan(800);
    const w = writesPerKey(ts, 'append');
    for (const vs of w.values()) expect(vs).toEqual(Array.from({ length: vs.length }, (_, i) => i + 1));
    // At any time 4 keys are active: a pair is two of them, and the same pair comes up again and again.
    expect(pairs.size).toBeLessThan(ts.length / 2);
  });

  it('the same seed gives the same txns; another seed others', () => {
    const a = txns(listAppendWorkload().generator, 42, 500);
    expect(txns(listAppendWorkload().generator, 42, 500)).toEqual(a);
    expect(txns(listAppendWorkload().generator, 43, 500)).not.toEqual(a);
    const s = txns(listAppendWorkload({ shape: 'write-skew' }).generator, 42, 500);
    expect(txns(listAppendWorkload({ shape: 'write-skew' }).generator, 42, 500)).toEqual(s);
  });
});

describe('txn-register workload', () => {
  it('txns of reads and writes; writes 1, 2, 3, ... per key (unique), keys retired after maxWritesPerKey', () => {
    const ts = txns(txnRegisterWorkload({ keys: 4, maxWritesPerKey: 5 }).generator, 3);
    expect(new Set(ts.map((t) => t.length))).toEqual(new Set([1, 2, 3, 4]));
    for (const t of ts) for (const m of t) expect(m[0] === 'r' ? m[2] === null : m[0] === 'w' && typeof m[2] === 'number').toBe(true);
    const w = writesPerKey(ts, 'w');
    for (const vs of w.values()) {
      expect(vs).toEqual(Array.from({ length: vs.length }, (_, i) => i + 1));
      expect(vs.length).toBeLessThanOrEqual(5);
    }
    expect(w.size).toBeGreaterThan(300);
  });

  it('read-then-write: each txn reads a key, then writes the next value to it', () => {
    const ts = txns(txnRegisterWorkload({ keys: 2, shape: 'read-then-write', maxWritesPerKey: 100 }).generator, 4);
    for (const t of ts) {
      expect(t).toHaveLength(2);
      expect(t[0]![0]).toBe('r');
      expect(t[1]![0]).toBe('w');
      expect(t[1]![1]).toBe(t[0]![1]);
    }
    const w = writesPerKey(ts, 'w');
    for (const vs of w.values()) expect(vs).toEqual(Array.from({ length: vs.length }, (_, i) => i + 1));
    // Two active keys at a time, each retired after 100 writes: all but the two active keys are full.
    expect([...w.values()].reduce((n, vs) => n + vs.length, 0)).toBe(2000);
    expect([...w.values()].filter((vs) => vs.length < 100).length).toBeLessThanOrEqual(2);
    expect(w.size).toBeGreaterThanOrEqual(20);
  });

  it('the same seed gives the same txns', () => {
    const g = () => txnRegisterWorkload({ shape: 'read-then-write' }).generator;
    expect(txns(g(), 9, 300)).toEqual(txns(g(), 9, 300));
    expect(txns(g(), 9, 300)).not.toEqual(txns(g(), 10, 300));
  });
});

describe('workloadFor and txnKeys', () => {
  it('builds each workload from the run settings', () => {
    expect(workloadFor('list-append', { txnShape: 'write-skew', keys: 2 }).name).toBe('list-append');
    expect(txns(workloadFor('txn-register', { txnShape: 'read-then-write', keys: 1 }).generator, 1, 10).every((t) => t.length === 2)).toBe(true);
    expect(workloadFor('append', { keys: 3 }).name).toBe('append');
    expect(() => workloadFor('nope')).toThrow(/unknown workload/);
  });

  it('names the keys a txn touches, once each', () => {
    expect(
      txnKeys([
        ['r', 3, null],
        ['append', 3, 1],
        ['w', 'x', 2],
      ]),
    ).toEqual([3, 'x']);
    expect(txnKeys(null)).toEqual([]);
  });
});
