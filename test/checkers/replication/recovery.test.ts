import { describe, expect, it } from 'vitest';
import { checkRecovery } from '../../../src/checkers/replication/recovery.js';
import type { Op, OpType, Process } from '../../../src/history/op.js';
import { checksFor } from '../../../src/run/checks.js';

// Histories with times in seconds: [time s, process, type, f, value, node?, error?]; index = position.
type R = [number, Process, OpType, string, unknown, string?, string?];
function hist(rows: R[]): Op[] {
  return rows.map(([t, process, type, f, value, node, error], index) => {
    const op: Op = { index, time: Math.round(t * 1e9), type, process, f, value };
    if (node !== undefined) op.node = node;
    if (error !== undefined) op.error = error;
    return op;
  });
}
/** A fault window: start-kill at `from`, its stop done at `to` (the final heal when last). */
const window = (from: number, to: number): R[] => [
  [from, 'nemesis', 'invoke', 'start-kill', { node: 'n1' }],
  [from + 0.01, 'nemesis', 'info', 'start-kill', { node: 'n1' }],
  [to - 0.1, 'nemesis', 'invoke', 'stop-kill', null],
  [to, 'nemesis', 'info', 'stop-kill', { restarted: ['n1'] }],
];
const read = (p: number, t0: number, t1: number, type: OpType, node?: string, error?: string): R[] => [
  [t0, p, 'invoke', 'read', [1, null]],
  [t1, p, type, 'read', type === 'ok' ? [1, [1]] : [1, null], node, error],
];
const write = (p: number, t0: number, t1: number, type: OpType, node?: string, error?: string): R[] => [
  [t0, p, 'invoke', 'append', [1, p]],
  [t1, p, type, 'append', [1, p], node, error],
];

const NOT_PRIV = "ER_HOST_NOT_PRIVILEGED 1130: Host '10.77.3.1' is not allowed to connect to this MariaDB server";

describe('recovery', () => {
  it("unknown when the final heal failed (a stop with an error): the fault may still be in effect, so unavailability is not the database's", () => {
    const rows: R[] = [
      ...write(0, 1, 1.01, 'ok', 'n1'),
      [2, 'nemesis', 'invoke', 'start-kill', { node: 'n1' }],
      [2.01, 'nemesis', 'info', 'start-kill', { node: 'n1' }],
      [9.9, 'nemesis', 'invoke', 'stop-kill', null],
      [10, 'nemesis', 'info', 'stop-kill', { restarted: [], failed: [{ node: 'n1', error: 'boom' }] }, undefined, 'not restarted: n1: boom'],
    ];
    let t = 11;
    for (let i = 0; i < 5; i++, t += 10) rows.push(...read(10 + i, t, t + 0.01, 'fail', 'n1', 'ECONNREFUSED'));
    const v = checkRecovery(hist(rows));
    expect(v.valid).toBe('unknown');
    expect(v.anomalies).toEqual([]);
    expect(v.cause).toMatch(
      /^the final heal failed: stop-kill \(op 5 at 10\.000 s\) ended with the error "not restarted: n1: boom".*faultline's failed heal, not the database's recovery$/,
    );
  });

  it('valid when an op invoked after the final heal succeeds within the bound; the stats say how long it took', () => {
    const ops = hist([...write(0, 1, 1.01, 'ok', 'n1'), ...window(2, 10), ...read(1, 11, 11.1, 'fail', 'n2', NOT_PRIV), ...read(2, 13, 13.2, 'ok', 'n2')]);
    const v = checkRecovery(ops);
    expect(v).toMatchObject({ valid: true, anomalies: [] });
    expect(v.stats).toMatchObject({ boundMs: 30_000, recoveredAfterMs: 3200, firstOk: 9, afterHeal: { ok: 1, fail: 1, info: 0, pending: 0 } });
  });

  it('not-recovered: no op succeeded after the final heal until the history ended past the bound; the sentence counts the errors and names the nodes', () => {
    const rows: R[] = [...write(0, 1, 1.01, 'ok', 'n1'), ...window(2, 62.1)];
    let t = 63;
    for (let i = 0; i < 3; i++, t += 10) rows.push(...read(10 + i, t, t + 0.01, 'fail', 'n2', NOT_PRIV));
    rows.push(...write(20, 100, 105, 'info', 'n1', 'ECONNRESET: read ECONNRESET'), ...write(21, 102, 107.1, 'info', 'n3', 'ECONNRESET: read ECONNRESET'));
    const ops = hist(rows);
    const v = checkRecovery(ops);
    expect(v.valid).toBe(false);
    expect(v.anomalies).toHaveLength(1);
    const a = v.anomalies[0]!;
    expect(a.kind).toBe('not-recovered');
    expect(a.explanation).toBe(
      `after the final heal at 62.100 s (op #5), no operation succeeded for 45.0 s (bound 30 s): 3 failed with '${NOT_PRIV}' from n2, ` +
        "2 were indeterminate (info) with 'ECONNRESET: read ECONNRESET' from n1 and n3",
    );
    // The heal (its invocation and completion) and every op that did not succeed after it.
    expect(a.ops).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(a.data).toMatchObject({ boundMs: 30_000, nodes: ['n1', 'n2', 'n3'] });
    expect(v.stats).toMatchObject({
      recoveredAfterMs: null,
      afterHeal: { ok: 0, fail: 3, info: 2, pending: 0 },
      errors: [
        { error: NOT_PRIV, type: 'fail', count: 3, nodes: ['n2'] },
        { error: 'ECONNRESET: read ECONNRESET', type: 'info', count: 2, nodes: ['n1', 'n3'] },
      ],
    });
  });

  it('not-recovered when the first success comes only after the bound and failures reached it; an op begun before the heal proves nothing', () => {
    const w = window(2, 10);
    const ops = hist([
      ...w.slice(0, 2),
      [9, 5, 'invoke', 'read', [1, null]],
      ...w.slice(2),
      ...read(1, 12, 12.5, 'fail', 'n2', 'ECONNREFUSED'),
      [12.6, 5, 'ok', 'read', [1, [1]], 'n2'],
      ...read(1, 41, 41.5, 'fail', 'n2', 'ECONNREFUSED'),
      ...read(2, 55, 55.1, 'ok', 'n2'),
    ]);
    const v = checkRecovery(ops);
    expect(v.valid).toBe(false);
    expect(v.anomalies[0]!.explanation).toBe(
      "after the final heal at 10.000 s (op #4), no operation succeeded for 45.1 s (bound 30 s): 2 failed with 'ECONNREFUSED' from n2; " +
        'the first success came only at 55.100 s (op #11)',
    );
    // The heal, the failed reads, the late first success; not process 5's read, begun before the heal.
    expect(v.anomalies[0]!.ops).toEqual([3, 4, 5, 6, 8, 9, 10, 11]);
    expect(v.stats).toMatchObject({ recoveredAfterMs: 45_100, firstOk: 11 });
  });

  it("the heal ends with the last nemesis op after the last window's close (a stop that closes nothing, such as stop-failover rebuilding a node)", () => {
    const ops = hist([
      ...window(2, 10),
      [10.5, 'nemesis', 'invoke', 'stop-failover', null],
      [25, 'nemesis', 'info', 'stop-failover', { primary: 'n2', rebuilt: ['n1'] }],
      ...read(1, 28, 28.1, 'fail', 'n2', 'ECONNREFUSED'),
      ...read(2, 45, 45.1, 'ok', 'n2'),
    ]);
    const v = checkRecovery(ops);
    expect(v).toMatchObject({ valid: true, stats: { finalHeal: { index: 5, time: 25e9 }, recoveredAfterMs: 20_100, firstOk: 9 } });
    const late = hist([
      ...window(2, 10),
      [10.5, 'nemesis', 'invoke', 'stop-failover', null],
      [25, 'nemesis', 'info', 'stop-failover', null],
      ...read(1, 28, 28.1, 'fail', 'n2', 'ECONNREFUSED'),
      ...read(1, 56, 56.1, 'fail', 'n2', 'ECONNREFUSED'),
    ]);
    expect(checkRecovery(late).anomalies[0]!.explanation).toBe(
      "after the final heal at 25.000 s (op #5), no operation succeeded for 31.1 s (bound 30 s): 2 failed with 'ECONNREFUSED' from n2",
    );
    expect(checkRecovery(late).anomalies[0]!.ops).toEqual([4, 5, 6, 7, 8, 9]);
  });

  it('the bound comes from recoveryTimeoutMs: the same history is valid under a longer one', () => {
    const ops = hist([
      ...window(2, 10),
      ...read(1, 12, 12.5, 'fail', 'n2', 'ECONNREFUSED'),
      ...read(1, 41, 41.5, 'fail', 'n2', 'ECONNREFUSED'),
      ...read(2, 55, 55.1, 'ok', 'n2'),
    ]);
    expect(checkRecovery(ops, { recoveryTimeoutMs: 60_000 })).toMatchObject({ valid: true, stats: { boundMs: 60_000 } });
    expect(checkRecovery(ops, { recoveryTimeoutMs: 30_000 }).valid).toBe(false);
  });

  it('an op still pending at the end did not succeed: it counts until the history ends', () => {
    const ops = hist([
      ...window(2, 10),
      [11, 1, 'invoke', 'append', [1, 1]],
      ...read(2, 12, 12.1, 'fail', 'n2', 'ECONNREFUSED'),
      [45, 'nemesis', 'invoke', 'noop', null],
    ]);
    const v = checkRecovery(ops);
    expect(v.valid).toBe(false);
    expect(v.anomalies[0]!.explanation).toBe(
      "after the final heal at 10.000 s (op #3), no operation succeeded for 35.0 s (bound 30 s): 1 failed with 'ECONNREFUSED' from n2, 1 never completed",
    );
  });

  it('the 20 first ops that did not succeed are the witness, and the sentence names 3 errors then counts the rest', () => {
    const rows: R[] = [...window(2, 10)];
    for (let i = 0; i < 30; i++) rows.push(...read(i, 11 + i, 11.5 + i, 'fail', `n${1 + (i % 3)}`, `error ${i % 5}`));
    const v = checkRecovery(hist(rows));
    expect(v.valid).toBe(false);
    expect(v.anomalies[0]!.ops).toEqual([2, 3, ...Array.from({ length: 40 }, (_, i) => 4 + i)]);
    expect(v.anomalies[0]!.explanation).toBe(
      'after the final heal at 10.000 s (op #3), no operation succeeded for 30.5 s (bound 30 s): ' +
        "6 failed with 'error 0' from n1, n2 and n3, 6 failed with 'error 1' from n1, n2 and n3, 6 failed with 'error 2' from n1, n2 and n3, 12 more with 2 other errors",
    );
  });

  it('unknown when the history ends before the bound elapsed with no success (not enough evidence)', () => {
    const ops = hist([...window(2, 10), ...read(1, 11, 11.1, 'fail', 'n2', NOT_PRIV), ...read(1, 14, 14.1, 'fail', 'n2', NOT_PRIV)]);
    expect(checkRecovery(ops)).toMatchObject({
      valid: 'unknown',
      anomalies: [],
      cause: 'after the final heal at 10.000 s, the history ends 4.1 s after it with no success, before the 30 s bound elapsed: not enough evidence',
    });
  });

  it('unknown when a late success follows a long stretch with no attempt (it may have recovered sooner)', () => {
    const ops = hist([...window(2, 10), ...read(1, 11, 11.1, 'fail', 'n2', NOT_PRIV), ...read(2, 50, 50.1, 'ok', 'n2')]);
    expect(checkRecovery(ops)).toMatchObject({
      valid: 'unknown',
      cause:
        'after the final heal at 10.000 s, the first success came 40.1 s after it, but no op was attempted between 11.100 s and 50.000 s, so it may have recovered sooner',
    });
  });

  it('unknown without faults, when a window never closed, and when no client op followed the heal', () => {
    expect(checkRecovery(hist([...read(1, 1, 1.1, 'fail', 'n2', 'x'), ...read(1, 40, 40.1, 'fail', 'n2', 'x')]))).toMatchObject({
      valid: 'unknown',
      cause: 'the history has no fault windows, so there is no heal to recover from',
    });
    const open = hist([
      [1, 'nemesis', 'invoke', 'start-kill', { node: 'n1' }],
      [1.1, 'nemesis', 'info', 'start-kill', { node: 'n1' }],
      ...read(1, 2, 2.1, 'fail', 'n2', 'x'),
      ...read(1, 40, 40.1, 'fail', 'n2', 'x'),
    ]);
    expect(checkRecovery(open)).toMatchObject({
      valid: 'unknown',
      cause: 'a fault window never closed (the cluster was never healed), so recovery after the heal cannot be judged',
    });
    expect(checkRecovery(hist([...write(0, 1, 1.1, 'ok', 'n1'), ...window(2, 10)]))).toMatchObject({
      valid: 'unknown',
      cause: 'no client op was invoked after the final heal at 10.000 s, so recovery was not tested',
    });
  });

  it('a run with faults is checked for recovery (before stats); one without is not', () => {
    expect(checksFor('append', 'kill,failover').checkers).toEqual([
      'read-your-writes',
      'monotonic-reads',
      'monotonic-writes',
      'writes-follow-reads',
      'consistent-prefix',
      'lost-writes',
      'staleness',
      'availability',
      'recovery',
      'stats',
    ]);
    expect(checksFor('register', 'pause').checkers).toEqual(['linearizable', 'recovery', 'stats']);
    expect(checksFor('set', 'none').checkers).toEqual(['set', 'stats']);
  });
});
