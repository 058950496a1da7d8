import { describe, expect, it } from 'vitest';
import { checkInference } from '../../../src/checkers/txn/check.js';
import { inference, type E } from './fake.js';

const writeSkew: E[] = [
  [0, 1, 'rw'],
  [1, 0, 'rw'],
];
const gsingleRealtime: E[] = [
  [0, 1, 'rw'],
  [1, 0, 'realtime'],
];

describe('checkInference', () => {
  it('explains a cycle as a chain of T1..Tk and names the weakest model it rules out', () => {
    const v = checkInference(
      inference(3, [
        [0, 1, 'wr'],
        [1, 2, 'rw'],
        [2, 0, 'ww'],
      ]),
      {},
    );
    expect(v.valid).toBe(false);
    expect(v.anomalies).toHaveLength(1);
    const a = v.anomalies[0]!;
    expect(a.kind).toBe('G-single-item');
    expect(a.ops).toEqual([11, 21, 1]);
    expect(a.explanation).toBe(
      [
        'T1 = process 1, index 11: [[append 1 1]]',
        'T2 = process 2, index 21: [[append 2 1]]',
        'T3 = process 0, index 1: [[append 0 1]]',
        'T1 < T2: T1 rw T2 (rw); T2 < T3: T2 ww T3 (ww); T3 < T1: T3 wr T1 (wr): a cycle, so not consistent-view nor repeatable-read',
      ].join('\n'),
    );
    expect(a.data).toMatchObject({
      notModels: ['consistent-view', 'repeatable-read'],
      cycle: {
        txns: [
          { name: 'T1', index: 11, invokeIndex: 10, process: 1, type: 'ok', mops: '[[append 1 1]]' },
          { name: 'T2', index: 21, invokeIndex: 20, process: 2, type: 'ok', mops: '[[append 2 1]]' },
          { name: 'T3', index: 1, invokeIndex: 0, process: 0, type: 'ok', mops: '[[append 0 1]]' },
        ],
        edges: [
          { from: 0, to: 1, kind: 'rw', sentence: 'T1 rw T2' },
          { from: 1, to: 2, kind: 'ww', sentence: 'T2 ww T3' },
          { from: 2, to: 0, kind: 'wr', sentence: 'T3 wr T1' },
        ],
      },
    });
    expect(v.stats).toMatchObject({
      txns: 3,
      committed: 3,
      sccs: 1,
      largestScc: 3,
      not: ['consistent-view', 'repeatable-read'],
      anomalyTypes: ['G-single-item'],
    });
  });

  it('no cycle: valid', () => {
    const v = checkInference(
      inference(3, [
        [0, 1, 'ww'],
        [1, 2, 'wr'],
        [0, 2, 'realtime'],
      ]),
      {},
    );
    expect(v).toMatchObject({ valid: true, anomalies: [], stats: { sccs: 0, not: [], alsoNot: [] } });
  });

  it('G2-item is invalid under repeatable-read but not reported under read-committed', () => {
    expect(checkInference(inference(2, writeSkew), { txn: { consistency: ['repeatable-read'] } }).valid).toBe(false);
    const rc = checkInference(inference(2, writeSkew), { txn: { consistency: ['read-committed'] } });
    expect(rc.valid).toBe(true);
    expect(rc.anomalies).toEqual([]);
    expect(rc.stats).toMatchObject({ unreported: ['G2-item'], not: ['repeatable-read'] });
  });

  it('--consistency none with --anomalies checks only those anomalies', () => {
    expect(checkInference(inference(2, writeSkew), { txn: { consistency: [], anomalies: ['G2-item'] } }).valid).toBe(false);
    expect(checkInference(inference(2, writeSkew), { txn: { consistency: [], anomalies: ['G1c'] } }).valid).toBe(true);
  });

  it('realtime cycles break strict-serializable, not serializable', () => {
    const ss = checkInference(inference(2, gsingleRealtime), {});
    expect(ss.valid).toBe(false);
    expect(ss.anomalies.map((a) => a.kind)).toEqual(['G-single-item-realtime']);
    const ser = checkInference(inference(2, gsingleRealtime), { txn: { consistency: ['serializable'] } });
    expect(ser.valid).toBe(true);
  });

  it('non-cycle anomalies pass through, filtered the same way', () => {
    const g1a = { kind: 'G1a', ops: [5], explanation: 'T read an aborted write' };
    const inf = inference(2, [[0, 1, 'ww']], { anomalies: [g1a] });
    expect(checkInference(inf, {})).toMatchObject({ valid: false, anomalies: [g1a] });
    expect(checkInference(inf, { txn: { consistency: ['read-uncommitted'] } })).toMatchObject({ valid: true, anomalies: [] });
  });

  it('an anomaly kind no table knows makes the verdict unknown, not valid', () => {
    const odd = { kind: 'made-up', ops: [1], explanation: 'x' };
    const v = checkInference(inference(2, [[0, 1, 'ww']], { anomalies: [odd] }), {});
    expect(v.valid).toBe('unknown');
    expect(v.cause).toMatch(/made-up/);
  });

  it('an empty transaction graph is unknown', () => {
    const v = checkInference(inference(3, []), {});
    expect(v.valid).toBe('unknown');
    expect(v.anomalies.map((a) => a.kind)).toEqual(['empty-transaction-graph']);
    expect(v.cause).toMatch(/no dependency/);
  });

  it('budget exhausted: unknown with a cause, anomalies found so far kept; false when one of them is prohibited', () => {
    const past = Date.now() - 10_000;
    const v = checkInference(inference(2, writeSkew), { timeLimitMs: 1 }, past);
    expect(v.valid).toBe(false); // the cycle-exists fallback still proves "not serializable"
    expect(v.anomalies.map((a) => a.kind)).toEqual(['PL-3-cycle-exists', 'cycle-search-timeout']);
    const note = { kind: 'G1a', ops: [3], explanation: 'kept' };
    const rr = checkInference(
      inference(2, writeSkew, { anomalies: [note] }),
      { timeLimitMs: 1, txn: { consistency: ['read-uncommitted'], anomalies: ['G0'] } },
      past,
    );
    expect(rr.valid).toBe('unknown');
    expect(rr.cause).toMatch(/time budget/);
  });
});
