// What fail and info transactions mean to the transactional checkers (a failed transaction did not
// happen; an info one may have, at any time after its invocation; one that never completed is info),
// and valid concurrent histories a naive checker might flag: overlapping transactions whose order is
// free. A false alarm costs as much as a missed anomaly.
import { describe, expect, it } from 'vitest';
import { checkListAppend, checkRwRegister } from '../../../src/checkers/txn/index.js';
import type { TxnCheckOptions } from '../../../src/checkers/types.js';
import type { Op } from '../../../src/history/op.js';
import { A, C, concurrent, expectCycle, H, I, kinds, only, R, T, W } from './hand-support.js';

const la = (ops: Op[], txn?: TxnCheckOptions) => checkListAppend(ops, txn ? { txn } : {});
const rw = (ops: Op[], txn?: TxnCheckOptions) => checkRwRegister(ops, txn ? { txn } : {});
const VALID = { valid: true, anomalies: [], stats: { not: [], alsoNot: [] } };

describe('fail: the transaction did not happen', () => {
  it('a failed append read by a committed transaction is G1a (list-append and rw-register)', () => {
    const v = la(H(T(0, [A('x', 1)], 'fail'), T(1, [A('x', 2)]), T(2, [R('x', [2]), R('x', [2, 1])])));
    expect(v.valid).toBe(false);
    expect(only(v, 'G1a')).toMatchObject({ ops: [5, 1], data: { key: 'x', element: 1, value: [2, 1] } });
    const r = rw(H(T(0, [W('x', 1)], 'fail'), T(1, [W('y', 1)]), T(2, [R('x', 1), R('y', 1)])));
    expect(kinds(r)).toEqual(['G1a']);
    expect(only(r, 'G1a').ops).toEqual([5, 1]);
  });

  it('a failed append nobody saw is fine, and orders nothing: the next append may come first', () => {
    const ops = H(T(0, [A('x', 1)], 'fail'), T(1, [R('x', [])]), T(2, [A('x', 2)]), T(1, [R('x', [2])]));
    expect(la(ops)).toMatchObject(VALID);
  });

  it('a failed transaction reading nothing sensible is ignored (its reads were never returned)', () => {
    const ops = H(T(0, [A('x', 1)]), [1, 'invoke', 'txn', [R('x', null)]], [1, 'fail', 'txn', [R('x', [7, 7])]], T(2, [R('x', [1])]));
    expect(la(ops)).toMatchObject(VALID);
  });
});

describe('info: the transaction may or may not have happened', () => {
  it('its append visible to a later reader: valid', () => {
    expect(la(H(T(0, [A('x', 1)], 'info'), T(1, [R('x', [1])])))).toMatchObject(VALID);
  });

  it('its append invisible to a later reader: valid', () => {
    expect(la(H(T(0, [A('x', 1)], 'info'), T(1, [R('x', [])])))).toMatchObject(VALID);
  });

  it('invisible, then visible: it took effect after the first read, though it "completed" before it', () => {
    const ops = H(T(0, [A('x', 1)], 'info'), T(1, [R('x', [])]), T(2, [A('x', 2)]), T(1, [R('x', [2, 1])]));
    expect(la(ops)).toMatchObject(VALID);
  });

  it('its reads are unknown: an info read of y says nothing about when it ran (Elle\'s "info reads")', () => {
    // T1 (info) appended x 2 after T2's x 1, so T2 < T1; its read of y returned nothing, so no T1 < T2.
    const ops = H(T(0, [A('x', 2), R('y', null)], 'info'), T(1, [A('x', 1), A('y', 1)]), T(2, [R('x', [1, 2]), R('y', [1])]));
    expect(la(ops)).toMatchObject(VALID);
  });

  it('an invocation that never completed, read by others: valid; its append still orders', () => {
    expect(la(H(I(0, [A('x', 1)]), T(1, [R('x', [1])])))).toMatchObject(VALID);
    expect(la(H(I(0, [A('x', 1)]), T(1, [R('x', [])]), T(2, [R('x', [1])])))).toMatchObject(VALID);
    // It is a vertex like any other: a cycle through it is still a cycle.
    const v = la(H(I(0, [A('x', 1), A('y', 1)]), concurrent([1, [R('x', [1]), R('y', [])]])));
    expect(kinds(v)).toEqual(['G-single-item']);
    expectCycle(v, 'G-single-item', {
      ops: [2, 0],
      txns: [
        [1, 'ok', '[[r x [1]] [r y []]]'],
        [0, 'info', '[[append x 1] [append y 1]]'],
      ],
      edges: [
        ['rw', 'y', 1],
        ['wr', 'x', 1],
      ],
      not: ['consistent-view', 'repeatable-read'],
    });
  });

  it('rw-register: a value an info transaction wrote may be read, or not', () => {
    expect(rw(H(T(0, [W('x', 1)], 'info'), T(1, [R('x', 1)])))).toMatchObject(VALID);
    expect(rw(H(T(0, [W('x', 1)], 'info'), T(1, [R('x', null)])))).toMatchObject(VALID);
    expect(rw(H(I(0, [W('x', 1)]), T(1, [R('x', 1)]))), 'never completed').toMatchObject(VALID);
  });

  it('an info transaction is never realtime-before anything: its late effect is no stale read', () => {
    const ops = H(T(0, [A('x', 1)], 'info'), T(1, [R('x', [])]), T(1, [R('x', [1])]));
    expect(la(ops)).toMatchObject(VALID);
    // Whereas had it completed ok, the read of [] after it would be a stale read.
    const okOps = H(T(0, [A('x', 1)]), T(1, [R('x', [])]), T(1, [R('x', [1])]));
    expect(kinds(la(okOps))).toEqual(['G-single-item-realtime']);
  });
});

describe('valid concurrent histories stay valid under strict-serializable', () => {
  it('two overlapping appenders applied in the order opposite to their invocations, seen mid-way and at the end', () => {
    const ops = H(I(0, [A('x', 1)]), I(1, [A('x', 2)]), T(2, [R('x', [2])]), C(0, [A('x', 1)]), C(1, [A('x', 2)]), T(3, [R('x', [2, 1])]));
    expect(la(ops)).toMatchObject(VALID);
  });

  it('a reader sees the writes of a transaction still running (it took effect before the read)', () => {
    const w = [A('x', 1), A('y', 1)];
    const ops = H(I(0, w), T(1, [R('x', [1]), R('y', [1])]), C(0, w), T(2, [R('y', [1]), R('x', [1])]));
    expect(la(ops)).toMatchObject(VALID);
  });

  it('a snapshot reader overlapping a writer sees neither of its appends, a later reader sees both', () => {
    const ops = H(I(0, [R('x', null), R('y', null)]), T(1, [A('x', 1), A('y', 1)]), C(0, [R('x', []), R('y', [])]), T(2, [R('x', [1]), R('y', [1])]));
    expect(la(ops)).toMatchObject(VALID);
  });

  it('rw rw wr rw wr is no G-nonadjacent (two anti-dependencies are adjacent): valid under snapshot isolation', () => {
    // T1 -rw(a)-> T2 -rw(b)-> T3 -wr(c)-> T4 -rw(d)-> T5 -wr(e)-> T1, all concurrent. Snapshot isolation
    // allows it (Elle's G-nonadjacent test makes the same point); serializable forbids it: a G2-item.
    const ops = H(
      concurrent(
        [1, [R('a', []), R('e', [1])]],
        [2, [A('a', 1), R('b', [])]],
        [3, [A('b', 1), A('c', 1)]],
        [4, [R('c', [1]), R('d', [])]],
        [5, [A('d', 1), A('e', 1)]],
      ),
    );
    expect(la(ops, { consistency: ['snapshot-isolation'] })).toMatchObject({ valid: true, anomalies: [] });
    const ser = la(ops, { consistency: ['serializable'] });
    expect(kinds(ser)).toEqual(['G2-item']);
    expectCycle(ser, 'G2-item', {
      ops: [6, 7, 8, 9, 5],
      txns: [
        [2, 'ok', '[[append a 1] [r b []]]'],
        [3, 'ok', '[[append b 1] [append c 1]]'],
        [4, 'ok', '[[r c [1]] [r d []]]'],
        [5, 'ok', '[[append d 1] [append e 1]]'],
        [1, 'ok', '[[r a []] [r e [1]]]'],
      ],
      edges: [
        ['rw', 'b', 1],
        ['wr', 'c', 1],
        ['rw', 'd', 1],
        ['wr', 'e', 1],
        ['rw', 'a', 1],
      ],
      not: ['repeatable-read'],
    });
  });

  it('rw-register: blind writers racing, each reader consistent with one order, under every key assumption', () => {
    const ops = H(
      I(0, [W('x', 1), W('y', 1)]),
      I(1, [W('x', 2), W('y', 2)]),
      T(2, [R('x', 1), R('y', 1)]),
      C(0, [W('x', 1), W('y', 1)]),
      C(1, [W('x', 2), W('y', 2)]),
      T(3, [R('y', 2), R('x', 2)]),
    );
    expect(rw(ops, { wfrKeys: true, sequentialKeys: true, linearizableKeys: true })).toMatchObject(VALID);
  });
});
