import { describe, expect, it } from 'vitest';
import { checkConsistentPrefix, checkLostWrites } from '../../../src/checkers/replication/index.js';
import { ap, hist, nem, rd, wr } from './build.js';

describe('consistent-prefix', () => {
  it('holds when every read is a prefix of one order', () => {
    expect(checkConsistentPrefix(hist(rd(0, 'x', [1]), rd(1, 'x', [1, 2]), rd(2, 'x', [1, 2, 3]), rd(0, 'x', [])))).toMatchObject({
      valid: true,
      stats: { keysChecked: 1, divergentReads: 0 },
    });
  });

  it('names the two incompatible reads and their nodes', () => {
    const v = checkConsistentPrefix(hist(rd(0, 'x', [1, 2], 'n1'), rd(1, 'x', [1, 3], 'n2')));
    expect(v.valid).toBe(false);
    expect(v.anomalies).toEqual([
      {
        kind: 'divergence',
        ops: [0, 1, 2, 3],
        explanation:
          'key x diverged: process 1 read it from n2 at 0.002 s (op #2) and got [1,3], process 0 read it from n1 at 0.000 s (op #0) and got [1,2]; they agree on the first 1 element, then one has 3 and the other 2, so no single order explains both',
        data: { key: 'x', position: 1, nodes: ['n2', 'n1'], reads: 1 },
      },
    ]);
  });

  it('reports one anomaly per branch, counting its reads', () => {
    const v = checkConsistentPrefix(hist(rd(0, 'x', [1, 2], 'n3'), rd(0, 'x', [1, 2, 3], 'n3'), rd(1, 'x', [1, 4], 'n1'), rd(1, 'x', [1, 4, 5, 6], 'n1')));
    expect(v.anomalies.map((a) => [a.ops, a.data?.reads])).toEqual([[[0, 1, 4, 5], 2]]);
  });

  it('append outcomes do not matter: divergence over info or failed appends is still divergence', () => {
    const v = checkConsistentPrefix(hist(ap(0, 'x', 1, 'info'), ap(1, 'x', 2, 'fail'), rd(2, 'x', [1], 'n1'), rd(2, 'x', [2], 'n2')));
    expect(v.anomalies.map((a) => [a.kind, a.ops])).toEqual([['divergence', [4, 5, 6, 7]]]);
    expect(checkConsistentPrefix(hist(ap(0, 'x', 1, 'info'), ap(1, 'x', 2, 'fail'), rd(2, 'x', [1]), rd(2, 'x', [1, 2])))).toMatchObject({ valid: true });
  });

  it('is unknown when no key was read twice; register keys are not list keys', () => {
    expect(checkConsistentPrefix(hist(rd(0, 'x', [1]), rd(0, 'y', [2])))).toMatchObject({ valid: 'unknown' });
    expect(checkConsistentPrefix(hist(wr(0, 'r', 1), rd(1, 'r', 1), rd(1, 'r', 1)))).toMatchObject({ valid: 'unknown' });
  });
});

describe('lost-writes', () => {
  it('holds when the final read has every acknowledged append (stale ones counted)', () => {
    const v = checkLostWrites(hist(ap(0, 'x', 1), rd(1, 'x', [], 'n2'), ap(0, 'x', 2), rd(1, 'x', [1, 2], 'n1')));
    expect(v).toMatchObject({ valid: true, anomalies: [], stats: { acked: 2, stable: 2, stale: 1, lost: 0 } });
    expect((v.stats as { staleLagMs: { max: number } }).staleLagMs.max).toBe(1);
  });

  it('catches an acknowledged append the final read lacks', () => {
    const v = checkLostWrites(hist(ap(0, 'x', 1), ap(0, 'x', 2), rd(1, 'x', [1], 'n1')));
    expect(v.valid).toBe(false);
    expect(v.anomalies).toEqual([
      {
        kind: 'lost',
        ops: [2, 3, 4, 5],
        explanation: 'process 0 appended 2 to key x and got ok at 0.003 s (op #3), but every read of key x begun after the ok lacks it (n1 at 0.004 s (op #4))',
        data: { label: 'key x', lost: 1, elements: [2], lackingNodes: ['n1'] },
      },
    ]);
  });

  it('an info append that shows up is recovered; one that never shows up is not lost', () => {
    const v = checkLostWrites(hist(ap(0, 'x', 1, 'info'), ap(2, 'x', 2, 'info'), ap(3, 'x', 3), rd(1, 'x', [1, 3])));
    expect(v).toMatchObject({ valid: true, stats: { recovered: 1, infoNeverSeen: 1, stable: 2, lost: 0 } });
  });

  it('a final read that holds an element proves it, even when it began before the ok', () => {
    const ops = hist([[1, 'invoke', 'read', ['x', null]]], ap(0, 'x', 1), [[1, 'ok', 'read', ['x', [1]]]]);
    expect(checkLostWrites(ops)).toMatchObject({ valid: true, stats: { stable: 1, neverRead: 0 } });
  });

  it('an info append seen and then gone is lost', () => {
    const v = checkLostWrites(hist(ap(0, 'x', 1, 'info'), rd(1, 'x', [1]), rd(1, 'x', [])));
    expect(v.anomalies.map((a) => [a.kind, a.ops])).toEqual([['lost', [0, 1, 2, 3, 4, 5]]]);
    expect(v.anomalies[0]!.explanation).toBe(
      'process 0 appended 1 to key x and it timed out (info); process 1 saw it at 0.002 s (op #2), the last read to hold it, but every read of key x begun after that read ended lacks it (at 0.004 s (op #4))',
    );
  });

  it('a failed append that shows up is an anomaly of its own', () => {
    const v = checkLostWrites(hist(ap(0, 'x', 1, 'fail'), rd(1, 'x', [1], 'n2')));
    expect(v.anomalies).toEqual([
      {
        kind: 'failed-write-visible',
        ops: [0, 1, 2, 3],
        explanation:
          'process 0 appended 1 to key x and got fail at 0.001 s (op #1) (the database said it did not happen), yet process 1 read key x from n2 at 0.002 s (op #2) and it was there',
        data: { label: 'key x', element: 1, node: 'n2' },
      },
    ]);
  });

  it('catches elements nobody appended, and elements read twice', () => {
    const v = checkLostWrites(hist(ap(0, 'x', 1), rd(1, 'x', [1, 9]), ap(0, 'y', 5), rd(1, 'y', [5, 5])));
    expect(v.anomalies.map((a) => [a.kind, a.ops, a.data?.key])).toEqual([
      ['unexpected', [2, 3], 'x'],
      ['duplicated', [6, 7], 'y'],
    ]);
    expect(v.anomalies[0]!.explanation).toBe('reads of key x show an element nobody appended to it (9), first process 1 reading it at 0.002 s');
  });

  it('an append acknowledged after the final read began is never-read, not lost', () => {
    const ops = hist([[1, 'invoke', 'read', ['x', null]]], ap(0, 'x', 1), [[1, 'ok', 'read', ['x', []]]]);
    expect(checkLostWrites(ops)).toMatchObject({ valid: 'unknown', anomalies: [], stats: { neverRead: 1, lost: 0 } });
  });

  it('with faults, only reads after the final heal decide', () => {
    const during = hist(ap(0, 'x', 1), nem('start-partition'), rd(1, 'x', [], 'n2'), nem('stop-partition'));
    expect(checkLostWrites(during)).toMatchObject({ valid: 'unknown', cause: expect.stringMatching(/after the final heal/) });
    const after = hist(ap(0, 'x', 1), nem('start-partition'), rd(1, 'x', [], 'n2'), nem('stop-partition'), rd(1, 'x', [1], 'n2'));
    expect(checkLostWrites(after)).toMatchObject({ valid: true, stats: { stable: 1, stale: 1 } });
    const lost = hist(ap(0, 'x', 1), nem('start-partition'), rd(1, 'x', [1], 'n2'), nem('stop-partition'), rd(1, 'x', [], 'n1'));
    // The read during the partition held it: named as its last sighting, but it decides nothing.
    expect(checkLostWrites(lost).anomalies.map((a) => a.ops)).toEqual([[0, 1, 4, 5, 8, 9]]);
    expect(checkLostWrites(lost).anomalies[0]!.explanation).toBe(
      'process 0 appended 1 to key x and got ok at 0.001 s (op #1); process 1 read it from n2 at 0.004 s (op #4), the last read to hold it (before the final heal), but every read of key x after the final heal lacks it (n1 at 0.008 s (op #8))',
    );
  });

  it('a fault that never healed leaves the verdict unknown', () => {
    expect(checkLostWrites(hist(ap(0, 'x', 1), nem('kill'), rd(1, 'x', [1])))).toMatchObject({
      valid: 'unknown',
      cause: expect.stringMatching(/never closed/),
    });
  });

  it("one lagging replica does not make a write lost when another node's read at the same time has it", () => {
    // n2's read (invoked at 4) lacks 2 while n1's read (5-6), overlapping it, holds it.
    const v = checkLostWrites(
      hist(ap(0, 'x', 1), ap(0, 'x', 2), [[2, 'invoke', 'read', ['x', null]]], rd(1, 'x', [1, 2], 'n1'), [[2, 'ok', 'read', ['x', [1]], 'n2']]),
    );
    expect(v).toMatchObject({ valid: true, stats: { stable: 2, stale: 1, lost: 0 } });
    const gone = checkLostWrites(hist(ap(0, 'x', 1), ap(0, 'x', 2), rd(1, 'x', [1], 'n1'), rd(2, 'x', [1], 'n2')));
    expect(gone.anomalies.map((a) => [a.ops, a.data?.lackingNodes])).toEqual([
      [
        [2, 3, 4, 5, 6, 7],
        ['n1', 'n2'],
      ],
    ]);
    // Once n1's read has ended, n2's later read lacking it is all there is: lost (fates-over-time.test.ts).
    const later = checkLostWrites(hist(ap(0, 'x', 1), ap(0, 'x', 2), rd(1, 'x', [1, 2], 'n1'), rd(2, 'x', [1], 'n2')));
    expect(later.anomalies.map((a) => [a.kind, a.ops])).toEqual([['lost', [2, 3, 4, 5, 6, 7]]]);
  });

  it('register keys: a final value older than an acknowledged write loses it', () => {
    const v = checkLostWrites(hist(wr(0, 'r', 1), wr(0, 'r', 2), rd(1, 'r', 2, 'n1'), rd(1, 'r', 1, 'n1')));
    expect(v.anomalies.map((a) => [a.kind, a.ops])).toEqual([['lost', [2, 3, 4, 5, 6, 7]]]);
    expect(v.anomalies[0]!.explanation).toBe(
      'process 0 wrote 2 to key r and got ok at 0.003 s (op #3); process 1 read it from n1 at 0.004 s (op #4), the last read to hold it, but every read of key r begun after that read ended lacks it (n1 at 0.006 s (op #6))',
    );
  });

  it("register keys: values nobody wrote are unexpected, a failed write's value is visible, and neither read decides a loss", () => {
    // The reads of 3 (a failed write's value) and 9 (nobody's) cannot be ranked: they might hold 2,
    // so the older read of 1 cannot make 2 lost (never-read). 1 was read and nothing that can tell
    // lacks it later: stable.
    const v = checkLostWrites(hist(wr(0, 'r', 1), wr(0, 'r', 2), wr(0, 'r', 3, 'fail'), rd(1, 'r', 1), rd(1, 'r', 3), rd(1, 'r', 9)));
    expect(v.anomalies.map((a) => [a.kind, a.ops])).toEqual([
      ['failed-write-visible', [4, 5, 8, 9]],
      ['unexpected', [10, 11]],
    ]);
    expect(v.stats).toMatchObject({ lost: 0, stable: 1, neverRead: 1 });
  });

  it("groups a key's lost appends into one anomaly", () => {
    const v = checkLostWrites(hist(ap(0, 'x', 1), ap(0, 'x', 2), ap(0, 'x', 3), rd(1, 'x', [1])));
    expect(v.anomalies).toHaveLength(1);
    expect(v.anomalies[0]!.ops).toEqual([2, 3, 4, 5, 6, 7]);
    expect(v.anomalies[0]!.explanation).toBe(
      '2 writes that were acknowledged or seen are lost from key x: 2, 3; the first: process 0 appended 2 to key x and got ok at 0.003 s (op #3), but every read of key x begun after the ok lacks it (at 0.006 s (op #6))',
    );
  });
});
