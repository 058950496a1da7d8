import { describe, expect, it } from 'vitest';
import { set } from '../../../src/checkers/linearizability/models/set.js';
import { irrelevant, keyAfter, legal, op, run } from './support.js';

describe('set model', () => {
  it('reads the whole set, in any order', () => {
    expect(legal(set, [['read', []]])).toBe(true);
    expect(
      legal(set, [
        ['add', 1],
        ['add', 2],
        ['read', [2, 1]],
      ]),
    ).toBe(true);
    expect(
      legal(set, [
        ['add', 1],
        ['add', 2],
        ['read', [1]],
      ]),
    ).toBe(false);
    expect(
      legal(set, [
        ['add', 1],
        ['read', [1, 2]],
      ]),
    ).toBe(false);
    expect(
      legal(set, [
        ['add', 1],
        ['add', 1],
        ['read', [1]],
      ]),
    ).toBe(true);
  });

  it('a read listing an element twice matches no set', () => {
    expect(
      legal(set, [
        ['add', 1],
        ['read', [1, 1]],
      ]),
    ).toBe(false);
  });

  it('compares elements by value', () => {
    expect(
      legal(set, [
        ['add', { a: 1, b: 2 }],
        ['add', '1'],
        ['read', ['1', { b: 2, a: 1 }]],
      ]),
    ).toBe(true);
    expect(
      legal(set, [
        ['add', 1],
        ['read', ['1']],
      ]),
    ).toBe(false);
    expect(
      legal(set, [
        ['add', 'a\nb'],
        ['read', ['a\nb']],
      ]),
    ).toBe(true);
    expect(
      legal(set, [
        ['add', 'a\nb'],
        ['read', ['a', 'b']],
      ]),
    ).toBe(false);
  });

  it('lets a read of nil and an info read constrain nothing; an info add takes effect', () => {
    expect(irrelevant(set, ['read', null])).toBe(true);
    expect(irrelevant(set, ['read', [1], 'info'])).toBe(true);
    expect(irrelevant(set, ['read', []])).toBe(false);
    expect(
      legal(set, [
        ['add', 3, 'info'],
        ['read', [3]],
      ]),
    ).toBe(true);
  });

  it('gives equal sets equal keys, whatever the order of adds', () => {
    expect(
      keyAfter(set, [
        ['add', 1],
        ['add', 2],
        ['add', 3],
      ]),
    ).toBe(
      keyAfter(set, [
        ['add', 3],
        ['add', 1],
        ['add', 2],
        ['add', 1],
      ]),
    );
    expect(keyAfter(set, [['add', 1]])).not.toBe(keyAfter(set, [['add', '1']]));
    expect(keyAfter(set, [['add', '']])).not.toBe(set.key(set.init()));
  });

  it('describes states and ops', () => {
    expect(set.describe(set.init())).toBe('[]');
    expect(
      set.describe(
        run(set, [
          ['add', 10],
          ['add', 2],
          ['add', 1],
        ])!,
      ),
    ).toBe('[1 2 10]');
    expect(set.describeOp(op(set, ['add', 3]))).toBe('add 3');
    expect(set.describeOp(op(set, ['read', [3, 1, 2]]))).toBe('read [1 2 3]');
    expect(set.describeOp(op(set, ['read', []]))).toBe('read []');
  });

  it('validates f and read values; knows the plain shape', () => {
    expect(set.validate!({ f: 'read', value: 3, info: false })).toBe('set read value must be a list of elements or nil, got 3');
    expect(set.validate!({ f: 'remove', value: 3, info: false })).toMatch(/no operation 'remove'/);
    expect(set.shape('add', 1)).toBe(true);
    expect(set.shape('add', ['k', 1])).toBe(false);
    expect(set.shape('read', [1, 2])).toBe(true);
    expect(set.shape('read', null)).toBe(true);
    expect(set.shape('read', 2)).toBe(false);
    expect(set.partitionable).toBe(true);
  });
});
