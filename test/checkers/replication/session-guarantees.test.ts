import { describe, expect, it } from 'vitest';
import { checkMonotonicReads, checkMonotonicWrites, checkReadYourWrites, checkWritesFollowReads } from '../../../src/checkers/replication/index.js';
import { ap, hist, nem, rd, withSession, wr } from './build.js';

describe('read-your-writes', () => {
  it('holds when a session reads its own acknowledged append', () => {
    const v = checkReadYourWrites(hist(ap(0, 'x', 1), rd(0, 'x', [1], 'n1'), ap(1, 'x', 2), rd(1, 'x', [1, 2], 'n2')));
    expect(v).toMatchObject({ valid: true, anomalies: [] });
    expect(v.stats).toMatchObject({ readsChecked: 2 });
  });

  it('catches a session reading a replica that lacks its own acknowledged append', () => {
    const v = checkReadYourWrites(hist(ap(3, 'x', 7), rd(3, 'x', [], 'pg2')));
    expect(v.valid).toBe(false);
    expect(v.anomalies).toEqual([
      {
        kind: 'read-your-writes',
        ops: [0, 1, 2, 3],
        explanation: 'process 3 appended 7 to key x and got ok at 0.001 s (op #1), then read key x from pg2 at 0.002 s (op #2) without it',
        data: { key: 'x', element: 7, node: 'pg2', session: 3 },
      },
    ]);
  });

  it('compares with the furthest own append, and another session missing it is no anomaly', () => {
    // p0 appends 1 then 2; p1's read without 2 is fine; p0's read [1] misses its own 2.
    const v = checkReadYourWrites(hist(ap(0, 'x', 1), ap(0, 'x', 2), rd(1, 'x', [1], 'n2'), rd(0, 'x', [1], 'n2'), rd(0, 'x', [1, 2], 'n1')));
    expect(v.anomalies.map((a) => a.ops)).toEqual([[2, 3, 6, 7]]);
  });

  it("catches a divergent read that lacks the session's write", () => {
    // Order is [1, 2] (longest read); p0's read [2] is not a prefix of it and lacks p0's 1.
    const v = checkReadYourWrites(hist(ap(0, 'x', 1), ap(1, 'x', 2), rd(2, 'x', [1, 2]), rd(0, 'x', [2], 'n3')));
    expect(v.anomalies.map((a) => [a.ops, a.data?.element])).toEqual([[[0, 1, 6, 7], 1]]);
  });

  it('uses the session field: a session spans processes', () => {
    const ops = withSession(withSession(hist(ap(0, 'x', 1), rd(1, 'x', [], 'n2')), 0, 'a'), 1, 'a');
    const v = checkReadYourWrites(ops);
    expect(v.anomalies.map((a) => a.ops)).toEqual([[0, 1, 2, 3]]);
    expect(v.anomalies[0]!.explanation).toBe(
      'session "a" (process 0) appended 1 to key x and got ok at 0.001 s (op #1), ' +
        'then process 1 of the same session read key x from n2 at 0.002 s (op #2) without it',
    );
  });

  it('never requires info or failed appends (unknown: nothing was exercised)', () => {
    for (const t of ['info', 'fail'] as const) {
      const v = checkReadYourWrites(hist(ap(0, 'x', 1, t), rd(0, 'x', [], 'n2')));
      expect(v.anomalies).toEqual([]);
      expect(v.valid).toBe('unknown');
      expect(v.cause).toMatch(/never exercised/);
    }
  });

  it('a read concurrent with the append (invoked before its ok) is not required to see it', () => {
    const v = checkReadYourWrites(
      hist([
        [0, 'invoke', 'read', ['x', null]],
        [1, 'invoke', 'append', ['x', 1]],
        [1, 'ok', 'append', ['x', 1]],
        [0, 'ok', 'read', ['x', []]],
      ]),
    );
    expect(v.anomalies).toEqual([]);
  });

  it("register keys: a read older than the session's own write", () => {
    const v = checkReadYourWrites(hist(wr(0, 'r', 1), wr(0, 'r', 2), rd(0, 'r', 1, 'n2')));
    expect(v.anomalies).toEqual([
      expect.objectContaining({
        kind: 'read-your-writes',
        ops: [2, 3, 4, 5],
        explanation: 'process 0 wrote 2 to key r and got ok at 0.003 s (op #3), then read key r from n2 at 0.004 s (op #4) and got the older 1',
      }),
    ]);
  });
});

describe('monotonic-reads', () => {
  it('holds when reads only grow', () => {
    expect(checkMonotonicReads(hist(ap(1, 'x', 1), rd(0, 'x', [1]), ap(1, 'x', 2), rd(0, 'x', [1, 2]), rd(0, 'x', [1, 2])))).toMatchObject({ valid: true });
  });

  it('catches a read that goes back, and every later read still behind what an earlier read held', () => {
    const v = checkMonotonicReads(
      hist(ap(1, 'x', 1), ap(1, 'x', 2), rd(0, 'x', [1, 2], 'n1'), rd(0, 'x', [1], 'n2'), rd(0, 'x', [1], 'n2'), rd(0, 'x', [1, 2], 'n1')),
    );
    expect(v.valid).toBe(false);
    expect(v.anomalies.map((a) => a.ops)).toEqual([
      [4, 5, 6, 7],
      [4, 5, 8, 9],
    ]);
    expect(v.anomalies[0]!.explanation).toBe(
      'process 0 read key x from n1 and got [1,2] at 0.005 s (op #5), then read it from n2 at 0.006 s (op #6) and got [1], without 2',
    );
    expect(v.anomalies[0]!.data).toMatchObject({ element: 2, nodes: ['n1', 'n2'] });
  });

  it('catches a divergent later read that lost an element', () => {
    // order [1, 2, 3]; p0 reads [1, 2] then [1, 3]: 2 is gone.
    const v = checkMonotonicReads(hist(rd(1, 'x', [1, 2, 3]), rd(0, 'x', [1, 2]), rd(0, 'x', [1, 3])));
    expect(v.anomalies.map((a) => [a.ops, a.data?.element])).toEqual([[[2, 3, 4, 5], 2]]);
  });

  it('ignores reads that did not complete ok, and other sessions', () => {
    const ops = hist(
      rd(0, 'x', [1, 2]),
      [
        [0, 'invoke', 'read', ['x', null]],
        [0, 'info', 'read', ['x', null]],
      ],
      rd(1, 'x', [1]),
      rd(0, 'x', [1, 2]),
    );
    expect(checkMonotonicReads(ops)).toMatchObject({ valid: true, anomalies: [] });
  });

  it('append outcomes do not matter: a read that loses an info or failed append that had shown up still goes back', () => {
    for (const t of ['info', 'fail'] as const) {
      const v = checkMonotonicReads(hist(ap(1, 'x', 1, t), rd(0, 'x', [1], 'n1'), rd(0, 'x', [], 'n2')));
      expect(v.anomalies.map((a) => [a.kind, a.ops])).toEqual([['monotonic-reads', [2, 3, 4, 5]]]);
    }
  });

  it('register keys: a later read of an older value', () => {
    const v = checkMonotonicReads(hist(wr(1, 'r', 1), wr(1, 'r', 2), rd(0, 'r', 2), rd(0, 'r', 1)));
    expect(v.anomalies.map((a) => a.ops)).toEqual([[4, 5, 6, 7]]);
    expect(v.anomalies[0]!.explanation).toBe('process 0 read key r and got 2 at 0.005 s (op #5), then read it at 0.006 s (op #6) and got the older 1');
  });

  it('is unknown when no session read a key twice', () => {
    expect(checkMonotonicReads(hist(rd(0, 'x', [1]), rd(1, 'x', [1]), rd(0, 'y', [])))).toMatchObject({
      valid: 'unknown',
      cause: expect.stringMatching(/never exercised/),
    });
  });
});

describe('monotonic-writes', () => {
  it("holds when every read has the session's appends in order", () => {
    const v = checkMonotonicWrites(hist(ap(0, 'x', 1), ap(0, 'x', 2), rd(1, 'x', [1]), rd(1, 'x', [1, 2])));
    expect(v).toMatchObject({ valid: true, stats: { pairsChecked: 1 } });
  });

  it('catches a read holding the later append without the earlier one', () => {
    const v = checkMonotonicWrites(hist(ap(0, 'x', 1), ap(0, 'x', 2), rd(1, 'x', [2], 'n2')));
    expect(v.anomalies).toEqual([
      {
        kind: 'monotonic-writes',
        ops: [0, 1, 2, 3, 4, 5],
        explanation:
          'process 0 appended 1 to key x and got ok at 0.001 s (op #1), then appended 2 at 0.002 s (op #2), ' +
          'but process 1 read key x from n2 at 0.004 s (op #4) and got [2], with 2 but without 1',
        data: { key: 'x', first: 1, second: 2, node: 'n2', session: 0 },
      },
    ]);
  });

  it('catches the later append ordered first', () => {
    const v = checkMonotonicWrites(hist(ap(0, 'x', 1), ap(0, 'x', 2), rd(1, 'x', [2, 1])));
    expect(v.anomalies.map((a) => [a.ops, a.explanation.endsWith('with 2 before 1')])).toEqual([[[0, 1, 2, 3, 4, 5], true]]);
  });

  it('checks divergent reads one by one', () => {
    // order [1, 2, 3] is fine; the divergent read [3, 2] holds p0's 2 without its 1.
    const v = checkMonotonicWrites(hist(ap(0, 'x', 1), ap(0, 'x', 2), ap(1, 'x', 3), rd(2, 'x', [1, 2, 3]), rd(2, 'x', [3, 2])));
    expect(v.anomalies.map((a) => a.ops)).toEqual([[0, 1, 2, 3, 8, 9]]);
  });

  it('an info first append is never required; an info second append that shows up is held to the rule', () => {
    expect(checkMonotonicWrites(hist(ap(0, 'x', 1, 'info'), ap(0, 'x', 2), rd(1, 'x', [2]))).anomalies).toEqual([]);
    expect(checkMonotonicWrites(hist(ap(0, 'x', 1), ap(0, 'x', 2, 'info'), rd(1, 'x', [2]))).anomalies.map((a) => a.ops)).toEqual([[0, 1, 2, 3, 4, 5]]);
  });

  it("a failed append that shows up is lost-writes' business, not this one's", () => {
    expect(checkMonotonicWrites(hist(ap(0, 'x', 1), ap(0, 'x', 2, 'fail'), rd(1, 'x', [2]))).anomalies).toEqual([]);
  });

  it('is unknown on register keys (not observable) and when no second append was read', () => {
    expect(checkMonotonicWrites(hist(wr(0, 'r', 1), wr(0, 'r', 2), rd(1, 'r', 2)))).toMatchObject({
      valid: 'unknown',
      stats: { registerKeysNotObservable: 1 },
    });
    expect(checkMonotonicWrites(hist(ap(0, 'x', 1), ap(0, 'x', 2), rd(1, 'x', [1])))).toMatchObject({ valid: 'unknown' });
  });
});

describe('writes-follow-reads', () => {
  it('holds when the append lands after what the session read', () => {
    const v = checkWritesFollowReads(hist(ap(1, 'x', 1), rd(0, 'x', [1]), ap(0, 'x', 2), rd(2, 'x', [1, 2])));
    expect(v).toMatchObject({ valid: true, stats: { pairsChecked: 1 } });
  });

  it('catches an append visible without what the session had read before making it', () => {
    // p0 read [1] from n1, then appended 2; p2 reads [2] from n2: 2 landed on a branch without 1.
    const v = checkWritesFollowReads(hist(ap(1, 'x', 1), rd(0, 'x', [1], 'n1'), ap(0, 'x', 2), rd(2, 'x', [2], 'n2')));
    expect(v.anomalies).toEqual([
      {
        kind: 'writes-follow-reads',
        ops: [2, 3, 4, 5, 6, 7],
        explanation:
          'process 0 read key x from n1 and got [1] at 0.003 s (op #3), then appended 2 to it at 0.004 s (op #4), ' +
          'but process 2 read key x from n2 at 0.006 s (op #6) and got [2], with 2 but without 1',
        data: { key: 'x', read: 1, append: 2, node: 'n2', session: 0 },
      },
    ]);
  });

  it('catches the append ordered before what the session had read', () => {
    const v = checkWritesFollowReads(hist(ap(1, 'x', 1), rd(0, 'x', [1]), ap(0, 'x', 2), rd(2, 'x', [2, 1])));
    expect(v.anomalies.map((a) => [a.ops, a.explanation.endsWith('with 2 before 1')])).toEqual([[[2, 3, 4, 5, 6, 7], true]]);
  });

  it('checks divergent reads holding the append', () => {
    // order [1, 2, 4]; p0 read [1] then appended 2; divergent read [3, 2] holds 2 without 1.
    const v = checkWritesFollowReads(hist(ap(1, 'x', 1), rd(0, 'x', [1]), ap(0, 'x', 2), rd(2, 'x', [1, 2, 4]), rd(2, 'x', [3, 2])));
    expect(v.anomalies.map((a) => a.ops)).toEqual([[2, 3, 4, 5, 8, 9]]);
  });

  it('a failed append constrains nothing; an info one that never shows up is never checked', () => {
    expect(checkWritesFollowReads(hist(ap(1, 'x', 1), rd(0, 'x', [1]), ap(0, 'x', 2, 'fail'), rd(2, 'x', [2])))).toMatchObject({
      valid: 'unknown',
      anomalies: [],
    });
    expect(checkWritesFollowReads(hist(ap(1, 'x', 1), rd(0, 'x', [1]), ap(0, 'x', 2, 'info'), rd(2, 'x', [1])))).toMatchObject({
      valid: 'unknown',
      anomalies: [],
    });
  });

  it('an info append that shows up took effect after the read, and is held to the rule', () => {
    const v = checkWritesFollowReads(hist(ap(1, 'x', 1), rd(0, 'x', [1], 'n1'), ap(0, 'x', 2, 'info'), rd(2, 'x', [2], 'n2')));
    expect(v.anomalies.map((a) => [a.kind, a.ops])).toEqual([['writes-follow-reads', [2, 3, 4, 5, 6, 7]]]);
  });

  it('ignores nemesis ops and ops of other shapes', () => {
    const v = checkWritesFollowReads(
      hist(
        nem('start-partition'),
        ap(1, 'x', 1),
        [
          [0, 'invoke', 'cas', ['x', [1, 2]]],
          [0, 'ok', 'cas', ['x', [1, 2]]],
        ],
        rd(0, 'x', [1]),
        ap(0, 'x', 2),
        rd(2, 'x', [1, 2]),
      ),
    );
    expect(v).toMatchObject({ valid: true, stats: { ignored: { cas: 1 } } });
  });
});
