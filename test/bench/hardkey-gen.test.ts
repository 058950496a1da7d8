import { describe, expect, it } from 'vitest';
import { generateHardKeyHistory } from '../../bench/gen/hardkey.js';
import { checkLinearizability } from '../../src/checkers/linearizability/index.js';
import { getModel } from '../../src/checkers/linearizability/models/index.js';
import { lintHistory } from '../../src/history/lint.js';

const cas = getModel('cas-register')!;

// Small versions of the bench's hard key, small enough for the general search alone to decide.
describe('the hard-key generator (bench/gen/hardkey.ts)', () => {
  it('writes unique values, with reads, writes, ok and failed cas, and info ops', () => {
    const { ops } = generateHardKeyHistory({ ops: 4000, processes: 25, seed: 3, infoRate: 0.01 });
    expect(lintHistory({ file: 'gen', format: 'jsonl', ops, lines: ops.map((_, i) => i + 1), warnings: [] })).toEqual([]);
    const done = ops.filter((o) => o.type !== 'invoke');
    const written = done.filter((o) => o.f === 'write').map((o) => o.value as number);
    for (const o of done) if (o.f === 'cas') written.push((o.value as number[])[1]);
    expect(new Set(written).size).toBe(written.length);
    expect(done.some((o) => o.f === 'cas' && o.type === 'ok')).toBe(true);
    expect(done.some((o) => o.f === 'cas' && o.type === 'fail')).toBe(true);
    expect(done.some((o) => o.f === 'read' && o.type === 'ok')).toBe(true);
    expect(done.some((o) => o.type === 'info')).toBe(true);
  });

  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed}: linearizable as generated, not after a stale read or a stale cas (general search alone)`, () => {
      const o = { ops: 160, processes: 5, seed, infoRate: 0.03 };
      const search = (ops: ReturnType<typeof generateHardKeyHistory>['ops']) =>
        checkLinearizability(ops, { model: cas, uniqueFirstPass: false, timeLimitMs: 20_000 }).valid;
      expect(search(generateHardKeyHistory(o).ops)).toBe(true);
      const stale = generateHardKeyHistory({ ...o, mutation: 'stale-read' });
      expect(stale.mutatedAt).toBeDefined();
      expect(search(stale.ops)).toBe(false);
      expect(search(generateHardKeyHistory({ ...o, mutation: 'stale-cas' }).ops)).toBe(false);
    });
  }
});
