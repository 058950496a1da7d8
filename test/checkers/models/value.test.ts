import { describe, expect, it } from 'vitest';
import { canon, NIL, show, showValue, token } from '../../../src/checkers/linearizability/models/value.js';

describe('value tokens', () => {
  it('equal JSON-ish values get equal tokens', () => {
    expect(token({ a: 1, b: [2, { c: 3 }] })).toBe(token({ b: [2, { c: 3 }], a: 1 }));
    expect(token(null)).toBe(token(undefined));
    expect(token(null)).toBe(NIL);
    expect(token(0)).toBe(token(-0));
    expect(token(5n)).toBe(token(5));
    expect(token(NaN)).toBe(token(NaN));
  });

  it('different values get different tokens', () => {
    const values: unknown[] = [
      1,
      '1',
      true,
      'true',
      null,
      'null',
      '\u0001null',
      [1],
      '[1]',
      { a: 1 },
      { a: '1' },
      [],
      {},
      '',
      NaN,
      'NaN',
      Infinity,
      -Infinity,
      [null],
      [[]],
    ];
    const tokens = new Set(values.map(token));
    expect(tokens.size).toBe(values.length);
  });

  it('canonical texts never hold a raw newline', () => {
    expect(canon(['a\nb', { 'k\n': 'v\n' }])).not.toContain('\n');
  });

  it('shows values in plain words', () => {
    expect(show(token(3))).toBe('3');
    expect(show(NIL)).toBe('nil');
    expect(show(token('x'))).toBe('x');
    expect(show(token('3'))).toBe('"3"');
    expect(show(token('nil'))).toBe('"nil"');
    expect(show(token('a b'))).toBe('"a b"');
    expect(show(token([1, [2, 'x'], null]))).toBe('[1 [2 x] nil]');
    expect(show(token({ b: 1, a: 2 }))).toBe('{a 2, b 1}');
    expect(show(token(true))).toBe('true');
    expect(show(token(NaN))).toBe('NaN');
    expect(showValue(undefined)).toBe('nil');
  });
});
