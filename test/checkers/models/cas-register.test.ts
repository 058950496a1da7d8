import { describe, expect, it } from 'vitest';
import { casRegister as cas } from '../../../src/checkers/linearizability/models/cas-register.js';
import { irrelevant, keyAfter, legal, op, run } from './support.js';

describe('cas-register model', () => {
  it('cas needs the register to hold from, then holds to', () => {
    expect(
      legal(cas, [
        ['write', 1],
        ['cas', [1, 2]],
        ['read', 2],
      ]),
    ).toBe(true);
    expect(
      legal(cas, [
        ['write', 1],
        ['cas', [2, 3]],
      ]),
    ).toBe(false);
    expect(
      legal(cas, [
        ['cas', [null, 1]],
        ['read', 1],
      ]),
    ).toBe(true);
    expect(legal(cas, [['cas', [0, 1]]])).toBe(false);
    expect(
      legal(cas, [
        ['write', [1, 2]],
        ['cas', [[1, 2], 'a']],
        ['read', 'a'],
      ]),
    ).toBe(true);
  });

  it('reads follow writes and cas by value', () => {
    expect(
      legal(cas, [
        ['write', 'a'],
        ['read', 'a'],
      ]),
    ).toBe(true);
    expect(
      legal(cas, [
        ['write', 'a'],
        ['read', 'b'],
      ]),
    ).toBe(false);
  });

  it('lets a read of nil constrain nothing (the Knossos rule) and ignores info reads', () => {
    expect(irrelevant(cas, ['read', null])).toBe(true);
    expect(irrelevant(cas, ['read', 4, 'info'])).toBe(true);
    expect(irrelevant(cas, ['cas', [null, 1]])).toBe(false);
    expect(
      legal(cas, [
        ['write', 1],
        ['read', null],
      ]),
    ).toBe(true);
  });

  it('applies an info cas only where it can take effect', () => {
    expect(
      legal(cas, [
        ['write', 1],
        ['cas', [1, 5], 'info'],
        ['read', 5],
      ]),
    ).toBe(true);
    expect(
      run(cas, [
        ['write', 1],
        ['cas', [2, 5], 'info'],
      ]),
    ).toBeUndefined();
    expect(
      legal(cas, [
        ['write', 9, 'info'],
        ['read', 9],
      ]),
    ).toBe(true);
  });

  it('gives equal states equal keys', () => {
    expect(
      keyAfter(cas, [
        ['write', 1],
        ['cas', [1, 2]],
      ]),
    ).toBe(keyAfter(cas, [['write', 2]]));
    expect(keyAfter(cas, [['cas', [null, 0]]])).not.toBe(keyAfter(cas, [['cas', [null, '0']]]));
  });

  it('describes states and ops', () => {
    expect(cas.describe(cas.init())).toBe('nil');
    expect(cas.describeOp(op(cas, ['cas', [1, 2]]))).toBe('cas 1->2');
    expect(cas.describeOp(op(cas, ['cas', [null, 'a']]))).toBe('cas nil->a');
    expect(cas.describeOp(op(cas, ['read', 3]))).toBe('read 3');
  });

  it('validates f and the cas value; knows the plain shape', () => {
    expect(cas.validate!({ f: 'cas', value: 3, info: false })).toBe('cas value must be [from, to], got 3');
    expect(cas.validate!({ f: 'cas', value: [1, 2, 3], info: false })).toMatch(/must be \[from, to\]/);
    expect(cas.validate!({ f: 'add', value: 1, info: false })).toMatch(/no operation 'add'/);
    expect(cas.validate!({ f: 'cas', value: [1, 2], info: false })).toBeUndefined();
    expect(cas.shape('cas', [1, 2])).toBe(true);
    expect(cas.shape('cas', 2)).toBe(false);
    expect(cas.shape('cas', [[1, 2], 3])).toBe(false);
    expect(cas.shape('read', null)).toBe(true);
    expect(cas.shape('write', ['k', 1])).toBe(false);
  });
});
