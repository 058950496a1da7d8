// Generated histories (bench/gen/txn.ts, Elle's generator shape with a simulated database): each
// anomaly the simulator can inject is found, with exactly the kinds it implies, on a 2,000-transaction
// history; and a tiny time budget on a big cyclic history never yields "valid".
import { describe, expect, it } from 'vitest';
import { generateTxnHistory, TXN_ANOMALIES, type TxnAnomaly, type TxnWorkload } from '../../../bench/gen/txn.js';
import { checkListAppend, checkRwRegister } from '../../../src/checkers/txn/index.js';
import type { CheckOptions, Verdict } from '../../../src/checkers/types.js';

const gen = (workload: TxnWorkload, anomaly?: TxnAnomaly, txns = 2000, seed = 1) =>
  generateTxnHistory({ workload, txns, seed, ...(anomaly ? { anomaly } : {}) });
const distinct = (v: Verdict) => [...new Set(v.anomalies.map((a) => a.kind))];
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

describe('injected anomalies on a 2,000-transaction list-append history', () => {
  it('without injection the history is valid', () => {
    expect(checkListAppend(gen('list-append').ops, {})).toMatchObject({ valid: true, anomalies: [] });
  });

  // The kinds each injection shows, as Elle names them. Besides the injected one:
  // - G1a: the failed append was applied, so later committed appends follow it: dirty-update.
  // - G1b and lost-update: the reader of the whole order also closes a G-single-item (as in Elle).
  // - garbage-read: the bogus element ends the read, so later reads are no extension of it: incompatible-order.
  // - stale-read: a read missing an append that completed before it began: G-single-item-realtime.
  const expected: Record<TxnAnomaly, string[]> = {
    G0: ['G0'],
    G1a: ['dirty-update', 'G1a'],
    G1b: ['G-single-item', 'G1b'],
    G1c: ['G1c'],
    'G-single': ['G-single-item'],
    'G2-item': ['G2-item'],
    'lost-update': ['G-single-item', 'lost-update'],
    internal: ['internal'],
    'duplicate-elements': ['duplicate-elements'],
    'incompatible-order': ['incompatible-order'],
    'garbage-read': ['garbage-read', 'incompatible-order'],
    'stale-read': ['G-single-item-realtime'],
  };
  const pairs = new Set<TxnAnomaly>(['G0', 'G1b', 'G1c', 'G-single', 'G2-item', 'lost-update']);

  it('covers every anomaly the generator can inject', () => {
    expect(Object.keys(expected).sort()).toEqual([...TXN_ANOMALIES].sort());
  });

  for (const anomaly of TXN_ANOMALIES) {
    it(`${anomaly}: found as ${expected[anomaly].join(', ')}, naming the injected transactions`, () => {
      const { ops, stats } = gen('list-append', anomaly);
      expect(stats.injected).toHaveLength(1);
      const inj = stats.injected[0]!;
      expect(inj.completions.length).toBeGreaterThan(0);
      const v = checkListAppend(ops, {});
      expect(v.valid).toBe(false);
      expect(distinct(v)).toEqual(expected[anomaly]);
      const mine = v.anomalies.filter((a) => a.kind === expected[anomaly]!.at(-1) || a.kind === expected[anomaly]![0]);
      if (anomaly === 'duplicate-elements') {
        // The carrier's append was applied twice: every duplicate-elements read (by others) holds its element twice.
        const appended = (ops[inj.completions[0]!]!.value as [string, number, number][])[0]!;
        for (const a of v.anomalies) expect(a.data).toMatchObject({ key: inj.keys[0], duplicates: [[appended[2], 2]] });
      } else {
        // Every anomaly names an injected transaction.
        for (const a of v.anomalies)
          expect(
            a.ops.some((i) => inj.completions.includes(i)),
            `${a.kind} ${a.ops.join(',')}`,
          ).toBe(true);
      }
      if (pairs.has(anomaly)) {
        // The two transactions of the pair, and only they, make up the cycle.
        const cycle = mine.find((a) => a.data?.cycle !== undefined)!;
        expect(sorted(cycle.ops)).toEqual(sorted(inj.completions));
      }
    });
  }
});

describe('injected anomalies on a 2,000-transaction rw-register history', () => {
  it('without injection the history is valid, under every key assumption', () => {
    const { ops } = gen('rw-register');
    expect(checkRwRegister(ops, {})).toMatchObject({ valid: true, anomalies: [] });
    expect(checkRwRegister(ops, { txn: { wfrKeys: true, sequentialKeys: true, linearizableKeys: true } })).toMatchObject({ valid: true, anomalies: [] });
  });

  // Registers need a version order for ww and most rw edges. G0, G-single and (here) G2-item have
  // none from the initial state alone; G2-item's transactions read before they write, so --wfr-keys
  // orders them; the stale read contradicts realtime order, so --linearizable-keys finds the key's
  // versions cyclic. Under this seed no assumption orders the G0 pair's blind writes nor the
  // G-single reader's older version (both are overwritten by concurrent writers before anyone
  // could order them), so those two are not expected here. A garbage read is no register anomaly:
  // Elle takes a value nobody wrote for an initial state it does not know.
  const cases: [TxnAnomaly, CheckOptions, string[]][] = [
    ['G1a', {}, ['G1a']],
    ['G1b', {}, ['G1b']],
    ['G1c', {}, ['G1c']],
    ['lost-update', {}, ['lost-update']],
    ['internal', {}, ['internal']],
    ['G2-item', { txn: { wfrKeys: true } }, ['G2-item']],
    ['lost-update', { txn: { wfrKeys: true } }, ['lost-update', 'G2-item']],
    ['stale-read', { txn: { linearizableKeys: true } }, ['cyclic-versions']],
    ['garbage-read', {}, []],
  ];
  for (const [anomaly, opts, kinds] of cases) {
    it(`${anomaly} ${JSON.stringify(opts.txn ?? {})}: ${kinds.length ? kinds.join(', ') : 'valid'}`, () => {
      const { ops, stats } = gen('rw-register', anomaly);
      const inj = stats.injected[0]!;
      const v = checkRwRegister(ops, opts);
      expect(distinct(v)).toEqual(kinds);
      expect(v.valid).toBe(kinds.length === 0);
      if (anomaly === 'stale-read') return; // the versions' writers and readers, not the stale reader
      for (const a of v.anomalies)
        expect(
          a.ops.some((i) => inj.completions.includes(i)),
          `${a.kind} ${a.ops.join(',')}`,
        ).toBe(true);
    });
  }

  it('the same G2-item is invisible without --wfr-keys: valid, not a guess', () => {
    expect(checkRwRegister(gen('rw-register', 'G2-item').ops, {})).toMatchObject({ valid: true, anomalies: [] });
  });
});

describe('a tiny time budget on a big cyclic history: unknown or false, never valid', () => {
  const big = generateTxnHistory({ txns: 20_000, seed: 3, anomaly: 'G2-item', anomalyCount: 20 }).ops;

  it('without a budget the G2-items are found', () => {
    const v = checkListAppend(big, {});
    expect(v.valid).toBe(false);
    expect(distinct(v)).toEqual(['G2-item']);
  });

  it('with 1 ms: unknown, saying the budget ran out', () => {
    const v = checkListAppend(big, { timeLimitMs: 1 });
    expect(v.valid).not.toBe(true);
    expect(v.anomalies.map((a) => a.kind)).toContain('cycle-search-timeout');
    if (v.valid === 'unknown') expect(v.cause).toMatch(/time budget/);
  });

  it('with 1 ms, anomalies inference found without searching still make it false', () => {
    const ops = generateTxnHistory({ txns: 20_000, seed: 3, anomaly: 'G1a', anomalyCount: 5 }).ops;
    const v = checkListAppend(ops, { timeLimitMs: 1 });
    expect(v.valid).toBe(false);
    expect(distinct(v)).toEqual(expect.arrayContaining(['G1a', 'cycle-search-timeout']));
  });

  it('rw-register too', () => {
    const ops = generateTxnHistory({ workload: 'rw-register', txns: 20_000, seed: 3, anomaly: 'G2-item', anomalyCount: 20 }).ops;
    expect(distinct(checkRwRegister(ops, { txn: { wfrKeys: true } }))).toEqual(['G2-item']);
    const v = checkRwRegister(ops, { timeLimitMs: 1, txn: { wfrKeys: true } });
    expect(v.valid).not.toBe(true);
    expect(v.anomalies.map((a) => a.kind)).toContain('cycle-search-timeout');
  });
});
