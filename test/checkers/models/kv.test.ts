import { describe, expect, it } from 'vitest';
import { kv } from '../../../src/checkers/linearizability/models/kv.js';
import { irrelevant, keyAfter, legal, op, run } from './support.js';

// The checker splits a kv history by key; the model sees one key's inner values.
describe('kv model', () => {
  it('gets what was put and appended; keys start empty', () => {
    expect(legal(kv, [['get', '']])).toBe(true);
    expect(
      legal(kv, [
        ['put', 'a'],
        ['append', 'b'],
        ['get', 'ab'],
      ]),
    ).toBe(true);
    expect(
      legal(kv, [
        ['append', 'x'],
        ['append', 'y'],
        ['get', 'xy'],
      ]),
    ).toBe(true);
    expect(
      legal(kv, [
        ['append', 'x'],
        ['append', 'y'],
        ['get', 'yx'],
      ]),
    ).toBe(false);
    expect(
      legal(kv, [
        ['put', 'a'],
        ['put', 'b'],
        ['get', 'a'],
      ]),
    ).toBe(false);
  });

  it('lets a get of nil and an info get constrain nothing; info writes take effect', () => {
    expect(irrelevant(kv, ['get', null])).toBe(true);
    expect(irrelevant(kv, ['get', 'a', 'info'])).toBe(true);
    expect(irrelevant(kv, ['get', ''])).toBe(false);
    expect(
      legal(kv, [
        ['append', 'a', 'info'],
        ['get', 'a'],
      ]),
    ).toBe(true);
  });

  it('keys, words', () => {
    expect(keyAfter(kv, [['put', 'ab']])).toBe(
      keyAfter(kv, [
        ['append', 'a'],
        ['append', 'b'],
      ]),
    );
    expect(keyAfter(kv, [['put', '']])).toBe(kv.key(kv.init()));
    expect(kv.describe(run(kv, [['put', 'ab']])!)).toBe('"ab"');
    expect(kv.describeOp(op(kv, ['append', 'x']))).toBe('append "x"');
    expect(kv.describeOp(op(kv, ['get', null]))).toBe('get nil');
  });

  it('is keyed only, validates f and values, knows the plain inner shape', () => {
    expect(kv.keyedOnly).toBe(true);
    expect(kv.partitionable).toBe(true);
    expect(kv.validate!({ f: 'put', value: 3, info: false })).toBe('kv put value must be a string, got 3');
    expect(kv.validate!({ f: 'get', value: 3, info: false })).toBe('kv get value must be a string or nil, got 3');
    expect(kv.validate!({ f: 'delete', value: null, info: false })).toMatch(/no operation 'delete'/);
    expect(kv.shape('get', null)).toBe(true);
    expect(kv.shape('put', 'a')).toBe(true);
    expect(kv.shape('put', ['k', 'a'])).toBe(false);
  });
});
