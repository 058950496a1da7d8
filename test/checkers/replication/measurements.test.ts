import { describe, expect, it } from 'vitest';
import { checkAvailability, checkStaleness, checkStats } from '../../../src/checkers/replication/index.js';
import { ap, hist, nem, rd, type Row } from './build.js';

// staleness, availability and stats measure rather than find anomalies: their tests assert the
// exact figures, and the vacuity rules (unknown with a sentence, never a silent true).
// Index = position in the history, time = index ms.

type Q = { count: number; p50: number; p95: number; p99: number; max: number };
type G = { reads: number; staleReads: number; lagMs: Q; missedVersions: Q };

describe('staleness', () => {
  it('measures missed acknowledged versions and the lag of the newest missed one, overall and per node', () => {
    // read at 2 misses 1 (acked at 1 ms): lag 1 ms; read at 6 misses nothing; read at 10 misses 2 and 3 (newest acked at 9 ms).
    const v = checkStaleness(hist(ap(0, 'x', 1), rd(1, 'x', [], 'n2'), ap(0, 'x', 2), rd(1, 'x', [1, 2], 'n1'), ap(0, 'x', 3), rd(1, 'x', [1], 'n2')));
    expect(v.valid).toBe(true);
    const s = v.stats as G & { perNode: Record<string, G> };
    expect(s).toMatchObject({ reads: 3, staleReads: 2 });
    expect(s.lagMs).toEqual({ count: 3, p50: 1, p95: 1, p99: 1, max: 1 });
    expect(s.missedVersions.max).toBe(2);
    expect(s.perNode.n1).toMatchObject({ reads: 1, staleReads: 0 });
    expect(s.perNode.n2).toMatchObject({ reads: 2, staleReads: 2, missedVersions: { max: 2 } });
  });

  it('splits reads by fault window', () => {
    const v = checkStaleness(hist(ap(0, 'x', 1), nem('start-partition'), rd(1, 'x', [], 'n2'), nem('stop-partition'), rd(1, 'x', [1], 'n1')));
    const s = v.stats as { perWindow: (G & { window: { kind: string } })[]; outsideWindows: G };
    expect(s.perWindow).toHaveLength(1);
    expect(s.perWindow[0]).toMatchObject({ window: { kind: 'partition' }, reads: 1, staleReads: 1, lagMs: { max: 3 } });
    expect(s.outsideWindows).toMatchObject({ reads: 1, staleReads: 0, lagMs: { max: 0 } });
  });

  it("counts a divergent read's missing versions element by element", () => {
    const v = checkStaleness(hist(ap(0, 'x', 1), ap(0, 'x', 2), rd(1, 'x', [1, 2]), rd(1, 'x', [2])));
    expect(v.stats).toMatchObject({ reads: 2, staleReads: 1, missedVersions: { max: 1 } });
  });

  it('never counts info or failed appends as missed; unknown when nothing was measured', () => {
    const v = checkStaleness(hist(ap(0, 'x', 1, 'info'), ap(0, 'x', 2, 'fail'), rd(1, 'x', [])));
    expect(v).toMatchObject({ valid: 'unknown', cause: 'no read followed an acknowledged write, so there was no staleness to measure', stats: { reads: 0 } });
    const w = checkStaleness(hist(ap(0, 'x', 1, 'info'), ap(0, 'x', 2), rd(1, 'x', [2])));
    expect(w).toMatchObject({ valid: true, stats: { reads: 1, staleReads: 0 } });
  });
});

describe('availability', () => {
  it('reports success ratios inside and outside windows, RTO and RPO per window', () => {
    // write 2 is acknowledged inside the partition and gone after the heal: RPO 1 write.
    const v = checkAvailability(
      hist(ap(0, 'x', 1), nem('start-partition'), ap(0, 'x', 2), ap(0, 'x', 3, 'info'), nem('stop-partition'), rd(1, 'x', [1], 'n1')),
    );
    expect(v.valid).toBe(true);
    const s = v.stats as Record<string, any>;
    expect(s.inside).toEqual({ ok: 1, fail: 0, info: 1, successRatio: 0.5 });
    expect(s.outside).toEqual({ ok: 2, fail: 0, info: 0, successRatio: 1 });
    expect(s.windows).toHaveLength(1);
    expect(s.windows[0].writes).toEqual({ ok: 1, fail: 0, info: 1, successRatio: 0.5 });
    expect(s.windows[0].rpo).toEqual({ lostWrites: 1, firstAckTime: 5e6, lastAckTime: 5e6, spanMs: 0 });
    // writes ok at 1 ms and 5 ms; the info append ended at 7 ms: longest write gap 4 ms (1 to 5).
    expect(s.longestGapMs.write).toEqual({ ms: 4, from: 1e6, to: 5e6 });
    expect(s.lostWritesTotal).toBe(1);
  });

  it('is unknown without fault windows', () => {
    const v = checkAvailability(hist(ap(0, 'x', 1), rd(1, 'x', [1])));
    expect(v).toMatchObject({ valid: 'unknown', cause: 'the history has no fault windows (no nemesis start/stop ops), so nothing was measured around faults' });
  });

  it('is unknown when no client op completed inside any window (an info completion does not count)', () => {
    const v = checkAvailability(hist(ap(0, 'x', 1), nem('start-partition'), nem('stop-partition'), rd(1, 'x', [1])));
    expect(v).toMatchObject({ valid: 'unknown', cause: 'no client op completed (ok or fail) inside any fault window, so the faults were never exercised' });
    const info = checkAvailability(hist(nem('start-partition'), ap(0, 'x', 1, 'info'), nem('stop-partition'), rd(1, 'x', [1])));
    expect(info.valid).toBe('unknown');
  });
});

describe('stats', () => {
  const good = () => hist(ap(0, 'x', 1), nem('start-partition'), ap(0, 'x', 2), ap(0, 'x', 3, 'fail'), nem('stop-partition'), rd(1, 'x', [1, 2]));

  it('counts ok/fail/info per f, overall, per window and outside; true when the run tested what it claims', () => {
    const v = checkStats(good());
    expect(v).toMatchObject({ valid: true, anomalies: [] });
    expect(v.stats).toMatchObject({
      clientOps: 4,
      byF: { append: { ok: 2, fail: 1, info: 0 }, read: { ok: 1, fail: 0, info: 0 } },
      nemesis: { 'start-partition': 2, 'stop-partition': 2 },
      windows: [{ window: { kind: 'partition', healed: true }, byF: { append: { ok: 1, fail: 1, info: 0 } } }],
      outsideWindows: { append: { ok: 1, fail: 0, info: 0 }, read: { ok: 1, fail: 0, info: 0 } },
      okReads: 1,
      okReadsAfterFinalHeal: 1,
      completedInsideWindows: 2,
    });
  });

  it('an invocation that never completed counts as info', () => {
    const v = checkStats(hist(ap(0, 'x', 1), [[2, 'invoke', 'append', ['x', 2]]], rd(1, 'x', [1])));
    expect(v.stats).toMatchObject({ byF: { append: { ok: 1, fail: 0, info: 1 } } });
  });

  it('is unknown when some f never succeeded', () => {
    const v = checkStats(hist(ap(0, 'x', 1, 'fail'), ap(0, 'x', 2, 'info'), rd(1, 'x', [])));
    expect(v).toMatchObject({ valid: 'unknown', cause: 'the run did not test what it claims: append never succeeded (2 attempts: 1 failed, 1 indeterminate)' });
  });

  it('is unknown when no read completed', () => {
    expect(checkStats(hist(ap(0, 'x', 1)))).toMatchObject({
      valid: 'unknown',
      cause: 'the run did not test what it claims: no read completed, so nothing the database returned was checked',
    });
  });

  it('counts a transaction with a read micro-op as a read, and one of appends only as none', () => {
    const txn = (p: number, mops: unknown[]): Row[] => [
      [p, 'invoke', 'txn', mops.map((m) => [...(m as unknown[]).slice(0, 2), (m as unknown[])[0] === 'r' ? null : (m as unknown[])[2]])],
      [p, 'ok', 'txn', mops],
    ];
    const reads = checkStats(hist(txn(0, [['append', 'x', 1]]), txn(1, [['r', 'x', [1]]])));
    expect(reads).toMatchObject({ valid: true, stats: { okReads: 1 } });
    expect(checkStats(hist(txn(0, [['append', 'x', 1]])))).toMatchObject({
      valid: 'unknown',
      cause: 'the run did not test what it claims: no read completed, so nothing the database returned was checked',
    });
  });

  it('is unknown when no read completed after the final heal', () => {
    const v = checkStats(hist(ap(0, 'x', 1), nem('start-partition'), rd(1, 'x', [1]), nem('stop-partition')));
    expect(v).toMatchObject({ valid: 'unknown', cause: 'the run did not test what it claims: no read completed after the final heal' });
  });

  it('is unknown when no client op completed inside any fault window', () => {
    const v = checkStats(hist(ap(0, 'x', 1), nem('start-partition'), nem('stop-partition'), rd(1, 'x', [1])));
    expect(v).toMatchObject({ valid: 'unknown', cause: 'the run did not test what it claims: no client op completed inside any fault window' });
  });

  it('is unknown when a fault never healed, and on a history with no client ops', () => {
    expect(checkStats(hist(ap(0, 'x', 1), nem('kill'), rd(1, 'x', [1])))).toMatchObject({
      valid: 'unknown',
      cause: expect.stringMatching(/a fault window never closed/),
    });
    expect(checkStats(hist(nem('start-partition'), nem('stop-partition')))).toMatchObject({
      valid: 'unknown',
      cause: expect.stringMatching(/the history has no client ops/),
    });
  });
});
