import { describe, expect, it } from 'vitest';
import type { Op } from '../../src/history/op.js';
import { appendWorkload, clients, limit, registerWorkload, setWorkload, simulate, finalGen } from '../../src/generators/index.js';

const invokes = (h: Op[]): Op[] => h.filter((o) => o.type === 'invoke');

describe('register workload', () => {
  it('reads, writes and cas on [key, v] with v in 0..4, each key taking a bounded number of ops', () => {
    const h = invokes(simulate(clients(limit(2000, registerWorkload({ opsPerKey: 50, threadsPerKey: 3 }).generator)), { concurrency: 6, seed: 1 }));
    const perKey = new Map<unknown, number>();
    const threadsOfKey = new Map<unknown, Set<number>>();
    for (const o of h) {
      const [k, v] = o.value as [number, unknown];
      perKey.set(k, (perKey.get(k) ?? 0) + 1);
      (threadsOfKey.get(k) ?? threadsOfKey.set(k, new Set()).get(k)!).add((o.process as number) % 6);
      if (o.f === 'read') expect(v).toBeNull();
      else if (o.f === 'write') expect([0, 1, 2, 3, 4]).toContain(v);
      else {
        expect(o.f).toBe('cas');
        for (const x of v as number[]) expect([0, 1, 2, 3, 4]).toContain(x);
      }
    }
    expect(new Set(h.map((o) => o.f))).toEqual(new Set(['read', 'write', 'cas']));
    for (const n of perKey.values()) expect(n).toBeLessThanOrEqual(50);
    expect(perKey.size).toBeGreaterThanOrEqual(40);
    for (const ts of threadsOfKey.values()) expect(ts.size).toBeLessThanOrEqual(3);
  });
});

describe('append workload', () => {
  it('appends unique increasing elements per key, reads [key, nil], and rotates keys', () => {
    const h = invokes(simulate(clients(limit(1000, appendWorkload({ keys: 3, maxWritesPerKey: 10 }).generator)), { concurrency: 4, seed: 3 }));
    const last = new Map<unknown, number>();
    for (const o of h) {
      const [k, e] = o.value as [number, number | null];
      if (o.f === 'read') {
        expect(e).toBeNull();
        continue;
      }
      expect(o.f).toBe('append');
      expect(e!).toBeGreaterThan(last.get(k) ?? 0);
      expect(e!).toBeLessThanOrEqual(10);
      last.set(k, e!);
    }
    expect(last.size).toBeGreaterThan(20);
    const reads = h.filter((o) => o.f === 'read').length;
    expect(reads / h.length).toBeGreaterThan(0.4);
    expect(reads / h.length).toBeLessThan(0.6);
  });
});

describe('set workload', () => {
  it('adds unique elements, then reads once at the end', () => {
    const w = setWorkload();
    const h = invokes(simulate(finalGen(clients(limit(100, w.generator)), { reads: w.final }), { concurrency: 5, seed: 1 }));
    const adds = h.filter((o) => o.f === 'add').map((o) => o.value);
    expect(new Set(adds).size).toBe(100);
    expect(h.at(-1)!.f).toBe('read');
    expect(h.filter((o) => o.f === 'read')).toHaveLength(1);
  });
});
