import { describe, expect, it } from 'vitest';
import { checkLinearizability } from '../../../src/checkers/linearizability/index.js';
import { casRegister, register } from '../../../src/checkers/linearizability/models/index.js';
import { h } from '../../support/history.js';

// Keys compare by type and value (history/identity.ts): 1 and "1", true and "true" are independent registers.
describe('linearizability keys by type and value', () => {
  for (const [k, s] of [
    [1, '1'],
    [true, 'true'],
    [null, 'nil'],
  ] as const) {
    it(`key ${String(k)} and key "${s}" are two registers`, () => {
      // p0 writes 5 to k, then p1 writes 6 to "s", then p2 reads 5 from k: fine for two registers,
      // illegal for one (6 was written last).
      const two = h([
        [0, 'invoke', 'write', [k, 5]],
        [0, 'ok', 'write', [k, 5]],
        [1, 'invoke', 'write', [s, 6]],
        [1, 'ok', 'write', [s, 6]],
        [2, 'invoke', 'read', [k, null]],
        [2, 'ok', 'read', [k, 5]],
      ]);
      const v = checkLinearizability(two, { model: register });
      expect(v).toMatchObject({ valid: true, anomalies: [], stats: { keyed: true, partitions: 2 } });
      // A read of 5 from "s", which only k was ever given: illegal on key "s", legal for one register.
      const bad = h([
        [0, 'invoke', 'write', [k, 5]],
        [0, 'ok', 'write', [k, 5]],
        [1, 'invoke', 'read', [s, null]],
        [1, 'ok', 'read', [s, 5]],
      ]);
      const w = checkLinearizability(bad, { model: register });
      expect(w.valid).toBe(false);
      expect(w.anomalies.map((a) => [a.kind, a.ops])).toEqual([['nonlinearizable', [2, 3]]]);
      expect(w.witness).toMatchObject({ key: JSON.stringify(s), op: 2, prefix: [] });
      expect(w.anomalies[0]!.explanation).toMatch(new RegExp(`^On key ${JSON.stringify(s)}, process 1's read 5 `));
    });
  }

  it('big-integer keys: 2^53 and 2^53+1 are two keys, shown exactly', () => {
    const v = checkLinearizability(
      h([
        [0, 'invoke', 'write', [9007199254740992n, 1]],
        [0, 'ok', 'write', [9007199254740992n, 1]],
        [1, 'invoke', 'cas', [9007199254740993n, [1, 2]]],
        [1, 'ok', 'cas', [9007199254740993n, [1, 2]]],
      ]),
      { model: casRegister },
    );
    expect(v.valid).toBe(false);
    expect(v.witness).toMatchObject({ key: '9007199254740993', op: 2 });
  });
});
