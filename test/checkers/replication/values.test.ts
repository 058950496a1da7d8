import { describe, expect, it } from 'vitest';
import {
  checkBank,
  checkConsistentPrefix,
  checkCounter,
  checkLostWrites,
  checkMonotonicReads,
  checkReadYourWrites,
} from '../../../src/checkers/replication/index.js';
import { parseHistory } from '../../../src/history/load.js';
import { formatOpLine } from '../../../src/history/writer.js';
import { add, ap, hist, rd, rs, wr } from './build.js';

describe('keys compare by type and value', () => {
  it('key 1 and key "1" are two keys', () => {
    const ok = checkLostWrites(hist(ap(0, 1, 'a'), ap(0, '1', 'b'), rd(1, 1, ['a'], 'n1'), rd(1, '1', ['b'], 'n1')));
    expect(ok).toMatchObject({ valid: true, anomalies: [], stats: { keys: 2, stable: 2, lost: 0 } });
    const v = checkLostWrites(hist(ap(0, 1, 'a'), ap(0, '1', 'b'), rd(1, 1, ['a'], 'n1'), rd(1, '1', ['a'], 'n1')));
    expect(v.valid).toBe(false);
    expect(v.anomalies.map((a) => [a.kind, a.ops, a.explanation])).toEqual([
      [
        'lost',
        [2, 3, 6, 7],
        'process 0 appended "b" to key "1" and got ok at 0.003 s (op #3), but every read of key "1" begun after the ok lacks it (n1 at 0.006 s (op #6))',
      ],
      ['unexpected', [6, 7], 'reads of key "1" show an element nobody appended to it ("a"), first process 1 reading it from n1 at 0.006 s'],
    ]);
  });

  it('key true and key "true" are two keys', () => {
    // One register each: true holds 1; "true" was written 1 then 2. Read as one key, its writes would not increase.
    const ok = checkReadYourWrites(hist(wr(0, true, 1), wr(0, 'true', 1), wr(0, 'true', 2), rd(0, true, 1), rd(0, 'true', 2)));
    expect(ok).toMatchObject({ valid: true, anomalies: [], stats: { keys: 2 } });
    const v = checkReadYourWrites(hist(wr(0, true, 1), wr(0, 'true', 1), wr(0, 'true', 2), rd(0, true, 1), rd(0, 'true', 1)));
    expect(v.valid).toBe(false);
    expect(v.anomalies.map((a) => [a.kind, a.ops, a.explanation])).toEqual([
      [
        'read-your-writes',
        [4, 5, 8, 9],
        'process 0 wrote 2 to key "true" and got ok at 0.005 s (op #5), then read key "true" at 0.008 s (op #8) and got the older 1',
      ],
    ]);
  });
});

describe('append elements that are arrays or objects compare by structure', () => {
  it('appends of [1,2] and {"a":1} read back are valid, from a loaded history too', () => {
    const ops = hist(ap(0, 'x', [1, 2]), ap(0, 'x', { a: 1 }), rd(1, 'x', [[1, 2]], 'n1'), rd(1, 'x', [[1, 2], { a: 1 }], 'n1'));
    const loaded = parseHistory(ops.map(formatOpLine).join(''), 'h.jsonl').ops;
    for (const h of [ops, loaded]) {
      expect(checkLostWrites(h)).toMatchObject({ valid: true, anomalies: [], stats: { acked: 2, stable: 2, lost: 0 } });
      expect(checkConsistentPrefix(h)).toMatchObject({ valid: true, stats: { divergentReads: 0 } });
      expect(checkMonotonicReads(h).valid).toBe(true);
    }
  });

  it('an object missing from the final read is lost, with its witness', () => {
    const v = checkLostWrites(hist(ap(0, 'x', [1, 2]), ap(0, 'x', { a: 1 }), rd(1, 'x', [[1, 2]], 'n1')));
    expect(v.valid).toBe(false);
    expect(v.anomalies).toEqual([
      {
        kind: 'lost',
        ops: [2, 3, 4, 5],
        explanation:
          'process 0 appended {"a":1} to key x and got ok at 0.003 s (op #3), but every read of key x begun after the ok lacks it (n1 at 0.004 s (op #4))',
        data: { label: 'key x', lost: 1, elements: [{ a: 1 }], lackingNodes: ['n1'] },
      },
    ]);
  });

  it('keys inside objects are compared whatever their order; [1,2] is not [2,1] nor "[1,2]"', () => {
    const same = checkLostWrites(hist(ap(0, 'x', { a: 1, b: [2] }), rd(1, 'x', [{ b: [2], a: 1 }], 'n1')));
    expect(same).toMatchObject({ valid: true, stats: { stable: 1 } });
    const v = checkLostWrites(hist(ap(0, 'x', [1, 2]), rd(1, 'x', [[2, 1], '[1,2]'], 'n1')));
    expect(v.valid).toBe(false);
    expect(v.anomalies.map((a) => [a.kind, a.ops])).toEqual([
      ['lost', [0, 1, 2, 3]],
      ['unexpected', [2, 3]],
    ]);
    expect(v.anomalies[1]!.explanation).toContain('2 elements nobody appended to it ([2,1], "[1,2]")');
  });

  it('read-your-writes and consistent-prefix see structured elements', () => {
    const ryw = checkReadYourWrites(hist(ap(0, 'x', [1]), rd(0, 'x', [], 'n2')));
    expect(ryw.anomalies.map((a) => [a.kind, a.ops])).toEqual([[ryw.anomalies[0]!.kind, [0, 1, 2, 3]]]);
    const div = checkConsistentPrefix(hist(rd(0, 'x', [[1], { a: 1 }], 'n1'), rd(1, 'x', [[1], { a: 2 }], 'n2'), rd(1, 'x', [[1], { a: 2 }], 'n2')));
    expect(div.anomalies.map((a) => [a.kind, a.ops, a.data?.reads])).toEqual([['divergence', [0, 1, 2, 3], 1]]);
  });
});

describe('sums are exact beyond 2^53', () => {
  const MAX = Number.MAX_SAFE_INTEGER; // 2^53 - 1

  it('counter: bounds are exact sums, so a read one above or below them is caught', () => {
    const base = [add(0, MAX), add(0, 2)];
    expect(checkCounter(hist(...base, rs(1, 9007199254740993n)))).toMatchObject({
      valid: true,
      stats: { lowerBound: 9007199254740993n, upperBound: 9007199254740993n },
    });
    const low = checkCounter(hist(...base, rs(1, 9007199254740992n)));
    expect(low.anomalies.map((a) => [a.kind, a.ops, a.explanation])).toEqual([
      [
        'read-too-low',
        [4, 5],
        'process 1 read the counter at 0.004 s (op #4) and got 9007199254740992, but the adds acknowledged before that read began already sum to 9007199254740993',
      ],
    ]);
    const high = checkCounter(hist(...base, add(0, -1, 'fail'), rs(1, 9007199254740994n)));
    expect(high.anomalies.map((a) => [a.kind, a.ops])).toEqual([['read-too-high', [6, 7]]]);
  });

  it('bank: totals are exact, mixing numbers and bigints', () => {
    const read = (p: number, v: unknown) => rs(p, v);
    const ok = checkBank(hist(read(0, { a: 9007199254740993n, b: -1 }), read(1, { a: MAX, b: 1 })), { negativeBalances: true });
    expect(ok).toMatchObject({ valid: true, stats: { total: 9007199254740992n } });
    const v = checkBank(hist(read(0, { a: 9007199254740993n, b: 0 }), read(1, { a: MAX, b: 1 })));
    expect(v.anomalies.map((a) => [a.kind, a.ops, a.explanation])).toEqual([
      [
        'wrong-total',
        [0, 1, 2, 3],
        'process 1 read the balances at 0.002 s and they add up to 9007199254740992, but the total must stay 9007199254740993, what process 0 read at 0.000 s',
      ],
    ]);
  });
});

describe('elements of any value', () => {
  it('an append of nil is an element like any other', () => {
    expect(checkLostWrites(hist(ap(0, 'x', null), ap(0, 'x', 1), rd(1, 'x', [null, 1], 'n1')))).toMatchObject({ valid: true, stats: { stable: 2, lost: 0 } });
    const v = checkLostWrites(hist(ap(0, 'x', null), ap(0, 'x', 1), rd(1, 'x', [1], 'n1')));
    expect(v.anomalies.map((a) => [a.kind, a.ops, a.data?.elements])).toEqual([['lost', [0, 1, 4, 5], [null]]]);
  });

  it('a read holding NaN (EDN ##NaN) is of another shape: counted, never an anomaly', () => {
    const v = checkLostWrites(hist(ap(0, 'x', 1), rd(1, 'x', [1, NaN], 'n1')));
    expect(v).toMatchObject({ valid: 'unknown', anomalies: [], stats: { ignored: { read: 1 } } });
    expect(checkConsistentPrefix(hist(rd(1, 'x', [NaN], 'n1'), rd(1, 'x', [NaN], 'n2'))).valid).toBe('unknown');
  });

  it('a session beyond 2^53 is refused, not dropped', () => {
    const line = '{"index":0,"time":0,"type":"invoke","process":0,"f":"read","value":null,"session":9007199254740993}\n';
    expect(() => parseHistory(line, 'h.jsonl')).toThrow(/session 9007199254740993 is too large/);
  });
});

describe('structured elements wherever they sit in a read', () => {
  it('a shorter prefix read, a divergent read with an object after its fork, and a longest read holding NaN', () => {
    // The longest read holds NaN: it is another shape, and the next longest gives the order.
    const v = checkLostWrites(
      hist(ap(0, 'x', { a: 1 }), ap(0, 'x', [2]), rd(1, 'x', [{ a: 1 }], 'n1'), rd(1, 'x', [{ a: 1 }, [2], NaN], 'n2'), rd(1, 'x', [{ a: 1 }, [2]], 'n1')),
    );
    expect(v).toMatchObject({ valid: true, anomalies: [], stats: { stable: 2, lost: 0, ignored: { read: 1 } } });
    const div = checkConsistentPrefix(hist(ap(0, 'x', 1), ap(0, 'x', { a: 1 }), rd(1, 'x', [1, { a: 1 }], 'n1'), rd(2, 'x', [{ a: 1 }, 1], 'n2')));
    // (consistent-prefix also checks write order: 1 was acknowledged before {"a":1} was appended.)
    expect(div.anomalies.map((a) => [a.kind, a.ops])).toEqual([
      ['out-of-order', [0, 1, 2, 3, 6, 7]],
      ['divergence', [4, 5, 6, 7]],
    ]);
    // The divergent read's elements are the appended ones: nothing is unexpected, nothing lost on n1.
    const lw = checkLostWrites(hist(ap(0, 'x', 1), ap(0, 'x', { a: 1 }), rd(2, 'x', [{ a: 1 }, 1], 'n2'), rd(1, 'x', [1, { a: 1 }], 'n1')));
    expect(lw.anomalies.filter((a) => a.kind === 'unexpected')).toEqual([]);
  });
});
