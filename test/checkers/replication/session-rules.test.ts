import { describe, expect, it } from 'vitest';
import {
  checkConsistentPrefix,
  checkCounter,
  checkMonotonicReads,
  checkMonotonicWrites,
  checkReadYourWrites,
  checkWritesFollowReads,
} from '../../../src/checkers/replication/index.js';
import type { Op } from '../../../src/history/op.js';
import { add, ap, hist, rd, rs, withSession, type Row } from './build.js';

// Hand-written from the definitions (Terry et al.'s session guarantees, DDIA's consistent prefix,
// Jepsen's counter): "earlier" is real time within the session (completed before the later op was
// invoked), every earlier op counts, overlapping ops impose nothing, and each sentence names the
// process of each op and shows the order (history indices). Index = position, time = index ms.

/** Puts processes into one session. */
const session = (ops: Op[], s: string, ...ps: number[]) => {
  for (const p of ps) withSession(ops, p, s);
  return ops;
};
const inv = (p: number, f: string, v: unknown): Row => [p, 'invoke', f, v];
const ok = (p: number, f: string, v: unknown, node?: string): Row => [p, 'ok', f, v, node];

describe('read-your-writes: every write the session acknowledged before the read', () => {
  it('catches a read lacking an older own write while it holds a newer one (appends that overlapped)', () => {
    // Session s: p0 appends 1 while p1 appends 2; both ok before p0 reads [2].
    const ops = session(
      hist([inv(0, 'append', ['x', 1]), inv(1, 'append', ['x', 2]), ok(0, 'append', ['x', 1]), ok(1, 'append', ['x', 2])], rd(0, 'x', [2], 'n2')),
      's',
      0,
      1,
    );
    const v = checkReadYourWrites(ops);
    expect(v.valid).toBe(false);
    expect(v.anomalies).toEqual([
      {
        kind: 'read-your-writes',
        ops: [0, 2, 4, 5],
        explanation: 'session "s" (process 0) appended 1 to key x and got ok at 0.002 s (op #2), then read key x from n2 at 0.004 s (op #4) without it',
        data: { key: 'x', element: 1, node: 'n2', session: 's' },
      },
    ]);
  });

  it('names the reader, not the writer, when another process of the session read', () => {
    const ops = session(hist(ap(0, 'x', 1), ap(0, 'x', 2), rd(1, 'x', [1], 'n3')), 's', 0, 1);
    const v = checkReadYourWrites(ops);
    expect(v.anomalies.map((a) => a.ops)).toEqual([[2, 3, 4, 5]]);
    expect(v.anomalies[0]!.explanation).toBe(
      'session "s" (process 0) appended 2 to key x and got ok at 0.003 s (op #3), ' +
        'then process 1 of the same session read key x from n3 at 0.004 s (op #4) without it',
    );
  });

  it("a read of the session invoked before the write's ok overlaps it: no requirement", () => {
    // p1's read is invoked before p0's append is acknowledged; p1's later read shows it.
    const ops = session(
      hist([inv(0, 'append', ['x', 1]), inv(1, 'read', ['x', null]), ok(0, 'append', ['x', 1]), ok(1, 'read', ['x', []])], rd(1, 'x', [1])),
      's',
      0,
      1,
    );
    expect(checkReadYourWrites(ops)).toMatchObject({ valid: true, anomalies: [], stats: { readsChecked: 1 } });
  });

  it('catches a stale read once, then holds', () => {
    const v = checkReadYourWrites(hist(ap(0, 'x', 1), rd(0, 'x', [1], 'n1'), rd(0, 'x', [], 'n2'), rd(0, 'x', [1], 'n1')));
    expect(v.anomalies.map((a) => a.ops)).toEqual([[0, 1, 4, 5]]);
    expect(v.stats).toMatchObject({ readsChecked: 3 });
  });
});

describe('monotonic-reads: everything every earlier read of the session held', () => {
  it('catches a read that lacks what an earlier read held even when the read in between was stale too', () => {
    // [1,2] from n1, then [1,3] from n2 (lacks 2), then [1,2,4] from n1: lacks 3, which the second read held.
    const v = checkMonotonicReads(hist(rd(0, 'x', [1, 2], 'n1'), rd(0, 'x', [1, 3], 'n2'), rd(0, 'x', [1, 2, 4], 'n1')));
    expect(v.valid).toBe(false);
    expect(v.anomalies.map((a) => [a.ops, a.data?.element])).toEqual([
      [[0, 1, 2, 3], 2],
      [[2, 3, 4, 5], 3],
    ]);
    expect(v.anomalies[1]!.explanation).toBe(
      'process 0 read key x from n2 and got [1,3] at 0.003 s (op #3), then read it from n1 at 0.004 s (op #4) and got [1,2,4], without 3',
    );
  });

  it('a session that read stale data once: one anomaly, on that read', () => {
    const v = checkMonotonicReads(hist(rd(0, 'x', [1, 2], 'n1'), rd(0, 'x', [1], 'n2'), rd(0, 'x', [1, 2], 'n1'), rd(0, 'x', [1, 2, 3], 'n1')));
    expect(v.anomalies.map((a) => a.ops)).toEqual([[0, 1, 2, 3]]);
    expect(v.stats).toMatchObject({ readsChecked: 3 });
  });

  it('overlapping reads of a session impose nothing on each other; a later read owes both', () => {
    // p0 and p1 (session s) read at once: p1 gets [1,2], p0 gets [1]. Then p0 reads [1] again.
    const ops = session(
      hist(
        [inv(0, 'read', ['x', null]), inv(1, 'read', ['x', null]), ok(1, 'read', ['x', [1, 2]], 'n1'), ok(0, 'read', ['x', [1]], 'n2')],
        rd(0, 'x', [1], 'n2'),
      ),
      's',
      0,
      1,
    );
    const v = checkMonotonicReads(ops);
    expect(v.anomalies).toEqual([
      {
        kind: 'monotonic-reads',
        ops: [1, 2, 4, 5],
        explanation:
          'session "s" (process 1) read key x from n1 and got [1,2] at 0.002 s (op #2), then process 0 of the same session read it from n2 at 0.004 s ' +
          '(op #4) and got [1], without 2',
        data: { key: 'x', element: 2, nodes: ['n1', 'n2'], session: 's' },
      },
    ]);
  });

  it('only overlapping reads: nothing to compare, no false alarm', () => {
    const ops = session(hist([inv(0, 'read', ['x', null]), inv(1, 'read', ['x', null]), ok(1, 'read', ['x', [1, 2]]), ok(0, 'read', ['x', [1]])]), 's', 0, 1);
    expect(checkMonotonicReads(ops)).toMatchObject({ valid: 'unknown', anomalies: [] });
  });
});

describe('monotonic-writes: every append the session acknowledged before b', () => {
  it('catches a read without an older acknowledged append when two appends of the session overlapped', () => {
    // Session s: p0 appends 1 while p1 appends 2 (concurrent: either order is fine); both ok before p0 appends 3.
    // A read [2,3] holds 3 without 1.
    const ops = session(
      hist(
        [inv(0, 'append', ['x', 1]), inv(1, 'append', ['x', 2]), ok(0, 'append', ['x', 1]), ok(1, 'append', ['x', 2])],
        ap(0, 'x', 3),
        rd(2, 'x', [2, 3], 'n2'),
      ),
      's',
      0,
      1,
    );
    const v = checkMonotonicWrites(ops);
    expect(v.valid).toBe(false);
    expect(v.anomalies).toEqual([
      {
        kind: 'monotonic-writes',
        ops: [0, 2, 4, 5, 6, 7],
        explanation:
          'session "s" (process 0) appended 1 to key x and got ok at 0.002 s (op #2), then appended 3 at 0.004 s (op #4), ' +
          'but process 2 read key x from n2 at 0.006 s (op #6) and got [2,3], with 3 but without 1',
        data: { key: 'x', first: 1, second: 3, node: 'n2', session: 's' },
      },
    ]);
  });

  it('names both processes of the session', () => {
    const ops = session(hist(ap(1, 'x', 1), ap(0, 'x', 2), rd(2, 'x', [2])), 's', 0, 1);
    expect(checkMonotonicWrites(ops).anomalies.map((a) => a.explanation)).toEqual([
      'session "s" (process 1) appended 1 to key x and got ok at 0.001 s (op #1), then process 0 of the same session appended 2 at 0.002 s (op #2), ' +
        'but process 2 read key x at 0.004 s (op #4) and got [2], with 2 but without 1',
    ]);
  });

  it('overlapping appends of a session may land in either order', () => {
    const ops = session(
      hist([inv(0, 'append', ['x', 1]), inv(1, 'append', ['x', 2]), ok(1, 'append', ['x', 2]), ok(0, 'append', ['x', 1])], rd(2, 'x', [2]), rd(2, 'x', [2, 1])),
      's',
      0,
      1,
    );
    expect(checkMonotonicWrites(ops)).toMatchObject({ valid: 'unknown', anomalies: [] });
    const later = session(
      hist(
        [inv(0, 'append', ['x', 1]), inv(1, 'append', ['x', 2]), ok(1, 'append', ['x', 2]), ok(0, 'append', ['x', 1])],
        ap(1, 'x', 3),
        rd(2, 'x', [2, 1, 3]),
      ),
      's',
      0,
      1,
    );
    expect(checkMonotonicWrites(later)).toMatchObject({ valid: true, anomalies: [] });
  });

  it('checks every earlier append in a divergent read too', () => {
    // p0 appends 1, 2, 3 in turn; order [1,2,3]; a divergent read [2,3] holds 3 (and 2) without 1: one anomaly per b.
    const v = checkMonotonicWrites(hist(ap(0, 'x', 1), ap(0, 'x', 2), ap(0, 'x', 3), rd(1, 'x', [1, 2, 3]), rd(1, 'x', [2, 3])));
    expect(v.anomalies.map((a) => [a.ops, a.data?.first, a.data?.second])).toEqual([
      [[0, 1, 2, 3, 8, 9], 1, 2],
      [[0, 1, 4, 5, 8, 9], 1, 3],
    ]);
  });
});

describe('writes-follow-reads: everything every earlier read of the session held', () => {
  it('a session that read a fresh replica, then a stale one, then appended: the append owes the fresh read', () => {
    const v = checkWritesFollowReads(
      hist(ap(1, 'x', 1), ap(1, 'x', 2), rd(0, 'x', [1, 2], 'n1'), rd(0, 'x', [1], 'n2'), ap(0, 'x', 3), rd(2, 'x', [1, 3], 'n2')),
    );
    expect(v.valid).toBe(false);
    expect(v.anomalies).toEqual([
      {
        kind: 'writes-follow-reads',
        ops: [4, 5, 8, 9, 10, 11],
        explanation:
          'process 0 read key x from n1 and got [1,2] at 0.005 s (op #5), then appended 3 to it at 0.008 s (op #8), ' +
          'but process 2 read key x from n2 at 0.010 s (op #10) and got [1,3], with 3 but without 2',
        data: { key: 'x', read: 2, append: 3, node: 'n2', session: 0 },
      },
    ]);
  });

  it('names the reader and the appender of the session', () => {
    const ops = session(hist(ap(1, 'x', 1), rd(3, 'x', [1], 'n1'), ap(0, 'x', 2), rd(2, 'x', [2], 'n2')), 's', 0, 3);
    expect(checkWritesFollowReads(ops).anomalies.map((a) => [a.ops, a.explanation])).toEqual([
      [
        [2, 3, 4, 5, 6, 7],
        'session "s" (process 3) read key x from n1 and got [1] at 0.003 s (op #3), ' +
          'then process 0 of the same session appended 2 to it at 0.004 s (op #4), ' +
          'but process 2 read key x from n2 at 0.006 s (op #6) and got [2], with 2 but without 1',
      ],
    ]);
  });

  it('a read of the session that completed after the append was invoked overlaps it: no requirement', () => {
    const ops = session(
      hist(ap(1, 'x', 1), [inv(3, 'read', ['x', null]), inv(0, 'append', ['x', 2]), ok(3, 'read', ['x', [1]]), ok(0, 'append', ['x', 2])], rd(2, 'x', [2])),
      's',
      0,
      3,
    );
    expect(checkWritesFollowReads(ops)).toMatchObject({ valid: 'unknown', anomalies: [] });
  });

  it('checks every earlier read in a divergent read holding the append', () => {
    // order [1,2,3,4]; p0 read [1,2], then [3] (divergent), then appended 4.
    const run = (x: number[]) => checkWritesFollowReads(hist(rd(0, 'x', [1, 2]), rd(0, 'x', [3]), ap(0, 'x', 4), rd(1, 'x', [1, 2, 3, 4]), rd(1, 'x', x)));
    // [1,3,4] holds 4 without 2, which the first read held; [1,2,4] without 3, which the second held.
    expect(run([1, 3, 4]).anomalies.map((a) => [a.ops, a.data?.read])).toEqual([[[0, 1, 4, 5, 8, 9], 2]]);
    expect(run([1, 2, 4]).anomalies.map((a) => [a.ops, a.data?.read])).toEqual([[[2, 3, 4, 5, 8, 9], 3]]);
    // With 2 and 3 before 4, in any order, it is fine.
    expect(run([1, 3, 2, 4])).toMatchObject({ valid: true, anomalies: [] });
  });
});

describe("consistent-prefix: reads keep the order a session's writes happened in", () => {
  it('catches a read with a later write of a session and without an earlier acknowledged one', () => {
    const v = checkConsistentPrefix(hist(ap(0, 'x', 1), ap(0, 'x', 2), rd(1, 'x', [2], 'n2')));
    expect(v.valid).toBe(false);
    expect(v.anomalies).toEqual([
      {
        kind: 'out-of-order',
        ops: [0, 1, 2, 3, 4, 5],
        explanation:
          'key x was read out of the order its writes happened in: process 0 appended 1 to key x and got ok at 0.001 s (op #1), ' +
          'then appended 2 at 0.002 s (op #2), but process 1 read key x from n2 at 0.004 s (op #4) and got [2], with 2 but without 1',
        data: { key: 'x', first: 1, second: 2, node: 'n2', session: 0 },
      },
    ]);
  });

  it('writes of different sessions, or overlapping ones of one session, have no known order', () => {
    expect(checkConsistentPrefix(hist(ap(0, 'x', 1), ap(1, 'x', 2), rd(2, 'x', [2]), rd(2, 'x', [2, 1])))).toMatchObject({
      valid: true,
      anomalies: [],
      stats: { orderPairsChecked: 0 },
    });
    const ops = session(
      hist([inv(0, 'append', ['x', 1]), inv(1, 'append', ['x', 2]), ok(1, 'append', ['x', 2]), ok(0, 'append', ['x', 1])], rd(2, 'x', [2]), rd(2, 'x', [2, 1])),
      's',
      0,
      1,
    );
    expect(checkConsistentPrefix(ops)).toMatchObject({ valid: true, anomalies: [] });
  });

  it('a write acknowledged before the next is invoked, read in order, holds', () => {
    expect(checkConsistentPrefix(hist(ap(0, 'x', 1), ap(0, 'x', 2), rd(1, 'x', [1]), rd(1, 'x', [1, 2])))).toMatchObject({
      valid: true,
      stats: { orderPairsChecked: 1 },
    });
  });
});

describe('counter: each add by its outcome', () => {
  it('a failed add read while pending: a read without it is valid, one with it is too high', () => {
    const pending = (seen: number) => hist([inv(0, 'add', 5), inv(1, 'read', null), ok(1, 'read', seen), [0, 'fail', 'add', 5]]);
    expect(checkCounter(pending(0))).toMatchObject({ valid: true, anomalies: [] });
    expect(checkCounter(pending(5)).anomalies).toEqual([
      {
        kind: 'read-too-high',
        ops: [1, 2],
        explanation:
          'process 1 read the counter at 0.001 s (op #1) and got 5, but the adds that may have happened before that read ended (ok or info, ' +
          'not failed) sum to at most 0',
        data: { value: 5, lower: 0, upper: 0 },
      },
    ]);
  });

  it('an info add may or may not count, before or after any read', () => {
    for (const seen of [2, 5]) expect(checkCounter(hist(add(0, 2), add(0, 3, 'info'), rs(1, seen), rs(1, 2)))).toMatchObject({ valid: true });
    expect(checkCounter(hist(add(0, 2), add(0, 3, 'info'), rs(1, 6))).anomalies.map((a) => [a.kind, a.ops])).toEqual([['read-too-high', [4, 5]]]);
    expect(checkCounter(hist(add(0, 2), add(0, 3, 'info'), rs(1, 1))).anomalies.map((a) => [a.kind, a.ops])).toEqual([['read-too-low', [4, 5]]]);
  });

  it('an ok add counts from its invocation (may) and from its completion (must)', () => {
    // The add of 4 is invoked before the read ends and acknowledged after it began: either value is fine.
    for (const seen of [1, 5])
      expect(checkCounter(hist(add(0, 1), [inv(1, 'read', null), inv(0, 'add', 4), ok(1, 'read', seen), ok(0, 'add', 4)]))).toMatchObject({ valid: true });
  });

  it('negative adds mirror positive ones: one acknowledged during the read may be in it, one acknowledged before it must be', () => {
    const during = hist(add(0, 5), [inv(1, 'read', null), inv(0, 'add', -3), ok(0, 'add', -3), ok(1, 'read', 2)]);
    expect(checkCounter(during)).toMatchObject({ valid: true, anomalies: [] });
    const v = checkCounter(hist(add(0, 5), add(0, -3), rs(1, 5)));
    expect(v.anomalies).toEqual([
      {
        kind: 'read-too-high',
        ops: [4, 5],
        explanation:
          'process 1 read the counter at 0.004 s (op #4) and got 5, but it cannot be above 2: ' +
          'the positive adds that may have happened before that read ended (ok or info, not failed) sum to 5, ' +
          'and the negative adds acknowledged before it began to -3',
        data: { value: 5, lower: 2, upper: 2 },
      },
    ]);
    // A failed negative add never lowers the counter.
    expect(
      checkCounter(hist(add(0, 5), [inv(0, 'add', -5), inv(1, 'read', null), ok(1, 'read', 0), [0, 'fail', 'add', -5]])).anomalies.map((a) => a.kind),
    ).toEqual(['read-too-low']);
  });
});
