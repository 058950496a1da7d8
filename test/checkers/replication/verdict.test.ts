import { describe, expect, it } from 'vitest';
import { byCompletion } from '../../../src/checkers/replication/verdict.js';

const rec = (id: string, done?: number) => ({ id, pair: { invoke: { index: 0 }, complete: done === undefined ? undefined : { index: done } } });

describe('byCompletion', () => {
  it('returns the input itself when it is already in completion order (no copy, no sort)', () => {
    const xs = [rec('a', 1), rec('b', 3), rec('c', 3), rec('d')];
    expect(byCompletion(xs)).toBe(xs);
  });

  it('sorts by completion, stable on ties, ops without completion last, without touching the input', () => {
    const xs = [rec('a', 9), rec('b'), rec('c', 2), rec('d', 9), rec('e', 0), rec('f')];
    expect(byCompletion(xs).map((x) => x.id)).toEqual(['e', 'c', 'a', 'd', 'b', 'f']);
    expect(xs.map((x) => x.id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('falls back to a comparator sort for indices the packed sort cannot hold', () => {
    const xs = [rec('a', 2 ** 40), rec('b', 5), rec('c', -1)];
    expect(byCompletion(xs).map((x) => x.id)).toEqual(['c', 'b', 'a']);
  });
});
