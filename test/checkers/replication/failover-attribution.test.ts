import { describe, expect, it } from 'vitest';
import { checkLostWrites } from '../../../src/checkers/replication/lost-writes.js';
import { unsafeFailovers } from '../../../src/checkers/replication/failover-attribution.js';
import { ap, hist, nem, rd, type Row } from './build.js';

/** A start-failover as the nemesis logs it: what it was asked, then what it saw and decided. */
const failover = (rec: Record<string, unknown>): Row[] => [
  ['nemesis', 'invoke', 'start-failover', { fence: true, isolateMs: 1000 }],
  ['nemesis', 'info', 'start-failover', { fence: true, isolateMs: 1000, old: 'n1', sync: 'ANY 1 ("n2", "n3")', waitedMs: 0, ...rec }],
];
const naive = {
  policy: 'naive',
  chosen: 'n2',
  promoted: 'n2',
  positions: { n2: '0/3000', n3: null },
  unanswered: ['n3'],
  required: 2,
  heard: 1,
  quorum: false,
  decision: 'promoted',
};
const safe = {
  policy: 'safe',
  chosen: 'n3',
  promoted: 'n3',
  positions: { n2: '0/3000', n3: '0/4000' },
  unanswered: [],
  required: 2,
  heard: 2,
  quorum: true,
  decision: 'promoted',
};

describe('failover attribution in lost-writes', () => {
  it('a write lost across a naive failover that did not hear from the standby holding it: the failover is named', () => {
    const ops = hist(ap(0, 'x', 1), ap(0, 'x', 2), failover(naive), nem('stop-failover'), rd(1, 'x', [1], 'n2'));
    const v = checkLostWrites(ops);
    expect(v.valid).toBe(false);
    const a = v.anomalies.find((x) => x.kind === 'lost')!;
    expect(a.explanation).toMatch(
      /but every read of key x after the final heal lacks it \(n2 at 0\.008 s \(op #8\)\)\. The failover at 0\.004 s \(op #4\) promoted n2 without hearing from n3 \(naive-failover policy: ANY 1 \("n2", "n3"\) needs 2 answers, it had 1\); this write was acknowledged before it and n2 did not hold it: a decision of faultline's, not a database fault$/,
    );
    expect(a.ops).toEqual(expect.arrayContaining([4, 5]));
    expect(a.data).toMatchObject({ failover: { chosen: 'n2', unanswered: ['n3'], policy: 'naive', writesBefore: 1 } });
  });

  it('a safe failover (quorum heard), an async one (no quorum applies) and a refused one are not blamed', () => {
    for (const rec of [
      safe,
      { ...naive, policy: 'safe', required: null, quorum: null, sync: 'async' },
      { ...naive, policy: 'safe', chosen: null, decision: 'refused' },
    ]) {
      const ops = hist(ap(0, 'x', 1), ap(0, 'x', 2), failover(rec), nem('stop-failover'), rd(1, 'x', [1], 'n2'));
      const a = checkLostWrites(ops).anomalies.find((x) => x.kind === 'lost')!;
      expect(a.explanation).not.toMatch(/failover/);
    }
    expect(unsafeFailovers(hist(failover(safe)))).toEqual([]);
  });

  it('writes acknowledged after the failover are not put on it; a failover after the final reads is not either', () => {
    const after = hist(failover(naive), nem('stop-failover'), ap(0, 'x', 1), rd(1, 'x', [], 'n2'));
    expect(checkLostWrites(after).anomalies.find((x) => x.kind === 'lost')!.explanation).not.toMatch(/failover/);
    const later = hist(ap(0, 'x', 1), rd(1, 'x', [], 'n2'), failover(naive), nem('stop-failover'));
    for (const a of checkLostWrites(later).anomalies) expect(a.explanation).not.toMatch(/The failover/);
  });

  it('counts how many of the lost writes came before it', () => {
    const ops = hist(ap(0, 'x', 1), ap(0, 'x', 2), failover(naive), ap(0, 'x', 3), nem('stop-failover'), rd(1, 'x', [1], 'n2'));
    const a = checkLostWrites(ops).anomalies.find((x) => x.kind === 'lost')!;
    expect(a.explanation).toMatch(/1 of these writes was acknowledged before it and n2 did not hold it/);
  });
});
