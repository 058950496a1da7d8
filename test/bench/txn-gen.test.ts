import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateTxnHistory, writeTxnHistory, type TxnAnomaly, type TxnGenOptions } from '../../bench/gen/txn.js';
import { loadHistory } from '../../src/history/load.js';
import { lintHistory } from '../../src/history/lint.js';
import type { Op } from '../../src/history/op.js';

type Mop = [string, number, unknown];
const mops = (op: Op) => op.value as Mop[];
const gen = (o: Partial<TxnGenOptions> = {}) => generateTxnHistory({ txns: 3000, seed: 7, ...o });

/** Each key's longest ok read: in a valid list-append history, every other read is a prefix of it. */
function longestReads(ops: Op[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const op of ops) {
    if (op.type !== 'ok') continue;
    for (const [f, k, v] of mops(op)) if (f === 'r' && (v as number[]).length > (out.get(k)?.length ?? -1)) out.set(k, v as number[]);
  }
  return out;
}
const isPrefix = (a: readonly unknown[], b: readonly unknown[]) => a.length <= b.length && a.every((x, i) => x === b[i]);

/** Invocation of each completion (by history index), pairing by process. */
function pairs(ops: Op[]): Map<number, Op> {
  const open = new Map<unknown, Op>();
  const inv = new Map<number, Op>();
  for (const op of ops) {
    if (op.type === 'invoke') open.set(op.process, op);
    else {
      inv.set(op.index, open.get(op.process)!);
      open.delete(op.process);
    }
  }
  return inv;
}

/** Reads of key k in ok transactions completed after history index `after`. */
const readsAfter = (ops: Op[], after: number, k: number) =>
  ops
    .filter((op) => op.index > after && op.type === 'ok')
    .flatMap((op) =>
      mops(op)
        .filter(([f, key]) => f === 'r' && key === k)
        .map(([, , v]) => v as number[]),
    );

describe('transactional history generator: the valid database', () => {
  it('is deterministic for a seed, and another seed gives another history', () => {
    expect(JSON.stringify(gen().ops)).toBe(JSON.stringify(gen().ops));
    expect(JSON.stringify(gen({ seed: 8 }).ops)).not.toBe(JSON.stringify(gen().ops));
  });

  it("has Elle's shape: txn ops, 1-4 micro-ops, info and fail outcomes, lint-clean, indices and times increasing", () => {
    const { ops, stats } = gen();
    expect(ops).toHaveLength(6000);
    expect(stats).toMatchObject({ lines: 6000, txns: 3000 });
    expect(stats.ok + stats.info + stats.fail).toBe(3000);
    expect(stats.info).toBeGreaterThan(0);
    expect(stats.fail).toBeGreaterThan(0);
    for (const op of ops) {
      expect(op.f).toBe('txn');
      expect(mops(op).length).toBeGreaterThanOrEqual(1);
      expect(mops(op).length).toBeLessThanOrEqual(4);
    }
    expect(ops.every((op, i) => op.index === i && (i === 0 || op.time >= ops[i - 1]!.time))).toBe(true);
    expect(lintHistory({ file: 'gen', format: 'jsonl', ops, lines: [], warnings: [] })).toEqual([]);
    // Info and fail completions carry the invocation's value (reads unknown).
    const inv = pairs(ops);
    for (const op of ops) if (op.type === 'info' || op.type === 'fail') expect(op.value).toEqual(inv.get(op.index)!.value);
  });

  it('really runs 10 transactions at once, and retires the process of an info transaction', () => {
    const { ops, stats } = gen();
    let open = 0;
    let most = 0;
    const retired = new Set<unknown>();
    for (const op of ops) {
      expect(retired.has(op.process)).toBe(false);
      open += op.type === 'invoke' ? 1 : -1;
      most = Math.max(most, open);
      if (op.type === 'info') retired.add(op.process);
    }
    expect(most).toBe(10);
    expect(stats.maxOpen).toBe(10);
    expect(new Set(ops.filter((op) => op.type === 'invoke').map((op) => op.process)).size).toBeGreaterThan(10);
  });

  it('writes unique values per key, and retires each key after 32 writes', () => {
    for (const workload of ['list-append', 'rw-register'] as const) {
      const { ops } = gen({ workload });
      const seen = new Set<string>();
      const perKey = new Map<number, number>();
      for (const op of ops) {
        if (op.type !== 'invoke') continue;
        for (const [f, k, v] of mops(op)) {
          if (f === 'r') continue;
          expect(f).toBe(workload === 'list-append' ? 'append' : 'w');
          expect(seen.has(`${k}/${String(v)}`)).toBe(false);
          seen.add(`${k}/${String(v)}`);
          perKey.set(k, (perKey.get(k) ?? 0) + 1);
        }
      }
      expect(Math.max(...perKey.values())).toBe(32);
      expect(perKey.size).toBeGreaterThan(100); // 3000 txns x ~1.25 writes / 32 per key
    }
  });

  it('list-append: every read is a prefix of its key final order, with realtime and own writes respected', () => {
    const { ops } = gen();
    const final = longestReads(ops);
    const inv = pairs(ops);
    // Per key, the values appended by ok transactions with their completion index.
    const appended = new Map<number, [unknown, number][]>();
    for (const op of ops) {
      if (op.type !== 'ok') continue;
      for (const [f, k, v] of mops(op)) if (f === 'append') appended.set(k, [...(appended.get(k) ?? []), [v, op.index]]);
    }
    let reads = 0;
    for (const op of ops) {
      if (op.type !== 'ok') continue;
      const own = new Map<number, unknown[]>();
      for (const [f, k, v] of mops(op)) {
        if (f === 'append') {
          own.set(k, [...(own.get(k) ?? []), v]);
          continue;
        }
        reads++;
        const list = v as number[];
        expect(isPrefix(list, final.get(k)!)).toBe(true);
        // Own earlier appends are the read's last elements.
        const mine = own.get(k) ?? [];
        expect(list.slice(list.length - mine.length)).toEqual(mine);
        // Every value whose ok transaction completed before this one was invoked is there (strict).
        const invokedAt = inv.get(op.index)!.index;
        for (const [value, at] of appended.get(k) ?? []) if (at < invokedAt) expect(list).toContain(value);
      }
    }
    expect(reads).toBeGreaterThan(1000);
  });

  it('rw-register: a read returns the last value written before it, never one written after it completed', () => {
    const { ops } = gen({ workload: 'rw-register' });
    const inv = pairs(ops);
    // Per key, the ok writes in completion order: a read can only return a value written (or nil).
    const written = new Map<string, number>();
    for (const op of ops) if (op.type !== 'invoke') for (const [f, k, v] of mops(op)) if (f === 'w') written.set(`${k}/${String(v)}`, op.index);
    for (const op of ops) {
      if (op.type !== 'ok') continue;
      for (const [f, k, v] of mops(op)) {
        if (f !== 'r' || v === null) continue;
        const at = written.get(`${k}/${String(v)}`);
        expect(at).toBeDefined();
        // The writer was invoked before this reader completed.
        expect(inv.get(at!)!.index).toBeLessThan(op.index);
      }
    }
  });

  it('streams the same history to JSONL as it builds in memory, and 1-element keys stay numbers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-txn-gen-'));
    try {
      const file = join(dir, 'h.jsonl');
      const stats = writeTxnHistory(file, { txns: 500, seed: 3 });
      const h = await loadHistory(file);
      expect(stats.lines).toBe(1000);
      expect(h.ops).toEqual(generateTxnHistory({ txns: 500, seed: 3 }).ops);
      expect(lintHistory(h)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('transactional history generator: injected anomalies are in the raw data', () => {
  const inject = (anomaly: TxnAnomaly, workload: 'list-append' | 'rw-register' = 'list-append') => {
    const { ops, stats } = gen({ anomaly, workload, infoRate: 0, failRate: 0 });
    expect(stats.injected).toHaveLength(1);
    const rec = stats.injected[0]!;
    const [a, b] = rec.completions.map((i) => ops[i]!);
    return { ops, rec, a: a!, b: b!, va: mops(a!), vb: b ? mops(b) : [] };
  };

  it('G2-item (write skew): two committed transactions whose reads each miss the other one append', () => {
    const { ops, rec, a, b, va, vb } = inject('G2-item');
    const [x, y] = rec.keys as [number, number];
    expect([a.type, b.type]).toEqual(['ok', 'ok']);
    expect(va.map((m) => m[0])).toEqual(['r', 'r', 'append']);
    const ax = va[2]![2];
    const by = vb[2]![2];
    expect(va[2]![1]).toBe(x);
    expect(vb[2]![1]).toBe(y);
    // Each read misses the other's append, and both read the same snapshot.
    expect(va[1]![2]).not.toContain(by);
    expect(vb[0]![2]).not.toContain(ax);
    expect(va.slice(0, 2)).toEqual(vb.slice(0, 2));
    // Later reads show both appends after what was read: the version orders the checker needs.
    const last = Math.max(...rec.completions);
    expect(readsAfter(ops, last, x).some((l) => isPrefix([...(vb[0]![2] as number[]), ax], l))).toBe(true);
    expect(readsAfter(ops, last, y).some((l) => isPrefix([...(va[1]![2] as number[]), by], l))).toBe(true);
    // Nothing else is wrong: reads stay prefixes of the final orders.
    const final = longestReads(ops);
    for (const op of ops) if (op.type === 'ok') for (const [f, k, v] of mops(op)) if (f === 'r') expect(isPrefix(v as number[], final.get(k)!)).toBe(true);
  });

  it('G1c: each of two transactions reads the other one append', () => {
    const { va, vb } = inject('G1c');
    expect(va[1]![2]).toContain(vb[0]![2]);
    expect(vb[1]![2]).toContain(va[0]![2]);
  });

  it('G-single (read skew): a transaction sees the second of two appends of another, not the first', () => {
    const { va, vb } = inject('G-single');
    expect(va[0]![2]).not.toContain(vb[0]![2]);
    expect(va[1]![2]).toContain(vb[1]![2]);
  });

  it('lost-update: two committed transactions read the same list and both append to it', () => {
    const { a, b, va, vb, rec } = inject('lost-update');
    expect([a.type, b.type]).toEqual(['ok', 'ok']);
    expect(va[0]).toEqual(vb[0]);
    expect([va[1]![0], va[1]![1], vb[1]![0], vb[1]![1]]).toEqual(['append', rec.keys[0], 'append', rec.keys[0]]);
  });

  it('G0: later reads order the two transactions one way on x and the other way on y', () => {
    const { ops, rec, va, vb } = inject('G0');
    const [x, y] = rec.keys as [number, number];
    const last = Math.max(...rec.completions);
    const lx = readsAfter(ops, last, x).find((l) => l.includes(vb[0]![2] as number))!;
    const ly = readsAfter(ops, last, y).find((l) => l.includes(va[1]![2] as number))!;
    expect(lx.indexOf(va[0]![2] as number)).toBe(lx.indexOf(vb[0]![2] as number) - 1);
    expect(ly.indexOf(vb[1]![2] as number)).toBe(ly.indexOf(va[1]![2] as number) - 1);
  });

  it('G1b: a read ends with the first of two appends of one transaction', () => {
    const { va, vb } = inject('G1b');
    const read = vb[0]![2] as number[];
    expect(read[read.length - 1]).toBe(va[0]![2]);
    expect(read).not.toContain(va[1]![2]);
  });

  it('G1a: a failed append shows up in a later committed read', () => {
    const { ops, rec, a, va } = inject('G1a');
    expect(a.type).toBe('fail');
    expect(readsAfter(ops, rec.completions[0]!, rec.keys[0]!).some((l) => l.includes(va[0]![2] as number))).toBe(true);
  });

  it('internal: a transaction reads its key without its own append', () => {
    const { va } = inject('internal');
    expect(va[1]![2]).not.toContain(va[0]![2]);
    const reg = inject('internal', 'rw-register');
    expect(reg.va[1]![2]).not.toBe(reg.va[0]![2]);
  });

  it('duplicate-elements: a later read has the value twice', () => {
    const { ops, rec, va } = inject('duplicate-elements');
    const v = va[0]![2];
    expect(readsAfter(ops, rec.completions[0]!, rec.keys[0]!).some((l) => l.filter((e) => e === v).length === 2)).toBe(true);
  });

  it('incompatible-order: a read is neither a prefix of the final order nor has it as a prefix', () => {
    const { ops, rec, va } = inject('incompatible-order');
    const read = va[0]![2] as number[];
    const final = readsAfter(ops, rec.completions[0]!, rec.keys[0]!).reduce((m, l) => (l.length > m.length ? l : m), [] as number[]);
    expect(read.length).toBeGreaterThanOrEqual(2);
    expect(isPrefix(read, final) || isPrefix(final, read)).toBe(false);
  });

  it('garbage-read: a read holds a value no transaction wrote', () => {
    for (const w of ['list-append', 'rw-register'] as const) {
      const { ops, rec, va } = inject('garbage-read', w);
      const writes = new Set(
        ops.flatMap((op) =>
          mops(op)
            .filter(([f, k]) => f !== 'r' && k === rec.keys[0])
            .map(([, , v]) => v),
        ),
      );
      const v = va[0]![2];
      const got = Array.isArray(v) ? v : [v];
      expect(got.some((e) => !writes.has(e))).toBe(true);
    }
  });

  it('stale-read: a read misses an append whose transaction completed before the read began', () => {
    const { ops, rec, va } = inject('stale-read');
    const read = va[0]![2] as number[];
    const k = rec.keys[0]!;
    const invokedAt = rec.invokes[0]!;
    const missed = ops.filter(
      (op) => op.index < invokedAt && op.type === 'ok' && mops(op).some(([f, key, v]) => f === 'append' && key === k && !read.includes(v as number)),
    );
    expect(missed.length).toBeGreaterThan(0);
  });

  it('injects anomalyCount anomalies spread over the run', () => {
    const { stats } = gen({ anomaly: 'G2-item', anomalyCount: 4 });
    expect(stats.injected).toHaveLength(4);
    const firsts = stats.injected.map((r) => r.invokes[0]!);
    expect(firsts).toEqual([...firsts].sort((p, q) => p - q));
    expect(firsts[3]! - firsts[0]!).toBeGreaterThan(3000);
    for (const r of stats.injected) expect(r.completions).toHaveLength(2);
  });

  it('refuses list-only anomalies for rw-register and unknown names', () => {
    expect(() => gen({ workload: 'rw-register', anomaly: 'duplicate-elements' })).toThrow(/list-append/);
    expect(() => gen({ anomaly: 'G9' as TxnAnomaly })).toThrow(/unknown anomaly/);
  });
});
