import { describe, expect, it } from 'vitest';
import { checkLostWrites, checkSetFull } from '../../../src/checkers/replication/index.js';
import { h } from '../../support/history.js';
import { add, ap, hist, nem, rd, rs, wr } from './build.js';

// The fate of an element over time (src/checkers/replication/fates.ts): a read proves presence or
// absence only at its own time. Among the decisive reads (after the final heal; all without faults)
// an element is lost when the last-invoked one began after the element was known and after every
// read holding it (or unable to tell) had ended; a read holding it that overlaps or follows the
// last read lacking it keeps it (stable, and stale when a read after known missed it).
// Index = position in the history, time = index ms.

describe('an old read on one node does not save an element later reads on other nodes lack', () => {
  it('set-full: n1 held 1, then n2 and n3 lack it and nothing later holds it: lost', () => {
    const v = checkSetFull(hist(add(0, 1), rs(1, [1], 'n1'), rs(2, [], 'n2'), rs(3, [], 'n3')));
    expect(v).toMatchObject({ valid: false, stats: { acked: 1, stable: 0, lost: 1, neverRead: 0 } });
    expect(v.anomalies).toEqual([
      {
        kind: 'lost',
        ops: [0, 1, 2, 3, 4, 5, 6, 7],
        explanation:
          'process 0 added 1 and got ok at 0.001 s (op #1); process 1 read it from n1 at 0.002 s (op #2), the last read to hold it, but every read of the set begun after that read ended lacks it (n2 at 0.004 s (op #4), n3 at 0.006 s (op #6))',
        data: { label: 'the set', lost: 1, elements: [1], lastHeld: 2, lackingNodes: ['n2', 'n3'] },
      },
    ]);
  });

  it("lost-writes: the same per key, whichever node showed it; each node's last lacking read is named", () => {
    const v = checkLostWrites(hist(ap(0, 'x', 1), rd(1, 'x', [1], 'n1'), rd(2, 'x', [], 'n2'), rd(3, 'x', [], 'n3'), rd(1, 'x', [], 'n1')));
    expect(v).toMatchObject({ valid: false, stats: { acked: 1, stable: 0, lost: 1 } });
    expect(v.anomalies.map((a) => [a.kind, a.ops, a.data?.lackingNodes])).toEqual([['lost', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], ['n2', 'n3', 'n1']]]);
    expect(v.anomalies[0]!.explanation).toBe(
      'process 0 appended 1 to key x and got ok at 0.001 s (op #1); process 1 read it from n1 at 0.002 s (op #2), the last read to hold it, but every read of key x begun after that read ended lacks it (n2 at 0.004 s (op #4), n3 at 0.006 s (op #6), n1 at 0.008 s (op #8))',
    );
  });

  it('with faults: a holder after the final heal followed by reads that lack it loses it', () => {
    const ops = hist(add(0, 1), nem('start-partition'), rs(1, [1], 'n2'), nem('stop-partition'), rs(1, [1], 'n1'), rs(2, [], 'n2'), rs(3, [], 'n3'));
    const v = checkSetFull(ops);
    expect(v.anomalies.map((a) => [a.kind, a.ops])).toEqual([['lost', [0, 1, 8, 9, 10, 11, 12, 13]]]);
    expect(v.anomalies[0]!.explanation).toBe(
      'process 0 added 1 and got ok at 0.001 s (op #1); process 1 read it from n1 at 0.008 s (op #8), the last read after the final heal to hold it, but every read of the set begun after that read ended lacks it (n2 at 0.010 s (op #10), n3 at 0.012 s (op #12))',
    );
  });

  it('register keys: an older value read on other nodes after the newer one was read loses the newer write', () => {
    const v = checkLostWrites(hist(wr(0, 'r', 1), wr(0, 'r', 2), rd(1, 'r', 2, 'n1'), rd(2, 'r', 1, 'n2'), rd(3, 'r', 1, 'n3')));
    expect(v).toMatchObject({ valid: false, stats: { stable: 1, lost: 1 } });
    expect(v.anomalies.map((a) => [a.kind, a.ops, a.data?.elements])).toEqual([['lost', [2, 3, 4, 5, 6, 7, 8, 9], [2]]]);
    expect(v.anomalies[0]!.explanation).toMatch(
      /^process 0 wrote 2 to key r and got ok at 0\.003 s \(op #3\); process 1 read it from n1 at 0\.004 s \(op #4\), the last read to hold it, but every read of key r begun after that read ended lacks it \(n2 at 0\.006 s \(op #6\), n3 at 0\.008 s \(op #8\)\)$/,
    );
  });
});

describe('register reads that cannot tell (a value nobody wrote) might hold any version', () => {
  it('one ended before the last read lacking the write began: still lost, counted from its end', () => {
    const v = checkLostWrites(hist(wr(0, 'r', 1), wr(0, 'r', 2), rd(1, 'r', 2, 'n1'), rd(2, 'r', 9, 'n2'), rd(3, 'r', 1, 'n3')));
    expect(v.anomalies.map((a) => [a.kind, a.ops])).toEqual([
      ['lost', [2, 3, 4, 5, 8, 9]],
      ['unexpected', [6, 7]],
    ]);
    expect(v.anomalies[0]!.explanation).toBe(
      'process 0 wrote 2 to key r and got ok at 0.003 s (op #3); process 1 read it from n1 at 0.004 s (op #4), the last read to hold it, but every read of key r begun after 0.007 s lacks it (n3 at 0.008 s (op #8))',
    );
  });

  it('one overlapping the last read lacking the write: not lost, undecided (never-read)', () => {
    const ops = hist(wr(0, 'r', 1), wr(0, 'r', 2), rd(1, 'r', 2, 'n1'), [[2, 'invoke', 'read', ['r', null]]], rd(3, 'r', 1, 'n3'), [
      [2, 'ok', 'read', ['r', 9], 'n2'],
    ]);
    const v = checkLostWrites(ops);
    expect(v.anomalies.map((a) => a.kind)).toEqual(['unexpected']);
    expect(v.stats).toMatchObject({ stable: 1, lost: 0, neverRead: 1 });
  });
});

describe('a lagging replica alone does not lose a write that reads at or after the same time show', () => {
  it("the final read on n2 lacks it while n1's read, overlapping it, holds it: stable, stale counted", () => {
    // n2 invoked at 2 and returned [] at 5; n1 ran 3-4 and returned [1].
    const v = checkSetFull(hist(add(0, 1), [[2, 'invoke', 'read', null]], rs(1, [1], 'n1'), [[2, 'ok', 'read', [], 'n2']]));
    expect(v).toMatchObject({ valid: true, anomalies: [], stats: { acked: 1, stable: 1, stale: 1, lost: 0 } });
    expect((v.stats as { staleLagMs: { max: number } }).staleLagMs.max).toBe(1);
  });

  it('a read holding it invoked after the lagging read keeps it too', () => {
    const v = checkLostWrites(hist(ap(0, 'x', 1), rd(2, 'x', [], 'n2'), rd(1, 'x', [1], 'n1')));
    expect(v).toMatchObject({ valid: true, anomalies: [], stats: { stable: 1, stale: 1, lost: 0 } });
  });

  it('an element that comes back after reads that lack it is stable', () => {
    const v = checkSetFull(hist(add(0, 1), rs(1, [1], 'n1'), rs(2, [], 'n2'), rs(3, [1], 'n3')));
    expect(v).toMatchObject({ valid: true, anomalies: [], stats: { stable: 1, stale: 1, lost: 0 } });
  });

  it('unlike Jepsen (which orders the last present and last absent reads by invocation), a holder that overlaps the last lacking read keeps it', () => {
    // n1's read began at 2 and ended at 5 holding 1; n2's began at 3 (after n1's began) and lacks it.
    const v = checkSetFull(hist(add(0, 1), [[1, 'invoke', 'read', null]], rs(2, [], 'n2'), [[1, 'ok', 'read', [1], 'n1']]));
    expect(v).toMatchObject({ valid: true, anomalies: [], stats: { stable: 1, lost: 0 } });
  });

  it('with faults, a read during the partition that lacks it decides nothing', () => {
    const v = checkLostWrites(hist(ap(0, 'x', 1), nem('start-partition'), rd(2, 'x', [], 'n2'), nem('stop-partition'), rd(1, 'x', [1], 'n1')));
    expect(v).toMatchObject({ valid: true, stats: { stable: 1, stale: 1, lost: 0 } });
  });
});

describe('info and failed writes over time', () => {
  it('an info add seen on n1, then lacking on n2 and n3: lost, with the sighting named', () => {
    const v = checkSetFull(hist(add(0, 1, 'info'), rs(1, [1], 'n1'), rs(2, [], 'n2'), rs(3, [], 'n3')));
    expect(v).toMatchObject({ valid: false, stats: { acked: 0, recovered: 1, lost: 1 } });
    expect(v.anomalies).toEqual([
      {
        kind: 'lost',
        ops: [0, 1, 2, 3, 4, 5, 6, 7],
        explanation:
          'process 0 added 1 and it timed out (info); process 1 saw it from n1 at 0.002 s (op #2), the last read to hold it, but every read of the set begun after that read ended lacks it (n2 at 0.004 s (op #4), n3 at 0.006 s (op #6))',
        data: { label: 'the set', lost: 1, elements: [1], lastHeld: 2, lackingNodes: ['n2', 'n3'] },
      },
    ]);
  });

  it('an info add first seen by a read that overlaps a lacking one: that read began before it was known, stable', () => {
    const v = checkSetFull(hist(add(0, 1, 'info'), [[2, 'invoke', 'read', null]], rs(1, [1], 'n1'), [[2, 'ok', 'read', [], 'n2']]));
    expect(v).toMatchObject({ valid: true, anomalies: [], stats: { recovered: 1, stable: 1, stale: 0, lost: 0 } });
  });

  it('an info append never seen is not lost, whatever the reads lack', () => {
    const v = checkLostWrites(hist(ap(0, 'x', 1), ap(0, 'x', 2, 'info'), rd(1, 'x', [1], 'n1'), rd(2, 'x', [1], 'n2')));
    expect(v).toMatchObject({ valid: true, anomalies: [], stats: { stable: 1, infoNeverSeen: 1, lost: 0 } });
  });

  it('a failed add seen on n1 and gone later is failed-write-visible, never lost', () => {
    const v = checkSetFull(hist(add(0, 1, 'fail'), rs(1, [1], 'n1'), rs(2, [], 'n2')));
    expect(v).toMatchObject({ valid: false, stats: { failedVisible: 1, lost: 0, stable: 0 } });
    expect(v.anomalies.map((a) => [a.kind, a.ops])).toEqual([['failed-write-visible', [0, 1, 2, 3]]]);
    expect(v.anomalies[0]!.explanation).toMatch(
      /got fail at 0\.001 s \(op #1\) \(the database said it did not happen\), yet process 1 read the set from n1 at 0\.002 s \(op #2\) and it was there$/,
    );
  });

  it('a read that lacks it but began before the ok decides nothing: never-read', () => {
    const v = checkSetFull(hist([[1, 'invoke', 'read', null]], add(0, 1), [[1, 'ok', 'read', [], 'n1']]));
    expect(v).toMatchObject({ valid: 'unknown', anomalies: [], stats: { neverRead: 1, lost: 0 } });
  });
});

describe('many lost elements in one subject', () => {
  it('200,000 acknowledged adds missing from the final read: all counted lost, no stack overflow', () => {
    const n = 200_000;
    const groups = [];
    for (let e = 0; e < n; e++) groups.push(add(e % 10, e));
    groups.push(rs(10, [], 'n1'));
    const v = checkSetFull(h(groups.flat()));
    expect(v.valid).toBe(false);
    expect(v.stats).toMatchObject({ acked: n, lost: n });
    expect(v.anomalies).toHaveLength(1);
    expect(v.anomalies[0]!.explanation).toMatch(/^200000 writes that were acknowledged or seen are lost from the set/);
  });
});
