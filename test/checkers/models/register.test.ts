import { describe, expect, it } from 'vitest';
import { register } from '../../../src/checkers/linearizability/models/register.js';
import { irrelevant, keyAfter, legal, op, run } from './support.js';

describe('register model', () => {
  it('starts at nil and reads what was last written', () => {
    expect(register.describe(register.init())).toBe('nil');
    expect(
      legal(register, [
        ['write', 3],
        ['read', 3],
      ]),
    ).toBe(true);
    expect(
      legal(register, [
        ['write', 3],
        ['write', 4],
        ['read', 4],
      ]),
    ).toBe(true);
    expect(
      legal(register, [
        ['write', 3],
        ['write', 4],
        ['read', 3],
      ]),
    ).toBe(false);
    expect(legal(register, [['read', 0]])).toBe(false);
  });

  it('compares values by value: numbers, strings, nil and structures are distinct kinds', () => {
    expect(
      legal(register, [
        ['write', { a: 1, b: [2, 3] }],
        ['read', { b: [2, 3], a: 1 }],
      ]),
    ).toBe(true);
    expect(
      legal(register, [
        ['write', 1],
        ['read', '1'],
      ]),
    ).toBe(false);
    expect(
      legal(register, [
        ['write', '1'],
        ['read', 1],
      ]),
    ).toBe(false);
    expect(
      legal(register, [
        ['write', true],
        ['read', 'true'],
      ]),
    ).toBe(false);
    expect(
      legal(register, [
        ['write', '\u0001null'],
        ['read', null],
        ['read', '\u0001null'],
      ]),
    ).toBe(true);
    expect(
      legal(register, [
        ['write', null],
        ['read', '\u0001null'],
      ]),
    ).toBe(false);
  });

  it('lets a read of nil and any info read constrain nothing', () => {
    expect(irrelevant(register, ['read', null])).toBe(true);
    expect(irrelevant(register, ['read', undefined])).toBe(true);
    expect(irrelevant(register, ['read', 5, 'info'])).toBe(true);
    expect(irrelevant(register, ['read', 5])).toBe(false);
    expect(irrelevant(register, ['write', null])).toBe(false);
    expect(
      legal(register, [
        ['write', 1],
        ['read', null],
        ['read', 1],
      ]),
    ).toBe(true);
  });

  it('applies an info write as if it took effect', () => {
    expect(
      legal(register, [
        ['write', 7, 'info'],
        ['read', 7],
      ]),
    ).toBe(true);
  });

  it('gives equal states equal keys, whatever the path', () => {
    expect(
      keyAfter(register, [
        ['write', 1],
        ['write', 2],
      ]),
    ).toBe(keyAfter(register, [['write', 2]]));
    expect(keyAfter(register, [['write', [1, { x: 2 }]]])).toBe(
      keyAfter(register, [
        ['write', 3],
        ['write', [1, { x: 2 }]],
      ]),
    );
    expect(keyAfter(register, [['write', 1]])).not.toBe(keyAfter(register, [['write', '1']]));
    expect(keyAfter(register, [['write', null]])).toBe(register.key(register.init()));
  });

  it('describes states and ops in plain words', () => {
    expect(register.describe(run(register, [['write', 3]])!)).toBe('3');
    expect(register.describe(run(register, [['write', 'x']])!)).toBe('x');
    expect(register.describe(run(register, [['write', '3']])!)).toBe('"3"');
    expect(register.describe(run(register, [['write', [1, 2]]])!)).toBe('[1 2]');
    expect(register.describeOp(op(register, ['read', 3]))).toBe('read 3');
    expect(register.describeOp(op(register, ['write', 4]))).toBe('write 4');
  });

  it('validates f and knows the plain shape', () => {
    expect(register.validate!({ f: 'cas', value: [1, 2], info: false })).toMatch(/no operation 'cas'.*read, write/);
    expect(register.shape('read', 3)).toBe(true);
    expect(register.shape('write', null)).toBe(true);
    expect(register.shape('write', ['k', 3])).toBe(false);
    expect(register.shape('cas', 3)).toBe(false);
    expect(register.partitionable).toBe(true);
  });
});
