import { describe, expect, it } from 'vitest';
import { makeMultiRegister, multiRegister as mr } from '../../../src/checkers/linearizability/models/multi-register.js';
import { irrelevant, keyAfter, legal, op, run, type Row } from './support.js';

const txn = (...micro: unknown[][]): Row => ['txn', micro];
const info = (...micro: unknown[][]): Row => ['txn', micro, 'info'];

describe('multi-register model', () => {
  it('applies micro-ops in order within a txn', () => {
    expect(legal(mr, [txn(['write', 'x', 1], ['read', 'x', 1])])).toBe(true);
    expect(legal(mr, [txn(['write', 'x', 1], ['write', 'x', 2], ['read', 'x', 1])])).toBe(false);
    expect(legal(mr, [txn(['w', 'x', 1], ['w', 'y', 2]), txn(['r', 'y', 2], ['r', 'x', 1])])).toBe(true);
    expect(legal(mr, [txn(['w', 'x', 1]), txn(['r', 'x', 2])])).toBe(false);
  });

  it('starts every register unknown: the first read fixes it, later reads must agree', () => {
    expect(legal(mr, [txn(['read', 'x', 0], ['read', 'y', 0])])).toBe(true);
    expect(legal(mr, [txn(['read', 'x', 0]), txn(['read', 'x', 0])])).toBe(true);
    expect(legal(mr, [txn(['read', 'x', 0]), txn(['read', 'x', 1])])).toBe(false);
    expect(legal(mr, [txn(['read', 'x', 0], ['read', 'x', 1])])).toBe(false);
  });

  it('with an explicit initial map, absent registers are nil (Knossos)', () => {
    const knossos = makeMultiRegister({ x: 0, y: 0 });
    expect(legal(knossos, [txn(['read', 'x', 0], ['read', 'y', 0])])).toBe(true);
    expect(legal(knossos, [txn(['read', 'x', 1])])).toBe(false);
    expect(legal(knossos, [txn(['read', 'z', 1])])).toBe(false);
    expect(legal(knossos, [txn(['write', 'z', 1], ['read', 'z', 1])])).toBe(true);
    expect(knossos.describe(knossos.init())).toBe('x=0 y=0');
    expect(makeMultiRegister({}).describe(makeMultiRegister({}).init())).toBe('all nil');
  });

  it('keeps names by value: number 1 and string "1" are different registers', () => {
    expect(legal(mr, [txn(['w', 1, 'a'], ['w', '1', 'b'], ['r', 1, 'a'], ['r', '1', 'b'])])).toBe(true);
    expect(keyAfter(mr, [txn(['w', 1, 'a'])])).not.toBe(keyAfter(mr, [txn(['w', '1', 'a'])]));
  });

  it('lets nil reads constrain nothing; a txn of only those is irrelevant', () => {
    expect(irrelevant(mr, txn(['read', 'x', null], ['read', 'y', null]))).toBe(true);
    expect(irrelevant(mr, txn(['read', 'x', null], ['read', 'y', 1]))).toBe(false);
    expect(irrelevant(mr, txn(['read', 'x', null], ['write', 'y', 1]))).toBe(false);
    expect(legal(mr, [txn(['w', 'x', 1]), txn(['r', 'x', null], ['r', 'x', 1])])).toBe(true);
    expect(keyAfter(mr, [txn(['r', 'x', null])])).toBe(mr.key(mr.init()));
  });

  it('applies the writes of an info txn and ignores its reads (their values are not results)', () => {
    expect(irrelevant(mr, info(['read', 'x', 3]))).toBe(true);
    expect(irrelevant(mr, info(['read', 'x', null], ['write', 'y', 2]))).toBe(false);
    expect(legal(mr, [txn(['w', 'x', 1]), info(['r', 'x', 5], ['w', 'y', 2]), txn(['r', 'y', 2], ['r', 'x', 1])])).toBe(true);
  });

  it('gives equal states equal keys, whatever the order they were built in', () => {
    const a = keyAfter(mr, [txn(['w', 'x', 1], ['w', 'y', 2])]);
    const b = keyAfter(mr, [txn(['w', 'y', 5]), txn(['w', 'y', 2]), txn(['r', 'x', 1])]);
    expect(a).toBe(b);
    expect(keyAfter(mr, [txn(['w', 'x', { a: [1] }])])).toBe(keyAfter(mr, [txn(['r', 'x', { a: [1] }])]));
    expect(keyAfter(mr, [txn(['w', 'x', null])])).not.toBe(mr.key(mr.init()));
  });

  it('describes states and ops', () => {
    expect(mr.describe(mr.init())).toBe('all unknown');
    expect(mr.describe(run(mr, [txn(['w', 'y', null], ['w', 'x', 1])])!)).toBe('x=1 y=nil');
    expect(mr.describeOp(op(mr, txn(['read', 'x', 1], ['write', 'y', 2])))).toBe('txn [r x 1, w y 2]');
    expect(mr.describeOp({ f: 'txn', value: [['r', 'x', null]], info: false })).toBe('txn [r x nil]');
  });

  it('validates f and micro-ops; knows the plain shape; is not partitionable', () => {
    expect(mr.validate!({ f: 'read', value: 1, info: false })).toMatch(/no operation 'read'.*txn/);
    expect(mr.validate!({ f: 'txn', value: 3, info: false })).toMatch(/list of \[read\|write, name, value\] micro-ops, got 3/);
    expect(
      mr.validate!({
        f: 'txn',
        value: [
          ['r', 'x', 1],
          ['append', 'x', 2],
        ],
        info: false,
      }),
    ).toMatch(/micro-op 2/);
    expect(mr.validate!({ f: 'txn', value: [['r', ['x'], 1]], info: false })).toMatch(/micro-op 1/);
    expect(
      mr.validate!({
        f: 'txn',
        value: [
          ['r', 'x', 1],
          ['w', 0, 2],
        ],
        info: false,
      }),
    ).toBeUndefined();
    expect(
      mr.shape('txn', [
        ['read', 'x', null],
        ['write', 'y', 2],
      ]),
    ).toBe(true);
    expect(mr.shape('txn', ['k', [['read', 'x', null]]])).toBe(false);
    expect(
      mr.shape(
        'txn',
        [
          ['read', 'x', null],
          ['write', 'y', 2],
        ][1],
      ),
    ).toBe(false);
    expect(mr.partitionable).toBe(false);
  });
});
