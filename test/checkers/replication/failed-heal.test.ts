import { describe, expect, it } from 'vitest';
import { checkLostWrites, checkSet } from '../../../src/checkers/replication/index.js';
import { afterFinalHeal, faultTimeline } from '../../../src/checkers/replication/windows.js';
import type { Op } from '../../../src/history/op.js';
import { add, ap, hist, nem, rd, rs } from './build.js';

// Issue 11: a stop whose completion carries an error did not certainly heal (windows.ts, Failed heals).

const NOT_RESTARTED = 'not restarted: n1: cannot rebuild from the primary n3: it is down';

/** Sets `error` on the nemesis completion of `f` at the given occurrence (0 = first). */
function withError(ops: Op[], f: string, error: string, occurrence = 0): Op[] {
  const done = ops.filter((o) => o.process === 'nemesis' && o.f === f && o.type !== 'invoke');
  done[occurrence]!.error = error;
  return ops;
}

describe('a final heal that ended with an error', () => {
  it('leaves the window open: finalHeal is failed and names the op', () => {
    const ops = withError(
      hist(ap(0, 'x', 1), nem('start-kill', { node: 'n1' }), nem('stop-kill', { restarted: [], failed: [{ node: 'n1', error: 'down' }] }), rd(1, 'x', [])),
      'stop-kill',
      NOT_RESTARTED,
    );
    const tl = faultTimeline(ops);
    expect(tl.finalHeal).toBe('failed');
    expect(tl.healFailure).toEqual({ f: 'stop-kill', index: 5, time: 5_000_000, error: NOT_RESTARTED });
    expect(tl.windows).toMatchObject([{ kind: 'kill', healed: false, endIndex: Infinity, ops: [2, 3, 4, 5] }]);
    expect(afterFinalHeal(tl, 6)).toBe(false);
  });

  it('lost-writes says unknown with the failed heal as cause, instead of judging the read of a cluster that never healed', () => {
    const ops = withError(hist(ap(0, 'x', 1), nem('start-kill', { node: 'n1' }), nem('stop-kill'), rd(1, 'x', [], 'n2')), 'stop-kill', NOT_RESTARTED);
    const v = checkLostWrites(ops);
    expect(v.valid).toBe('unknown');
    expect(v.anomalies).toEqual([]);
    expect(v.cause).toBe(
      `the final heal failed: stop-kill (op 5 at 0.005 s) ended with the error "${NOT_RESTARTED}", so the fault may still be in effect, so no final read after the heal could decide which writes were lost`,
    );
  });

  it('the same history with a heal that succeeded (info, no error) is judged: the write is lost', () => {
    const ops = hist(ap(0, 'x', 1), nem('start-kill', { node: 'n1' }), nem('stop-kill', { restarted: ['n1'], failed: [] }), rd(1, 'x', [], 'n2'));
    expect(faultTimeline(ops).finalHeal).toEqual({ index: 5, time: 5_000_000 });
    const v = checkLostWrites(ops);
    expect(v.valid).toBe(false);
    expect(v.anomalies.map((a) => a.kind)).toEqual(['lost']);
  });

  it('a failed stop then a successful one: the window closes at the second, and only reads after it decide', () => {
    const ops = withError(
      hist(ap(0, 'x', 1), nem('start-kill'), nem('stop-kill'), rd(1, 'x', [], 'n2'), nem('stop-kill'), rd(1, 'x', [1], 'n1')),
      'stop-kill',
      NOT_RESTARTED,
      0,
    );
    const tl = faultTimeline(ops);
    expect(tl.finalHeal).toEqual({ index: 9, time: 9_000_000 });
    expect(tl.healFailure).toBeUndefined();
    expect(tl.windows).toMatchObject([{ kind: 'kill', healed: true, endIndex: 9, ops: [2, 3, 4, 5, 8, 9] }]);
    expect(checkLostWrites(ops)).toMatchObject({ valid: true, anomalies: [] });
  });

  it('a fail completion with an error is a failed heal too; one without an error only leaves the window open', () => {
    const failed = withError(
      hist(
        ap(0, 'x', 1),
        nem('start-partition'),
        [
          ['nemesis', 'invoke', 'stop-partition', null],
          ['nemesis', 'fail', 'stop-partition', null],
        ],
        rd(1, 'x', [1]),
      ),
      'stop-partition',
      'iptables: timed out',
    );
    expect(faultTimeline(failed)).toMatchObject({ finalHeal: 'failed', healFailure: { f: 'stop-partition', index: 5, error: 'iptables: timed out' } });
    const plain = hist(
      ap(0, 'x', 1),
      nem('start-partition'),
      [
        ['nemesis', 'invoke', 'stop-partition', null],
        ['nemesis', 'fail', 'stop-partition', null],
      ],
      rd(1, 'x', [1]),
    );
    expect(faultTimeline(plain).finalHeal).toBe('never');
    expect(faultTimeline(plain).healFailure).toBeUndefined();
  });

  it('a failed start (error on a start op) is not a failed heal', () => {
    const ops = withError(
      hist(ap(0, 'x', 1), nem('start-partition'), nem('stop-partition'), rd(1, 'x', [1])),
      'start-partition',
      'partition may be partly applied: x',
    );
    expect(faultTimeline(ops).finalHeal).toEqual({ index: 5, time: 5_000_000 });
  });

  it('set: the final read after a failed heal decides nothing', () => {
    const ops = withError(hist(add(0, 1), nem('start-kill'), nem('stop-kill'), rs(1, [])), 'stop-kill', NOT_RESTARTED);
    const v = checkSet(ops);
    expect(v.valid).toBe('unknown');
    expect(v.cause).toBe(
      `the final heal failed: stop-kill (op 5 at 0.005 s) ended with the error "${NOT_RESTARTED}", so the fault may still be in effect, so no final read after the heal decides which adds were lost`,
    );
  });
});
