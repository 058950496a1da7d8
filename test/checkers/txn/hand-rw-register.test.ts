// Hand-written rw-register histories, one per anomaly kind, through checkRwRegister end to end.
// Registers say little about version order: nil precedes every version (always); --wfr-keys adds a
// transaction's read before its write of the same key; --sequential-keys a process's order of the
// versions it saw; --linearizable-keys realtime order of the transactions touching a key. Without one
// of them no ww edge exists, so G0 needs one; G1c, G-single-item and G2-item can come from nil alone.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRwRegister } from '../../../src/checkers/txn/index.js';
import { CheckerInputError, type TxnCheckOptions } from '../../../src/checkers/types.js';
import { loadHistory } from '../../../src/history/load.js';
import type { Op } from '../../../src/history/op.js';
import { A, C, concurrent, expectCycle, H, I, kinds, only, R, sentences, T, W } from './hand-support.js';

const check = (ops: Op[], txn?: TxnCheckOptions) => checkRwRegister(ops, txn ? { txn } : {});

describe('rw-register G0, with each version-order assumption', () => {
  it('--wfr-keys: T2 read x = 1 then wrote 2, T1 read y = 1 then wrote 2, so x: 1 < 2 (T1 then T2) and y: 1 < 2 (T2 then T1)', () => {
    const t1 = [W('x', 1), R('y', 1), W('y', 2)];
    const t2 = [R('x', 1), W('x', 2), W('y', 1)];
    const ops = H(concurrent([0, t1], [1, t2]));
    const v = check(ops, { wfrKeys: true });
    expect(v).toMatchObject({ valid: false, stats: { not: ['read-uncommitted'] } });
    expect(kinds(v)).toEqual(['G0']);
    const a = expectCycle(v, 'G0', {
      ops: [2, 3],
      txns: [
        [0, 'ok', '[[w x 1] [r y 1] [w y 2]]'],
        [1, 'ok', '[[r x 1] [w x 2] [w y 1]]'],
      ],
      edges: [
        ['ww', 'x', 2],
        ['ww', 'y', 2],
      ],
      not: ['read-uncommitted'],
    });
    expect(sentences(a)).toEqual([
      'T1 wrote key "x" = 1 and T2 wrote 2, which came later in its version order (a transaction read 1 and then wrote 2 (wfr-keys))',
      'T2 wrote key "y" = 1 and T1 wrote 2, which came later in its version order (a transaction read 1 and then wrote 2 (wfr-keys))',
    ]);
    // Without the assumption the versions are unordered: only the two reads' wr edges remain, a G1c.
    const plain = check(ops);
    expect(kinds(plain)).toEqual(['G1c']);
    expectCycle(plain, 'G1c', {
      ops: [2, 3],
      txns: [
        [0, 'ok', '[[w x 1] [r y 1] [w y 2]]'],
        [1, 'ok', '[[r x 1] [w x 2] [w y 1]]'],
      ],
      edges: [
        ['wr', 'x', 1],
        ['wr', 'y', 1],
      ],
      not: ['read-committed'],
    });
  });

  // T1 (w x 1, w y 2) and T2 (w x 2, w y 1) span the whole history. Process 2 reads x = 1, then x = 2;
  // process 3 reads y = 1, then y = 2: each second read began after the first completed.
  const t1 = [W('x', 1), W('y', 2)];
  const t2 = [W('x', 2), W('y', 1)];
  const blind = H(I(0, t1), I(1, t2), T(2, [R('x', 1)]), T(2, [R('x', 2)]), T(3, [R('y', 1)]), T(3, [R('y', 2)]), C(0, t1), C(1, t2));
  const g0 = {
    ops: [10, 11],
    txns: [
      [0, 'ok', '[[w x 1] [w y 2]]'],
      [1, 'ok', '[[w x 2] [w y 1]]'],
    ] as [number, 'ok', string][],
    edges: [
      ['ww', 'x', 2],
      ['ww', 'y', 2],
    ] as ['ww', string, number][],
    not: ['read-uncommitted'],
  };
  // The readers also close a G-single-item: the reader of x = 1 -rw-> T2 -ww(y)-> T1 -wr-> that reader.
  const gsingle = {
    ops: [3, 11, 10],
    txns: [
      [2, 'ok', '[[r x 1]]'],
      [1, 'ok', '[[w x 2] [w y 1]]'],
      [0, 'ok', '[[w x 1] [w y 2]]'],
    ] as [number, 'ok', string][],
    edges: [
      ['rw', 'x', 2],
      ['ww', 'y', 2],
      ['wr', 'x', 1],
    ] as ['rw' | 'ww' | 'wr', string, number][],
    not: ['consistent-view', 'repeatable-read'],
  };

  it('--linearizable-keys: realtime order of the readers orders both keys the opposite ways', () => {
    const v = check(blind, { linearizableKeys: true });
    expect(v).toMatchObject({ valid: false, stats: { not: ['read-uncommitted'] } });
    expect(kinds(v)).toEqual(['G-single-item', 'G0']);
    const a = expectCycle(v, 'G0', g0);
    expect(sentences(a)[0]).toBe(
      'T1 wrote key "x" = 1 and T2 wrote 2, which came later in its version order (1 was seen before 2\'s transaction began (linearizable-keys))',
    );
    expectCycle(v, 'G-single-item', gsingle);
  });

  it('--sequential-keys: the same from each reader process order', () => {
    const v = check(blind, { sequentialKeys: true });
    expect(kinds(v)).toEqual(['G-single-item', 'G0']);
    const a = expectCycle(v, 'G0', g0);
    expect(sentences(a)[1]).toBe('T2 wrote key "y" = 1 and T1 wrote 2, which came later in its version order (a process saw 1 before 2 (sequential-keys))');
    expectCycle(v, 'G-single-item', gsingle);
  });

  it('without an assumption nothing orders the blind writes: valid', () => {
    expect(check(blind)).toMatchObject({ valid: true, anomalies: [] });
    expect(check(blind, { wfrKeys: true })).toMatchObject({ valid: true, anomalies: [] });
  });
});

describe('rw-register cycles from the initial state alone', () => {
  it('G1c: each read the value the other wrote', () => {
    const v = check(H(concurrent([0, [W('x', 1), R('y', 1)]], [1, [W('y', 1), R('x', 1)]])));
    expect(v).toMatchObject({ valid: false, stats: { not: ['read-committed'] } });
    expect(kinds(v)).toEqual(['G1c']);
    const a = expectCycle(v, 'G1c', {
      ops: [2, 3],
      txns: [
        [0, 'ok', '[[w x 1] [r y 1]]'],
        [1, 'ok', '[[w y 1] [r x 1]]'],
      ],
      edges: [
        ['wr', 'x', 1],
        ['wr', 'y', 1],
      ],
      not: ['read-committed'],
    });
    expect(sentences(a)).toEqual(['T2 read key "x" = 1, which T1 wrote', 'T1 read key "y" = 1, which T2 wrote']);
  });

  it('G-single-item: T1 read x = nil (before T2) and y = 1 (after T2)', () => {
    const v = check(H(concurrent([0, [R('x', null), R('y', 1)]], [1, [W('x', 1), W('y', 1)]])));
    expect(v).toMatchObject({ valid: false, stats: { not: ['consistent-view', 'repeatable-read'] } });
    expect(kinds(v)).toEqual(['G-single-item']);
    const a = expectCycle(v, 'G-single-item', {
      ops: [2, 3],
      txns: [
        [0, 'ok', '[[r x nil] [r y 1]]'],
        [1, 'ok', '[[w x 1] [w y 1]]'],
      ],
      edges: [
        ['rw', 'x', 1],
        ['wr', 'y', 1],
      ],
      not: ['consistent-view', 'repeatable-read'],
    });
    expect(sentences(a)[0]).toBe('T1 read key "x" = nil and T2 wrote 1, a later version (nil, the initial state, precedes every version), so T1 precedes T2');
  });

  it('G2-item (write skew): both read x and y nil, each wrote one', () => {
    const ops = H(concurrent([0, [R('x', null), R('y', null), W('x', 1)]], [1, [R('x', null), R('y', null), W('y', 1)]]));
    const v = check(ops);
    expect(v).toMatchObject({
      valid: false,
      stats: { not: ['repeatable-read'], alsoNot: ['serializable', 'strong-serializable', 'strong-session-serializable'] },
    });
    expect(kinds(v)).toEqual(['G2-item']);
    expectCycle(v, 'G2-item', {
      ops: [2, 3],
      txns: [
        [0, 'ok', '[[r x nil] [r y nil] [w x 1]]'],
        [1, 'ok', '[[r x nil] [r y nil] [w y 1]]'],
      ],
      edges: [
        ['rw', 'y', 1],
        ['rw', 'x', 1],
      ],
      not: ['repeatable-read'],
    });
    expect(check(ops, { consistency: ['snapshot-isolation'] })).toMatchObject({ valid: true, anomalies: [] });
  });

  it('G2-item beyond nil needs --wfr-keys: both read x = 1 and y = 1, then each wrote one', () => {
    const ops = H(T(0, [W('x', 1), W('y', 1)]), concurrent([1, [R('x', 1), R('y', 1), W('x', 2)]], [2, [R('x', 1), R('y', 1), W('y', 2)]]));
    expect(check(ops)).toMatchObject({ valid: true, anomalies: [] });
    const v = check(ops, { wfrKeys: true });
    expect(kinds(v)).toEqual(['G2-item']);
    expectCycle(v, 'G2-item', {
      ops: [4, 5],
      txns: [
        [1, 'ok', '[[r x 1] [r y 1] [w x 2]]'],
        [2, 'ok', '[[r x 1] [r y 1] [w y 2]]'],
      ],
      edges: [
        ['rw', 'y', 2],
        ['rw', 'x', 2],
      ],
      not: ['repeatable-read'],
    });
  });
});

describe('rw-register anomalies that need no cycle', () => {
  it('lost-update: both read x = nil and wrote it (a G2-item too)', () => {
    const v = check(H(concurrent([0, [R('x', null), W('x', 1)]], [1, [R('x', null), W('x', 2)]])));
    expect(v).toMatchObject({ valid: false, stats: { not: ['cursor-stability', 'update-atomic'] } });
    expect(kinds(v)).toEqual(['lost-update', 'G2-item']);
    expect(only(v, 'lost-update')).toEqual({
      kind: 'lost-update',
      ops: [2, 3],
      explanation:
        'The committed transactions at indices 2, 3 all read key "x" = nil and then wrote it, so each overwrote a version the others had already updated.',
      data: { key: 'x', value: null },
    });
    expectCycle(v, 'G2-item', {
      ops: [2, 3],
      txns: [
        [0, 'ok', '[[r x nil] [w x 1]]'],
        [1, 'ok', '[[r x nil] [w x 2]]'],
      ],
      edges: [
        ['rw', 'x', 2],
        ['rw', 'x', 1],
      ],
      not: ['repeatable-read'],
    });
  });

  it('G1a: a read of a value whose writer failed', () => {
    const v = check(H(T(0, [W('y', 1)]), T(1, [W('x', 1)], 'fail'), T(2, [R('x', 1), R('y', 1)])));
    expect(v).toMatchObject({ valid: false, stats: { not: ['read-committed'] } });
    expect(kinds(v)).toEqual(['G1a']);
    expect(only(v, 'G1a')).toEqual({
      kind: 'G1a',
      ops: [5, 3],
      explanation: 'The transaction at index 5 read key "x" = 1, which the transaction at index 3 wrote and then failed.',
      data: { key: 'x', value: 1 },
    });
  });

  it('G1b: a read of a value its writer overwrote in the same transaction', () => {
    const v = check(H(T(0, [W('x', 1), W('x', 2)]), T(1, [R('x', 1)])));
    expect(v).toMatchObject({ valid: false, stats: { not: ['read-committed'] } });
    expect(kinds(v)).toEqual(['G1b']);
    expect(only(v, 'G1b')).toEqual({
      kind: 'G1b',
      ops: [3, 1],
      explanation: 'The transaction at index 3 read key "x" = 1, which the transaction at index 1 wrote and then overwrote: an intermediate state.',
      data: { key: 'x', value: 1 },
    });
  });

  it('internal: a transaction wrote x = 1 and then read nil', () => {
    const v = check(H(T(0, [W('y', 1)]), T(1, [W('x', 1), R('x', null), R('y', 1)])));
    expect(v).toMatchObject({ valid: false, stats: { not: ['read-atomic'] } });
    expect(kinds(v)).toEqual(['internal']);
    expect(only(v, 'internal')).toEqual({
      kind: 'internal',
      ops: [3],
      explanation: 'The transaction at index 3 read key "x" = nil, but its own earlier micro-ops there left it 1.',
      data: { key: 'x', value: null, expected: 1 },
    });
  });

  it('cyclic-versions: under --wfr-keys x went 1 -> 2 (T1) and 2 -> 1 (T2); the G1c stays', () => {
    const ops = H(concurrent([0, [R('x', 1), W('x', 2)]], [1, [R('x', 2), W('x', 1)]]));
    const v = check(ops, { wfrKeys: true });
    expect(v).toMatchObject({ valid: false, stats: { not: ['read-uncommitted'] } });
    expect(kinds(v)).toEqual(['cyclic-versions', 'G1c']);
    expect(only(v, 'cyclic-versions')).toEqual({
      kind: 'cyclic-versions',
      ops: [2, 3],
      explanation:
        'The versions 2, 1 of key "x" form a cycle in the version order inferred from initial-state, wfr-keys, so no single order of its writes fits; wfr-keys was left out.',
      data: { key: 'x', scc: [2, 1], sources: ['initial-state', 'wfr-keys'] },
    });
    expect(kinds(check(ops))).toEqual(['G1c']);
  });
});

describe('rw-register histories that must stay valid', () => {
  it('a read of nil before a concurrent write', () => {
    expect(check(H(concurrent([0, [R('x', null)]], [1, [W('x', 1)]])))).toMatchObject({ valid: true, anomalies: [] });
  });

  it('a read of a value nobody wrote: an initial state Elle does not know, not an anomaly', () => {
    // Process 0 wrote 2, read 3 (nobody wrote it), then read 2 (the fixture rw-register.edn, by hand).
    const ops = H(T(0, [W('x', 2)]), T(0, [R('x', 3)]), T(0, [R('x', 2)]));
    expect(check(ops)).toMatchObject({ valid: true, anomalies: [] });
    expect(check(ops, { wfrKeys: true })).toMatchObject({ valid: true, anomalies: [] });
    // But one process saw 2, then 3, then 2 again: no sequential (let alone linearizable) order of x's versions.
    for (const [txn, source] of [
      [{ sequentialKeys: true }, 'sequential-keys'],
      [{ linearizableKeys: true }, 'linearizable-keys'],
    ] as const) {
      const v = check(ops, txn);
      expect(v).toMatchObject({ valid: false, stats: { not: ['read-uncommitted'] } });
      expect(kinds(v)).toEqual(['cyclic-versions']);
      expect(only(v, 'cyclic-versions')).toMatchObject({ ops: [1, 3], data: { key: 'x', scc: [3, 2], sources: ['initial-state', source] } });
    }
  });

  it("Elle's rw-register conformance history is valid under strict-serializable", async () => {
    const h = await loadHistory(join(import.meta.dirname, '..', '..', 'fixtures', 'conformance', 'elle', 'rw-register.edn'));
    expect(check(h.ops, { consistency: ['strict-serializable'] })).toMatchObject({ valid: true, anomalies: [] });
  });

  it('concurrent writers seen in one order by a process, under every assumption', () => {
    const ops = H(I(0, [W('x', 1)]), I(1, [W('x', 2)]), T(2, [R('x', 1)]), T(2, [R('x', 2)]), C(0, [W('x', 1)]), C(1, [W('x', 2)]));
    expect(check(ops, { wfrKeys: true, sequentialKeys: true, linearizableKeys: true })).toMatchObject({ valid: true, anomalies: [] });
  });
});

describe('histories that do not fit the checker', () => {
  // Checker bug: txns.ts throws TxnShapeError, which is no CheckerInputError, so `check` reports a
  // crash (unknown, exit 2, "a faultline bug") instead of "this history does not fit" (exit 64), as
  // CheckerInputError's own doc asks for these very cases (register ops given to list-append, a value
  // appended twice to one key).
  it('list-append micro-ops given to rw-register throw CheckerInputError', () => {
    expect(() => check(H(T(0, [A('x', 1)])))).toThrow(CheckerInputError);
  });

  it('a value written twice to one key throws CheckerInputError', () => {
    expect(() => check(H(T(0, [W('x', 1)]), T(1, [W('x', 1)])))).toThrow(CheckerInputError);
  });

  it('(they do throw, naming the op and the problem)', () => {
    expect(() => check(H(T(0, [A('x', 1)])))).toThrow(/op 1's micro-op \["append","x",1\] is neither w nor r, as rw-register needs/);
    expect(() => check(H(T(0, [W('x', 1)]), T(1, [W('x', 1)])))).toThrow(/op 3 writes 1 to key "x" and op 1 did too, but values must be unique per key/);
  });
});
