import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseHistory } from '../../../src/history/load.js';
import { inferRwRegister } from '../../../src/checkers/txn/rw-register.js';
import type { Anomaly } from '../../../src/checkers/types.js';
import { done, edgeList, hasCycle, hist, inv, T, tx } from './build.js';

const witness = (a: Anomaly[]) => a.map((x) => ({ kind: x.kind, ops: x.ops, key: x.data?.key }));

describe('rw-register edges', () => {
  // Concurrent: T0 writes x=1; T1 reads x=1 and writes x=2; T2 reads x=nil; T3 (info) writes x=3.
  const ops = hist(
    inv(0, [['w', 'x', 1]]),
    inv(1, [
      ['r', 'x', null],
      ['w', 'x', 2],
    ]),
    inv(2, [['r', 'x', null]]),
    inv(3, [['w', 'x', 3]]),
    done(0, [['w', 'x', 1]]),
    done(1, [
      ['r', 'x', 1],
      ['w', 'x', 2],
    ]),
    done(2, [['r', 'x', null]]),
  );

  it('infers wr from the writer, and from the initial state only rw from readers of nil to every writer', () => {
    const inf = inferRwRegister(ops, {});
    expect(inf.anomalies).toEqual([]);
    expect(edgeList(inf)).toEqual(['0->1 wr', '2->0 rw', '2->1 rw', '2->3 rw']);
  });

  it('with --wfr-keys orders a read version before the same transaction write: ww from its writer', () => {
    const inf = inferRwRegister(ops, { wfrKeys: true });
    expect(edgeList(inf)).toEqual(['0->1 wr', '0->1 ww', '2->0 rw', '2->1 rw', '2->3 rw']);
    expect(inf.explain(0, 1, 'ww', T).sentence).toBe(
      'T0 wrote key "x" = 1 and T1 wrote 2, which came later in its version order (a transaction read 1 and then wrote 2 (wfr-keys))',
    );
  });

  it('explains wr and rw', () => {
    const inf = inferRwRegister(ops, {});
    expect(inf.explain(0, 1, 'wr', T)).toEqual({ kind: 'wr', key: 'x', value: 1, sentence: 'T1 read key "x" = 1, which T0 wrote' });
    expect(inf.explain(2, 3, 'rw', T).sentence).toBe(
      'T2 read key "x" = nil and T3 wrote 3, a later version (nil, the initial state, precedes every version), so T2 precedes T3',
    );
    expect(() => inf.explain(1, 0, 'wr', T)).toThrow('no wr edge from T1 to T0');
  });

  it('with --sequential-keys orders versions along each process', () => {
    // p0: w x=1, then later r x=2 (written by p1 meanwhile): 1 -> 2, so ww T0 -> T1.
    const seq = hist(tx(0, [['w', 'x', 1]]), tx(1, [['w', 'x', 2]]), tx(0, [['r', 'x', 2]]));
    expect(edgeList(inferRwRegister(seq, {}), ['ww', 'wr', 'rw'])).toEqual(['1->2 wr']);
    const inf = inferRwRegister(seq, { sequentialKeys: true });
    expect(edgeList(inf, ['ww', 'wr', 'rw'])).toEqual(['0->1 ww', '1->2 wr']);
    expect(inf.explain(0, 1, 'ww', T).sentence).toMatch(/a process saw 1 before 2 \(sequential-keys\)/);
  });

  it('with --linearizable-keys orders versions along realtime', () => {
    // T0 writes 1 and completes; then T1 reads nil: 1 -> nil against nil -> 1, a cycle in the versions.
    const inf = inferRwRegister(hist(tx(0, [['w', 'x', 1]]), tx(1, [['r', 'x', null]])), { linearizableKeys: true });
    expect(witness(inf.anomalies)).toEqual([{ kind: 'cyclic-versions', ops: [1, 3], key: 'x' }]);
    expect(inf.anomalies[0]!.data!.sources).toEqual(['initial-state', 'linearizable-keys']);
    // The source that made the cycle was left out: the graph is as without it.
    expect(edgeList(inf, ['ww', 'wr', 'rw'])).toEqual(['1->0 rw']);
    // Realtime version order that fits: T0 w 1, then T1 w 2 begins after: ww T0 -> T1.
    const ok = inferRwRegister(hist(tx(0, [['w', 'x', 1]]), tx(1, [['w', 'x', 2]])), { linearizableKeys: true });
    expect(ok.anomalies).toEqual([]);
    expect(edgeList(ok, ['ww'])).toEqual(['0->1 ww']);
  });
});

describe('rw-register anomalies without cycles', () => {
  it('internal: a read other than the transaction own write, or own earlier read', () => {
    const inf = inferRwRegister(
      hist(
        tx(0, [
          ['w', 'x', 1],
          ['r', 'x', 2],
        ]),
        tx(1, [['w', 'x', 2]]),
        tx(2, [
          ['r', 'y', null],
          ['r', 'y', 5],
        ]),
        tx(3, [['w', 'y', 5]]),
      ),
      {},
    );
    expect(witness(inf.anomalies)).toEqual([
      { kind: 'internal', ops: [1], key: 'x' },
      { kind: 'internal', ops: [5], key: 'y' },
    ]);
    expect(inf.anomalies[0]!.data!.expected).toBe(1);
  });

  it('G1a: reading a failed write', () => {
    const inf = inferRwRegister(hist(tx(0, [['w', 'x', 1]], 'fail'), tx(1, [['r', 'x', 1]])), {});
    expect(witness(inf.anomalies)).toEqual([{ kind: 'G1a', ops: [3, 1], key: 'x' }]);
  });

  it('G1b: reading a value its writer overwrote', () => {
    const inf = inferRwRegister(
      hist(
        tx(0, [
          ['w', 'x', 1],
          ['w', 'x', 2],
        ]),
        tx(1, [['r', 'x', 1]]),
      ),
      {},
    );
    expect(witness(inf.anomalies)).toEqual([{ kind: 'G1b', ops: [3, 1], key: 'x' }]);
  });

  it('lost-update: two committed transactions read nil and both wrote', () => {
    const inf = inferRwRegister(
      hist(
        tx(0, [
          ['r', 'x', null],
          ['w', 'x', 1],
        ]),
        tx(1, [
          ['r', 'x', null],
          ['w', 'x', 2],
        ]),
      ),
      {},
    );
    expect(witness(inf.anomalies)).toEqual([{ kind: 'lost-update', ops: [1, 3], key: 'x' }]);
  });

  it('a read of a value nobody wrote is no anomaly and yields no edge (Elle: an unknown initial state)', () => {
    const inf = inferRwRegister(hist(tx(0, [['r', 'x', 7]])), {});
    expect(inf.anomalies).toEqual([]);
    expect(edgeList(inf)).toEqual([]);
  });
});

describe('Elle conformance: rw-register.edn', () => {
  it('w x 2, r x 3, r x 2 on one process: no cycle, so valid under strict-serializable', () => {
    const file = 'test/fixtures/conformance/elle/rw-register.edn';
    const inf = inferRwRegister(parseHistory(readFileSync(file, 'utf8'), file).ops, {});
    expect(inf.anomalies).toEqual([]);
    expect(edgeList(inf)).toEqual(['0->1 process', '0->1 realtime', '0->2 wr', '1->2 process', '1->2 realtime']);
    expect(hasCycle(inf, ['ww', 'wr', 'rw', 'process', 'realtime'])).toBe(false);
  });
});
