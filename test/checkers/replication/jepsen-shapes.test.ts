import { describe, expect, it } from 'vitest';
import { checkBank, checkCounter, checkSet, checkSetFull } from '../../../src/checkers/replication/index.js';
import { add, hist, nem, rd, rs, wr, type Row } from './build.js';

// Jepsen's set, set-full, counter and bank shapes on small hand-written histories.
// Index = position in the history, time = index ms.

const transfer = (p: number, from: string, to: string, amount: number, t: 'ok' | 'info' | 'fail' = 'ok'): Row[] => [
  [p, 'invoke', 'transfer', { from, to, amount }],
  [p, t, 'transfer', { from, to, amount }],
];

describe('set', () => {
  it('holds when the final read has every acknowledged add', () => {
    const v = checkSet(hist(add(0, 1), add(1, 2), rs(2, [2, 1])));
    expect(v).toMatchObject({ valid: true, anomalies: [], stats: { ok: 2, lost: 0, finalRead: 4 } });
  });

  it('catches an acknowledged add the final read lacks', () => {
    const v = checkSet(hist(add(0, 1), add(0, 2), rs(1, [1], 'n1')));
    expect(v.valid).toBe(false);
    expect(v.anomalies).toEqual([
      {
        kind: 'lost',
        ops: [2, 3, 4, 5],
        explanation: 'process 0 added 2 and got ok at 0.003 s, but the final read by process 1 from n1 at 0.004 s does not have it',
        data: { lost: 1, elements: [2] },
      },
    ]);
  });

  it('only the last read decides: an earlier read missing an add is not a loss', () => {
    expect(checkSet(hist(add(0, 1), rs(1, []), rs(1, [1])))).toMatchObject({ valid: true, stats: { ok: 1, lost: 0, finalRead: 4 } });
  });

  it('an info add that shows up is recovered; one that never shows up is not lost', () => {
    const v = checkSet(hist(add(0, 1, 'info'), add(0, 2, 'info'), add(0, 3), rs(1, [1, 3])));
    expect(v).toMatchObject({ valid: true, anomalies: [], stats: { ok: 1, recovered: 1, infoAbsent: 1, lost: 0 } });
  });

  it('a failed add that shows up is an anomaly of its own; one that does not is fine', () => {
    const v = checkSet(hist(add(0, 1, 'fail'), add(0, 2), add(0, 3, 'fail'), rs(1, [1, 2])));
    expect(v.anomalies).toEqual([
      {
        kind: 'failed-write-visible',
        ops: [0, 1, 6, 7],
        explanation: 'process 0 added 1 and got fail at 0.001 s (the database said it did not happen), yet the final read by process 1 at 0.006 s has it',
        data: { element: 1 },
      },
    ]);
    expect(v.stats).toMatchObject({ failedVisible: 1, failedAbsent: 1 });
  });

  it('catches elements nobody added and elements read twice', () => {
    const v = checkSet(hist(add(0, 1), rs(1, [1, 1, 9])));
    expect(v.anomalies.map((a) => [a.kind, a.ops, a.data?.elements])).toEqual([
      ['unexpected', [2, 3], [9]],
      ['duplicated', [2, 3], [1]],
    ]);
  });

  it('an add acknowledged after the final read began is never-read (unknown: nothing decided)', () => {
    const v = checkSet(hist([[1, 'invoke', 'read', null]], add(0, 1), [[1, 'ok', 'read', []]]));
    expect(v).toMatchObject({ valid: 'unknown', anomalies: [], stats: { neverRead: 1, lost: 0 } });
  });

  it('is unknown when never read, or when the last read began before the final heal', () => {
    expect(checkSet(hist(add(0, 1)))).toMatchObject({ valid: 'unknown', cause: 'the set was never read' });
    const v = checkSet(hist(add(0, 1), nem('start-partition'), rs(1, []), nem('stop-partition')));
    expect(v).toMatchObject({ valid: 'unknown', anomalies: [], cause: expect.stringMatching(/^the last read began before the final heal/) });
    const lost = checkSet(hist(add(0, 1), nem('start-partition'), nem('stop-partition'), rs(1, [])));
    expect(lost.anomalies.map((a) => [a.kind, a.ops])).toEqual([['lost', [0, 1, 6, 7]]]);
  });
});

describe('set shape', () => {
  it('keyed reads ([key, v], invoked with the key) are not set reads: no element "nobody added"', () => {
    const ops = hist(wr(0, 'r', 1), rd(1, 'r', 1), rd(1, 'r', 1));
    for (const v of [checkSet(ops), checkSetFull(ops)]) {
      expect(v).toMatchObject({ valid: 'unknown', anomalies: [], stats: { reads: 0, ignored: { write: 1, read: 2 } } });
    }
  });
});

describe('set-full', () => {
  it('holds when every element stays; a read that missed it after it was known makes it stale', () => {
    const v = checkSetFull(hist(add(0, 1), rs(1, [], 'n2'), rs(1, [1], 'n1')));
    expect(v).toMatchObject({ valid: true, anomalies: [], stats: { acked: 1, stable: 1, stale: 1, lost: 0 } });
    expect((v.stats as { staleLagMs: { max: number } }).staleLagMs.max).toBe(1);
  });

  it('catches an element that was there and is gone from the final read', () => {
    const v = checkSetFull(hist(add(0, 1), rs(1, [1], 'n1'), rs(1, [], 'n1')));
    expect(v.valid).toBe(false);
    expect(v.anomalies).toEqual([
      {
        kind: 'lost',
        ops: [0, 1, 2, 3, 4, 5],
        explanation:
          'process 0 added 1 and got ok at 0.001 s (op #1); process 1 read it from n1 at 0.002 s (op #2), the last read to hold it, but every read of the set begun after that read ended lacks it (n1 at 0.004 s (op #4))',
        data: { label: 'the set', lost: 1, elements: [1], lastHeld: 2, lackingNodes: ['n1'] },
      },
    ]);
  });

  it('a node whose read overlaps the lagging one and has it keeps it stable; an older one does not', () => {
    const overlap = hist(add(0, 1), [[2, 'invoke', 'read', null]], rs(1, [1], 'n1'), [[2, 'ok', 'read', [], 'n2']]);
    expect(checkSetFull(overlap)).toMatchObject({ valid: true, stats: { stable: 1, stale: 1, lost: 0 } });
    expect(checkSetFull(hist(add(0, 1), rs(1, [1], 'n1'), rs(2, [], 'n2')))).toMatchObject({ valid: false, stats: { stable: 0, lost: 1 } });
  });

  it('an info add that shows up is recovered (stable, even when first seen by the final read); one never seen is not lost', () => {
    const v = checkSetFull(hist(add(0, 1, 'info'), add(0, 2, 'info'), add(0, 3), rs(1, [1, 3])));
    expect(v).toMatchObject({ valid: true, anomalies: [], stats: { acked: 1, recovered: 1, infoNeverSeen: 1, stable: 2, lost: 0 } });
  });

  it('an info add seen and then gone is lost, with the read that saw it in the witness', () => {
    const v = checkSetFull(hist(add(0, 1, 'info'), rs(1, [1]), rs(1, [])));
    expect(v.anomalies.map((a) => [a.kind, a.ops])).toEqual([['lost', [0, 1, 2, 3, 4, 5]]]);
    expect(v.anomalies[0]!.explanation).toBe(
      'process 0 added 1 and it timed out (info); process 1 saw it at 0.002 s (op #2), the last read to hold it, but every read of the set begun after that read ended lacks it (at 0.004 s (op #4))',
    );
  });

  it('a failed add that shows up is an anomaly of its own', () => {
    const v = checkSetFull(hist(add(0, 1, 'fail'), rs(1, [1], 'n2')));
    expect(v.anomalies).toEqual([
      {
        kind: 'failed-write-visible',
        ops: [0, 1, 2, 3],
        explanation:
          'process 0 added 1 and got fail at 0.001 s (op #1) (the database said it did not happen), yet process 1 read the set from n2 at 0.002 s (op #2) and it was there',
        data: { label: 'the set', element: 1, node: 'n2' },
      },
    ]);
  });

  it('catches elements nobody added and elements read twice', () => {
    const v = checkSetFull(hist(add(0, 1), rs(1, [1, 9]), rs(1, [1, 1])));
    expect(v.anomalies.map((a) => [a.kind, a.ops])).toEqual([
      ['unexpected', [2, 3]],
      ['duplicated', [4, 5]],
    ]);
  });

  it('with faults only reads after the final heal decide; a fault never healed is unknown', () => {
    expect(checkSetFull(hist(add(0, 1), nem('start-partition'), rs(1, []), nem('stop-partition')))).toMatchObject({
      valid: 'unknown',
      anomalies: [],
      stats: { neverRead: 1 },
    });
    expect(checkSetFull(hist(add(0, 1), nem('kill'), rs(1, [1])))).toMatchObject({ valid: 'unknown', cause: expect.stringMatching(/never closed/) });
  });
});

describe('counter', () => {
  it('holds when every read lies between the acknowledged and attempted sums', () => {
    const v = checkCounter(hist(add(0, 1), add(0, 2), rs(1, 3), add(0, 4, 'info'), rs(1, 7), rs(1, 3)));
    expect(v).toMatchObject({ valid: true, anomalies: [], stats: { reads: 3, adds: { ok: 2, fail: 0, info: 1 }, lowerBound: 3, upperBound: 7 } });
  });

  it('catches a read below the acknowledged sum', () => {
    const v = checkCounter(hist(add(0, 1), add(0, 2), rs(1, 1, 'n2')));
    expect(v.anomalies).toEqual([
      {
        kind: 'read-too-low',
        ops: [4, 5],
        explanation: 'process 1 read the counter from n2 at 0.004 s (op #4) and got 1, but the adds acknowledged before that read began already sum to 3',
        data: { value: 1, lower: 3, upper: 3 },
      },
    ]);
  });

  it('catches a read above the attempted sum; a failed add is taken back', () => {
    const v = checkCounter(hist(add(0, 1), add(0, 5, 'fail'), rs(1, 6)));
    expect(v.anomalies).toEqual([
      {
        kind: 'read-too-high',
        ops: [4, 5],
        explanation:
          'process 1 read the counter at 0.004 s (op #4) and got 6, but the adds that may have happened before that read ended (ok or info, not failed) sum to at most 1',
        data: { value: 6, lower: 1, upper: 1 },
      },
    ]);
  });

  it('an add concurrent with a read may or may not be in it', () => {
    const ops = hist(
      [
        [1, 'invoke', 'read', null],
        [0, 'invoke', 'add', 5],
        [1, 'ok', 'read', 5],
        [0, 'ok', 'add', 5],
      ],
      rs(1, 0),
    );
    // the read of 5 is fine (the add may have happened); the later read of 0 is too low (5 was acknowledged before it began).
    expect(checkCounter(ops).anomalies.map((a) => [a.kind, a.ops])).toEqual([['read-too-low', [4, 5]]]);
  });

  it('is unknown on a history with no counter ops', () => {
    expect(checkCounter(hist(nem('start-partition')))).toMatchObject({ valid: 'unknown' });
  });
});

describe('bank', () => {
  it('holds when every read adds up to the same total; transfers of any outcome conserve it', () => {
    const v = checkBank(
      hist(rs(0, { a: 50, b: 50 }), transfer(1, 'a', 'b', 10), transfer(1, 'b', 'a', 5, 'fail'), transfer(1, 'a', 'b', 5, 'info'), rs(0, { a: 35, b: 65 })),
    );
    expect(v).toMatchObject({ valid: true, anomalies: [], stats: { reads: 2, total: 100, transfers: { ok: 1, fail: 1, info: 1 } } });
  });

  it('catches a read whose total differs from the first read, naming both', () => {
    const v = checkBank(hist(rs(0, { a: 50, b: 50 }), transfer(1, 'a', 'b', 10), rs(0, { a: 40, b: 50 }, 'n3')));
    expect(v.anomalies).toEqual([
      {
        kind: 'wrong-total',
        ops: [0, 1, 4, 5],
        explanation: 'process 0 read the balances from n3 at 0.004 s and they add up to 90, but the total must stay 100, what process 0 read at 0.000 s',
        data: { total: 90, expected: 100, balances: { a: 40, b: 50 } },
      },
    ]);
  });

  it('with opts.total, each read is held to it alone', () => {
    const v = checkBank(hist(rs(0, { a: 50, b: 40 })), { total: 100 });
    expect(v.anomalies.map((a) => [a.kind, a.ops])).toEqual([['wrong-total', [0, 1]]]);
  });

  it('catches negative balances unless allowed, nil balances and unknown accounts', () => {
    const ops = hist(rs(0, { a: -10, b: 110 }), rs(0, { a: null, b: 100 }), rs(0, { a: 50, c: 50 }));
    expect(checkBank(ops, { accounts: ['a', 'b'] }).anomalies.map((a) => [a.kind, a.ops])).toEqual([
      ['negative-balance', [0, 1]],
      ['nil-balance', [2, 3]],
      ['unexpected-account', [4, 5]],
    ]);
    expect(checkBank(hist(rs(0, { a: -10, b: 110 })), { negativeBalances: true })).toMatchObject({ valid: true });
  });

  it('is unknown on a history with no bank ops', () => {
    expect(checkBank(hist(nem('start-partition')))).toMatchObject({ valid: 'unknown' });
  });
});
