// Hand-written list-append histories, one per anomaly kind, through checkListAppend end to end: the
// smallest history that shows the kind, with the exact cycle (or witness), the models it rules out,
// and the verdict. Histories are built by hand-support.ts; indices are positions in the history.
import { describe, expect, it } from 'vitest';
import { checkListAppend } from '../../../src/checkers/txn/index.js';
import type { TxnCheckOptions } from '../../../src/checkers/types.js';
import type { Op } from '../../../src/history/op.js';
import { A, concurrent, expectCycle, H, kinds, only, R, sentences, T } from './hand-support.js';

const check = (ops: Op[], txn?: TxnCheckOptions) => checkListAppend(ops, txn ? { txn } : {});

/** Every model read-uncommitted's anomalies rule out besides itself (G0, duplicate-elements, garbage-read). */
const NOT_RU_ALSO = [
  'causal-cerone',
  'consistent-view',
  'cursor-stability',
  'forward-consistent-view',
  'monotonic-atomic-view',
  'monotonic-snapshot-read',
  'monotonic-view',
  'parallel-snapshot-isolation',
  'prefix',
  'read-atomic',
  'read-committed',
  'repeatable-read',
  'serializable',
  'snapshot-isolation',
  'strong-read-committed',
  'strong-read-uncommitted',
  'strong-serializable',
  'strong-session-read-committed',
  'strong-session-read-uncommitted',
  'strong-session-serializable',
  'strong-session-snapshot-isolation',
  'strong-snapshot-isolation',
  'update-atomic',
  'update-serializable',
];
/** The same for read-committed's (G1a, G1b, G1c, dirty-update, ...). */
const NOT_RC_ALSO = NOT_RU_ALSO.filter((m) => !['read-committed', 'strong-read-uncommitted', 'strong-session-read-uncommitted'].includes(m));

describe('list-append cycles, each found with its exact cycle', () => {
  it('G0: x was appended 1 (T1) then 2 (T2), y 1 (T2) then 2 (T1): a write cycle, not read-uncommitted', () => {
    const t1 = [A('x', 1), A('y', 2)];
    const t2 = [A('x', 2), A('y', 1)];
    const ops = H(concurrent([0, t1], [1, t2]), T(2, [R('x', [1, 2]), R('y', [1, 2])]));
    const v = check(ops);
    expect(v.valid).toBe(false);
    expect(kinds(v)).toEqual(['G0']);
    const a = expectCycle(v, 'G0', {
      ops: [2, 3],
      txns: [
        [0, 'ok', '[[append x 1] [append y 2]]'],
        [1, 'ok', '[[append x 2] [append y 1]]'],
      ],
      edges: [
        ['ww', 'x', 2],
        ['ww', 'y', 2],
      ],
      not: ['read-uncommitted'],
    });
    expect(sentences(a)).toEqual([
      'T2 appended 2 after T1 appended 1 to key "x" (key "x" was read as [1 2])',
      'T1 appended 2 after T2 appended 1 to key "y" (key "y" was read as [1 2])',
    ]);
    expect(v.stats).toMatchObject({ not: ['read-uncommitted'], alsoNot: NOT_RU_ALSO });
  });

  it('G1c: each of two concurrent transactions read the other one append: circular information flow, not read-committed', () => {
    const t1 = [A('x', 1), R('y', [1])];
    const t2 = [A('y', 1), R('x', [1])];
    const v = check(H(concurrent([0, t1], [1, t2])));
    expect(v.valid).toBe(false);
    expect(kinds(v)).toEqual(['G1c']);
    const a = expectCycle(v, 'G1c', {
      ops: [2, 3],
      txns: [
        [0, 'ok', '[[append x 1] [r y [1]]]'],
        [1, 'ok', '[[append y 1] [r x [1]]]'],
      ],
      edges: [
        ['wr', 'x', 1],
        ['wr', 'y', 1],
      ],
      not: ['read-committed'],
    });
    expect(sentences(a)).toEqual(['T2 read key "x" = [1], the last element T1 appended', 'T1 read key "y" = [1], the last element T2 appended']);
    expect(v.stats).toMatchObject({ not: ['read-committed'], alsoNot: NOT_RC_ALSO });
  });

  it('G-single-item (read skew): T1 read x before T2 appended to it, y after: one anti-dependency, not consistent-view nor repeatable-read', () => {
    const t1 = [R('x', []), R('y', [1])];
    const t2 = [A('x', 1), A('y', 1)];
    const v = check(H(concurrent([1, t2], [0, t1])));
    expect(v.valid).toBe(false);
    expect(kinds(v)).toEqual(['G-single-item']);
    const a = expectCycle(v, 'G-single-item', {
      ops: [3, 2],
      txns: [
        [0, 'ok', '[[r x []] [r y [1]]]'],
        [1, 'ok', '[[append x 1] [append y 1]]'],
      ],
      edges: [
        ['rw', 'x', 1],
        ['wr', 'y', 1],
      ],
      not: ['consistent-view', 'repeatable-read'],
    });
    expect(sentences(a)).toEqual([
      'T1 read key "x" = [] without 1, which T2 appended after every element any read saw, so T1 precedes T2',
      'T1 read key "y" = [1], the last element T2 appended',
    ]);
    expect(v.stats).toMatchObject({
      not: ['consistent-view', 'repeatable-read'],
      alsoNot: [
        'forward-consistent-view',
        'serializable',
        'snapshot-isolation',
        'strong-serializable',
        'strong-session-serializable',
        'strong-session-snapshot-isolation',
        'strong-snapshot-isolation',
        'update-serializable',
      ],
    });
  });

  it('G-nonadjacent-item: rw wr rw wr over four keys, no two anti-dependencies adjacent: not repeatable-read nor snapshot-isolation', () => {
    const t1 = [R('x', []), R('w', [1])];
    const t2 = [A('x', 1), A('z', 1)];
    const t3 = [R('z', [1]), R('y', [])];
    const t4 = [A('y', 1), A('w', 1)];
    const v = check(H(concurrent([0, t1], [1, t2], [2, t3], [3, t4])));
    expect(v.valid).toBe(false);
    expect(kinds(v)).toEqual(['G-nonadjacent-item']);
    expectCycle(v, 'G-nonadjacent-item', {
      ops: [4, 5, 6, 7],
      txns: [
        [0, 'ok', '[[r x []] [r w [1]]]'],
        [1, 'ok', '[[append x 1] [append z 1]]'],
        [2, 'ok', '[[r z [1]] [r y []]]'],
        [3, 'ok', '[[append y 1] [append w 1]]'],
      ],
      edges: [
        ['rw', 'x', 1],
        ['wr', 'z', 1],
        ['rw', 'y', 1],
        ['wr', 'w', 1],
      ],
      not: ['repeatable-read', 'snapshot-isolation'],
    });
    expect(v.stats).toMatchObject({
      not: ['repeatable-read', 'snapshot-isolation'],
      alsoNot: ['serializable', 'strong-serializable', 'strong-session-serializable', 'strong-session-snapshot-isolation', 'strong-snapshot-isolation'],
    });
    // Snapshot isolation forbids it; read-committed does not.
    expect(check(ops4(), { consistency: ['snapshot-isolation'] }).valid).toBe(false);
    expect(check(ops4(), { consistency: ['read-committed'] })).toMatchObject({ valid: true, anomalies: [], stats: { unreported: ['G-nonadjacent-item'] } });
    function ops4() {
      return H(concurrent([0, t1], [1, t2], [2, t3], [3, t4]));
    }
  });

  it('G2-item (write skew): both read x and y empty, each appended to one: two adjacent anti-dependencies, not repeatable-read', () => {
    const t1 = [R('x', []), R('y', []), A('x', 1)];
    const t2 = [R('x', []), R('y', []), A('y', 1)];
    const ops = H(concurrent([0, t1], [1, t2]));
    const v = check(ops);
    expect(v.valid).toBe(false);
    expect(kinds(v)).toEqual(['G2-item']);
    const a = expectCycle(v, 'G2-item', {
      ops: [2, 3],
      txns: [
        [0, 'ok', '[[r x []] [r y []] [append x 1]]'],
        [1, 'ok', '[[r x []] [r y []] [append y 1]]'],
      ],
      edges: [
        ['rw', 'y', 1],
        ['rw', 'x', 1],
      ],
      not: ['repeatable-read'],
    });
    expect(sentences(a)[1]).toBe('T2 read key "x" = [] without 1, which T1 appended after every element any read saw, so T2 precedes T1');
    expect(v.stats).toMatchObject({ not: ['repeatable-read'], alsoNot: ['serializable', 'strong-serializable', 'strong-session-serializable'] });
    // Snapshot isolation allows write skew; serializable does not.
    expect(check(ops, { consistency: ['snapshot-isolation'] })).toMatchObject({ valid: true, anomalies: [] });
    expect(check(ops, { consistency: ['serializable'] }).valid).toBe(false);
  });

  describe('process and realtime variants', () => {
    // p0 runs T2 (reads x = [1]) then T3 (appends y 1); T1 on p1 spans both, reads y = [1] and appends x 1.
    // T1 -wr-> T2 -process-> T3 -wr-> T1. Without process order there is no cycle.
    const t1 = [R('y', [1]), A('x', 1)];
    const t2 = [R('x', [1])];
    const t3 = [A('y', 1)];
    const ops = H(
      [
        [1, 'invoke', 'txn', [R('y', null), A('x', 1)]],
        [0, 'invoke', 'txn', [R('x', null)]],
      ],
      [0, 'ok', 'txn', t2],
      T(0, t3),
      [1, 'ok', 'txn', t1],
    );
    const want = {
      ops: [5, 2, 4],
      txns: [
        [1, 'ok', '[[r y [1]] [append x 1]]'],
        [0, 'ok', '[[r x [1]]]'],
        [0, 'ok', '[[append y 1]]'],
      ] as [number, 'ok', string][],
    };

    it('G1c-process under strong-session-serializable: wr, process order, wr', () => {
      const v = check(ops, { consistency: ['strong-session-serializable'] });
      expect(v.valid).toBe(false);
      expect(kinds(v)).toEqual(['G1c-process']);
      const a = expectCycle(v, 'G1c-process', {
        ...want,
        edges: [['wr', 'x', 1], ['process'], ['wr', 'y', 1]],
        not: ['strong-session-read-committed'],
      });
      expect(sentences(a)[1]).toBe('T2 completed before T3 on process 0');
      expect(v.stats).toMatchObject({
        not: ['strong-session-read-committed'],
        alsoNot: [
          'strong-read-committed',
          'strong-serializable',
          'strong-session-serializable',
          'strong-session-snapshot-isolation',
          'strong-snapshot-isolation',
        ],
        edges: 'ww wr rw process',
      });
    });

    it('the same history is G1c-realtime under the default strict-serializable, and valid under serializable', () => {
      const v = check(ops);
      expect(v.valid).toBe(false);
      expect(kinds(v)).toEqual(['G1c-realtime']);
      const a = expectCycle(v, 'G1c-realtime', { ...want, edges: [['wr', 'x', 1], ['realtime'], ['wr', 'y', 1]], not: ['strong-read-committed'] });
      expect(sentences(a)[1]).toBe('T2 completed (index 2) before T3 began (index 3)');
      expect(v.stats).toMatchObject({ not: ['strong-read-committed'], alsoNot: ['strong-serializable', 'strong-snapshot-isolation'] });
      expect(check(ops, { consistency: ['serializable'] })).toMatchObject({ valid: true, anomalies: [], stats: { not: [], alsoNot: [] } });
    });

    // A stale read: T2 began after T1's append of 1 to x completed, and read x empty.
    const stale = H(T(0, [A('x', 1)]), T(1, [R('x', [])]));

    it('G-single-item-realtime (a stale read) under the default strict-serializable: not strong-snapshot-isolation', () => {
      const v = check(stale);
      expect(v.valid).toBe(false);
      expect(kinds(v)).toEqual(['G-single-item-realtime']);
      const a = expectCycle(v, 'G-single-item-realtime', {
        ops: [3, 1],
        txns: [
          [1, 'ok', '[[r x []]]'],
          [0, 'ok', '[[append x 1]]'],
        ],
        edges: [['rw', 'x', 1], ['realtime']],
        not: ['strong-snapshot-isolation'],
      });
      expect(a.explanation.split('\n')[2]).toBe(
        'T1 < T2: T1 read key "x" = [] without 1, which T2 appended after every element any read saw, so T1 precedes T2 (rw); ' +
          'T2 < T1: T2 completed (index 1) before T1 began (index 2) (realtime): a cycle, so not strong-snapshot-isolation',
      );
      expect(v.stats).toMatchObject({ not: ['strong-snapshot-isolation'], alsoNot: ['strong-serializable'], edges: 'ww wr rw realtime' });
    });

    it('the stale read is valid under serializable (and under strong-session-serializable: two processes)', () => {
      expect(check(stale, { consistency: ['serializable'] })).toMatchObject({ valid: true, anomalies: [], stats: { not: [], alsoNot: [], edges: 'ww wr rw' } });
      expect(check(stale, { consistency: ['strong-session-serializable'] })).toMatchObject({ valid: true, anomalies: [] });
    });

    it('G1c-realtime: T1 read y = [1] from T2, which began after T1 completed', () => {
      const v = check(H(T(0, [A('x', 1), R('y', [1])]), T(1, [A('y', 1)])));
      expect(v.valid).toBe(false);
      expect(kinds(v)).toEqual(['G1c-realtime']);
      expectCycle(v, 'G1c-realtime', {
        ops: [3, 1],
        txns: [
          [1, 'ok', '[[append y 1]]'],
          [0, 'ok', '[[append x 1] [r y [1]]]'],
        ],
        edges: [['wr', 'y', 1], ['realtime']],
        not: ['strong-read-committed'],
      });
    });
  });
});

describe('list-append anomalies that need no cycle, each with its witness', () => {
  it('G1a: a read holds an element whose append failed; not read-committed', () => {
    const ops = H(T(0, [A('y', 1)]), T(1, [A('x', 1)], 'fail'), T(2, [R('x', [1]), R('y', [1])]));
    const v = check(ops);
    expect(v).toMatchObject({ valid: false, stats: { not: ['read-committed'], alsoNot: NOT_RC_ALSO } });
    expect(kinds(v)).toEqual(['G1a']);
    expect(only(v, 'G1a')).toEqual({
      kind: 'G1a',
      ops: [5, 3],
      explanation: 'The transaction at index 5 read key "x" = [1], which holds 1, appended by the transaction at index 3, which failed.',
      data: { key: 'x', element: 1, value: [1] },
    });
    // read-uncommitted allows it.
    expect(check(ops, { consistency: ['read-uncommitted'] })).toMatchObject({ valid: true, anomalies: [], stats: { unreported: ['G1a'] } });
  });

  it('G1b: a read ends in an element its appender appended before appending again (also G-single-item, as Elle finds)', () => {
    const v = check(H(T(0, [A('x', 1), A('x', 2)]), T(1, [R('x', [1])]), T(2, [R('x', [1, 2])])));
    expect(v).toMatchObject({ valid: false, stats: { not: ['read-committed'] } });
    expect(kinds(v)).toEqual(['G-single-item', 'G1b']);
    expect(only(v, 'G1b')).toEqual({
      kind: 'G1b',
      ops: [3, 1],
      explanation:
        'The transaction at index 3 read key "x" = [1], ending in 1, which the transaction at index 1 appended before appending to key "x" again: an intermediate state.',
      data: { key: 'x', element: 1, value: [1] },
    });
    expectCycle(v, 'G-single-item', {
      ops: [3, 1],
      txns: [
        [1, 'ok', '[[r x [1]]]'],
        [0, 'ok', '[[append x 1] [append x 2]]'],
      ],
      edges: [
        ['rw', 'x', 2],
        ['wr', 'x', 1],
      ],
      not: ['consistent-view', 'repeatable-read'],
    });
  });

  it('dirty-update: a committed append landed right after a failed one (and the read of the failed element is G1a)', () => {
    const v = check(H(T(0, [A('x', 1)], 'fail'), T(1, [A('x', 2)]), T(2, [R('x', [1, 2])])));
    expect(v).toMatchObject({ valid: false, stats: { not: ['read-committed'] } });
    expect(kinds(v)).toEqual(['dirty-update', 'G1a']);
    expect(only(v, 'dirty-update')).toEqual({
      kind: 'dirty-update',
      ops: [1, 3],
      explanation: 'Key "x" went [1 2]: the transaction at index 1 appended 1 and failed, yet the transaction at index 3 appended 2 after it and committed.',
      data: { key: 'x', values: [1, 2] },
    });
    expect(only(v, 'G1a').ops).toEqual([5, 1]);
  });

  it('dirty-update skips info appends in between, as Elle does', () => {
    const v = check(H(T(0, [A('x', 1)], 'fail'), T(1, [A('x', 2)], 'info'), T(2, [A('x', 3)]), T(3, [R('x', [1, 2, 3])])));
    expect(only(v, 'dirty-update')).toMatchObject({ ops: [1, 5], data: { key: 'x', values: [1, 2, 3] } });
  });

  it('internal: a transaction read x without its own earlier append; not read-atomic', () => {
    const v = check(H(T(0, [A('y', 1)]), T(1, [A('x', 1), R('x', []), R('y', [1])])));
    expect(v).toMatchObject({
      valid: false,
      stats: {
        not: ['read-atomic'],
        alsoNot: [
          'causal-cerone',
          'parallel-snapshot-isolation',
          'prefix',
          'serializable',
          'snapshot-isolation',
          'strong-serializable',
          'strong-session-serializable',
          'strong-session-snapshot-isolation',
          'strong-snapshot-isolation',
          'update-atomic',
        ],
      },
    });
    expect(kinds(v)).toEqual(['internal']);
    expect(only(v, 'internal')).toEqual({
      kind: 'internal',
      ops: [3],
      explanation: 'The transaction at index 3 read key "x" = [], but its own earlier reads and appends there imply [.. 1].',
      data: { key: 'x', value: [], expected: ['...', 1] },
    });
  });

  it('duplicate-elements: a read holds 1 twice; not read-uncommitted', () => {
    const v = check(H(T(0, [A('x', 1)]), T(1, [R('x', [1, 1])])));
    expect(v).toMatchObject({ valid: false, stats: { not: ['read-uncommitted'], alsoNot: NOT_RU_ALSO } });
    expect(kinds(v)).toEqual(['duplicate-elements']);
    expect(only(v, 'duplicate-elements')).toEqual({
      kind: 'duplicate-elements',
      ops: [3],
      explanation: 'The transaction at index 3 read key "x" = [1 1], holding 1 2 times; each element is appended once.',
      data: { key: 'x', duplicates: [[1, 2]], value: [1, 1] },
    });
  });

  it('incompatible-order: [2 1] is no prefix of [1 2]; not read-committed', () => {
    // All four concurrent, so no realtime edge adds a cycle through the contradictory read.
    const v = check(H(concurrent([0, [A('x', 1)]], [1, [A('x', 2)]], [2, [R('x', [1, 2])]], [3, [R('x', [2, 1])]])));
    expect(v).toMatchObject({ valid: false, stats: { not: ['read-committed'] } });
    expect(kinds(v)).toEqual(['incompatible-order']);
    expect(only(v, 'incompatible-order')).toEqual({
      kind: 'incompatible-order',
      ops: [7, 6],
      explanation:
        'The transaction at index 7 read key "x" = [2 1] and the one at index 6 read [1 2]; the first is not a prefix of the second, so no single order of appends explains both.',
      data: {
        key: 'x',
        values: [
          [2, 1],
          [1, 2],
        ],
      },
    });
  });

  it('lost-update: two transactions read x empty and both appended to it (a G2-item too, as in Elle)', () => {
    const t1 = [R('x', []), A('x', 1)];
    const t2 = [R('x', []), A('x', 2)];
    const v = check(H(concurrent([0, t1], [1, t2])));
    expect(v).toMatchObject({ valid: false, stats: { not: ['cursor-stability', 'update-atomic'] } });
    expect(kinds(v)).toEqual(['lost-update', 'G2-item']);
    expect(only(v, 'lost-update')).toEqual({
      kind: 'lost-update',
      ops: [2, 3],
      explanation:
        'The committed transactions at indices 2, 3 all read key "x" = [] and then appended to it, so each overwrote a version the others had already updated.',
      data: { key: 'x', value: [] },
    });
    expectCycle(v, 'G2-item', {
      ops: [2, 3],
      txns: [
        [0, 'ok', '[[r x []] [append x 1]]'],
        [1, 'ok', '[[r x []] [append x 2]]'],
      ],
      edges: [
        ['rw', 'x', 2],
        ['rw', 'x', 1],
      ],
      not: ['repeatable-read'],
    });
  });

  it('one transaction reading then appending twice is no lost update', () => {
    const v = check(H(T(0, [R('x', []), A('x', 1), A('x', 2)]), T(1, [R('x', [1, 2])])));
    expect(v).toMatchObject({ valid: true, anomalies: [] });
  });

  it('future-read: a transaction read the element it appends only later; not read-committed', () => {
    const v = check(H(T(0, [A('y', 1)]), T(1, [R('x', [1]), A('x', 1), R('y', [1])])));
    expect(v).toMatchObject({ valid: false, stats: { not: ['read-committed'] } });
    expect(kinds(v)).toEqual(['future-read']);
    expect(only(v, 'future-read')).toEqual({
      kind: 'future-read',
      ops: [3],
      explanation: 'The transaction at index 3 read key "x" holding 1 before it appended 1 itself.',
      data: { key: 'x', element: 1 },
    });
  });

  it('garbage-read: a read holds 9, which no transaction tried to append; rules out even read-uncommitted', () => {
    const ops = H(T(0, [A('x', 1)]), T(1, [R('x', [1, 9])]));
    const v = check(ops);
    expect(v).toMatchObject({ valid: false, stats: { not: ['read-uncommitted'], alsoNot: NOT_RU_ALSO } });
    expect(kinds(v)).toEqual(['garbage-read']);
    expect(only(v, 'garbage-read')).toEqual({
      kind: 'garbage-read',
      ops: [3],
      explanation: 'The transaction at index 3 read key "x" = [1 9], which holds 9, an element no transaction ever tried to append.',
      data: { key: 'x', element: 9, value: [1, 9] },
    });
    const ru = check(ops, { consistency: ['read-uncommitted'] });
    expect(ru.valid).toBe(false);
    expect(kinds(ru)).toContain('garbage-read');
  });
});

describe('an rw edge out of an incompatible read', () => {
  it('says the read disagrees with the longest one, instead of claiming the element was missing', () => {
    const ops = H(T(0, [['append', 'x', 1]]), T(0, [['append', 'x', 2]]), T(1, [['r', 'x', [1, 2]]]), T(2, [['r', 'x', [2, 1]]]));
    const v = check(ops);
    const cyc = v.anomalies.find((a) => a.kind === 'G-single-item-realtime')!;
    expect(cyc.explanation).toContain(
      'T1 read key "x" = [2 1], which disagrees with the longest read of it (incompatible-order); by the longest read, 2, which T2 ' +
        'appended, comes right after 1, the last element T1 read, so T1 precedes T2 (rw)',
    );
    expect(kinds(v)).toEqual(['incompatible-order', 'G-single-item-realtime']);
  });
});
