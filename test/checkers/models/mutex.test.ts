import { describe, expect, it } from 'vitest';
import { mutex } from '../../../src/checkers/linearizability/models/mutex.js';
import { keyAfter, legal, op, run } from './support.js';

describe('mutex model', () => {
  it('acquire needs it free, release needs it held', () => {
    expect(
      legal(mutex, [
        ['acquire', null],
        ['release', null],
        ['acquire', null],
      ]),
    ).toBe(true);
    expect(
      legal(mutex, [
        ['acquire', null],
        ['acquire', null],
      ]),
    ).toBe(false);
    expect(legal(mutex, [['release', null]])).toBe(false);
    expect(
      legal(mutex, [
        ['acquire', null],
        ['release', null],
        ['release', null],
      ]),
    ).toBe(false);
  });

  it('treats info ops as if they took effect, where they can', () => {
    expect(
      legal(mutex, [
        ['acquire', null, 'info'],
        ['release', null],
      ]),
    ).toBe(true);
    expect(run(mutex, [['release', null, 'info']])).toBeUndefined();
  });

  it('keys and words', () => {
    expect(
      keyAfter(mutex, [
        ['acquire', null],
        ['release', null],
      ]),
    ).toBe(mutex.key(mutex.init()));
    expect(mutex.describe(mutex.init())).toBe('free');
    expect(mutex.describe(run(mutex, [['acquire', null]])!)).toBe('locked');
    expect(mutex.describeOp(op(mutex, ['acquire', null]))).toBe('acquire');
  });

  it('validates f and knows the plain shape', () => {
    expect(mutex.validate!({ f: 'lock', value: null, info: false })).toMatch(/no operation 'lock'.*acquire, release/);
    expect(mutex.shape('acquire', null)).toBe(true);
    expect(mutex.shape('acquire', undefined)).toBe(true);
    expect(mutex.shape('release', ['k', null])).toBe(false);
  });
});
