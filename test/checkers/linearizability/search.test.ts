import { describe, expect, it } from 'vitest';
import { generateRegisterHistory } from '../../../bench/gen/register.js';
import { checkLinearizability } from '../../../src/checkers/linearizability/index.js';
import { getModel } from '../../../src/checkers/linearizability/models/index.js';
import { h } from '../../support/history.js';

const register = getModel('register')!;
const cas = getModel('cas-register')!;
const check = (ops: ReturnType<typeof h>, model = register) => checkLinearizability(ops, { model });

describe('linearizability search: Jepsen semantics', () => {
  it('accepts a sequential history that reads what was written', () => {
    const v = check(
      h([
        [0, 'invoke', 'write', 1],
        [0, 'ok', 'write', 1],
        [1, 'invoke', 'read', null],
        [1, 'ok', 'read', 1],
      ]),
    );
    expect(v.valid).toBe(true);
    expect(v.anomalies).toEqual([]);
  });

  it('rejects a stale read and names the op, its states and the prefix', () => {
    const v = check(
      h([
        [0, 'invoke', 'write', 1],
        [0, 'ok', 'write', 1],
        [0, 'invoke', 'write', 2],
        [0, 'ok', 'write', 2],
        [1, 'invoke', 'read', null],
        [1, 'ok', 'read', 1],
      ]),
    );
    expect(v.valid).toBe(false);
    expect(v.anomalies[0].ops).toEqual([4, 5]);
    expect(v.witness?.op).toBe(4);
    expect(v.witness?.states).toEqual(['2']);
    expect(v.witness?.prefix).toEqual([0, 2]);
    expect(v.anomalies[0].explanation).toContain("process 1's read 1");
    expect(v.anomalies[0].explanation).toContain('could only be 2');
  });

  it('lets a read that overlaps a write see either value', () => {
    for (const seen of [0, 1]) {
      const v = check(
        h([
          [0, 'invoke', 'write', 0],
          [0, 'ok', 'write', 0],
          [0, 'invoke', 'write', 1],
          [1, 'invoke', 'read', null],
          [1, 'ok', 'read', seen],
          [0, 'ok', 'write', 1],
        ]),
      );
      expect(v.valid).toBe(true);
    }
  });

  it('treats an info write as possibly applied: a later read of it is fine', () => {
    const v = check(
      h([
        [0, 'invoke', 'write', 3],
        [0, 'info', 'write', 3],
        [1, 'invoke', 'read', null],
        [1, 'ok', 'read', 3],
      ]),
    );
    expect(v.valid).toBe(true);
  });

  it('treats an info write as possibly never applied', () => {
    const v = check(
      h([
        [0, 'invoke', 'write', 1],
        [0, 'ok', 'write', 1],
        [1, 'invoke', 'write', 3],
        [1, 'info', 'write', 3],
        [2, 'invoke', 'read', null],
        [2, 'ok', 'read', 1],
      ]),
    );
    expect(v.valid).toBe(true);
  });

  it('treats an invocation that never completed like an info op', () => {
    const v = check(
      h([
        [1, 'invoke', 'write', 3],
        [2, 'invoke', 'read', null],
        [2, 'ok', 'read', 3],
      ]),
    );
    expect(v.valid).toBe(true);
  });

  it('an info write cannot take effect before its invocation', () => {
    const v = check(
      h([
        [2, 'invoke', 'read', null],
        [2, 'ok', 'read', 3],
        [1, 'invoke', 'write', 3],
        [1, 'info', 'write', 3],
      ]),
    );
    expect(v.valid).toBe(false);
    expect(v.anomalies[0].ops).toEqual([0, 1]);
  });

  it('treats a failed write as never applied: reading its value is illegal', () => {
    const v = check(
      h([
        [0, 'invoke', 'write', 1],
        [0, 'ok', 'write', 1],
        [1, 'invoke', 'write', 3],
        [1, 'fail', 'write', 3],
        [2, 'invoke', 'read', null],
        [2, 'ok', 'read', 3],
      ]),
    );
    expect(v.valid).toBe(false);
    expect(v.anomalies[0].ops).toEqual([4, 5]);
  });

  it('a read that completed with nil constrains nothing', () => {
    const v = check(
      h([
        [0, 'invoke', 'write', 1],
        [0, 'ok', 'write', 1],
        [1, 'invoke', 'read', null],
        [1, 'ok', 'read', null],
      ]),
    );
    expect(v.valid).toBe(true);
    expect(v.stats.droppedOps).toBe(1);
  });

  it('ignores nemesis ops', () => {
    const v = check(
      h([
        ['nemesis', 'invoke', 'start', null],
        ['nemesis', 'info', 'start', 'cut'],
        [0, 'invoke', 'write', 1],
        [0, 'ok', 'write', 1],
      ]),
    );
    expect(v.valid).toBe(true);
    expect(v.stats.clientOps).toBe(1);
  });

  it('completes an invocation value from its ok completion (cas-register)', () => {
    const v = check(
      h([
        [0, 'invoke', 'write', 1],
        [0, 'ok', 'write', 1],
        [0, 'invoke', 'cas', [1, 2]],
        [0, 'ok', 'cas', [1, 2]],
        [1, 'invoke', 'read', null],
        [1, 'ok', 'read', 2],
      ]),
      cas,
    );
    expect(v.valid).toBe(true);
  });

  it('an empty client history is valid', () => {
    expect(check([]).valid).toBe(true);
  });
});

describe('linearizability search: keys, budgets, scale', () => {
  it("splits Jepsen's independent keys and names the illegal key", () => {
    const v = check(
      h([
        [0, 'invoke', 'write', ['x', 1]],
        [0, 'ok', 'write', ['x', 1]],
        [1, 'invoke', 'write', ['y', 2]],
        [1, 'ok', 'write', ['y', 2]],
        [2, 'invoke', 'read', ['x', null]],
        [2, 'ok', 'read', ['x', 1]],
        [2, 'invoke', 'read', ['y', null]],
        [2, 'ok', 'read', ['y', 1]],
      ]),
    );
    expect(v.stats.keyed).toBe(true);
    expect(v.stats.partitions).toBe(2);
    expect(v.valid).toBe(false);
    expect(v.witness?.key).toBe('y');
    expect(v.anomalies[0].ops).toEqual([6, 7]);
    expect(v.anomalies[0].explanation).toMatch(/^On key y, /);
  });

  it('generated linearizable histories are valid, and a read of a value never written is found', () => {
    const ops = generateRegisterHistory({ events: 20_000, processes: 20, keys: 10, infoRate: 0.02, values: 1000, seed: 7 });
    expect(check(ops).valid).toBe(true);
    const i = ops.findIndex((o) => o.type === 'ok' && o.f === 'read' && o.index > 10_000 && (o.value as unknown[])[1] !== null);
    const bad = ops.map((o, j) => (j === i ? { ...o, value: [(o.value as unknown[])[0], 99_999] } : o));
    const v = check(bad);
    expect(v.valid).toBe(false);
    expect(v.anomalies[0].ops).toContain(ops[i].index);
  });

  it('says unknown, with the time limit as cause, when the time budget runs out', () => {
    const ops = generateRegisterHistory({ events: 200_000, processes: 50, keys: 5, infoRate: 0.05, seed: 3 });
    const v = checkLinearizability(ops, { model: register, timeLimitMs: 1 });
    expect(v.valid).toBe('unknown');
    expect(v.cause).toMatch(/time limit/);
    expect(v.stats.unresolved.length).toBeGreaterThan(0);
  });

  it('says unknown, with memory as cause, when the memo ceiling is reached', () => {
    const ops = generateRegisterHistory({ events: 40_000, processes: 20, keys: 1, seed: 5 });
    const v = checkLinearizability(ops, { model: register, memoryLimitBytes: 40 * 1024 });
    expect(v.valid).toBe('unknown');
    expect(v.cause).toMatch(/memory ceiling/);
  });

  it('an illegal key ends the check with false even when others exhaust the memory budget', () => {
    const big = generateRegisterHistory({ events: 40_000, processes: 20, keys: 1, seed: 5 });
    const n = big.length;
    const bad = h([
      [900, 'invoke', 'write', ['z', 1]],
      [900, 'ok', 'write', ['z', 1]],
      [901, 'invoke', 'read', ['z', null]],
      [901, 'ok', 'read', ['z', 2]],
    ]).map((o, j) => ({ ...o, index: n + j, time: big[n - 1].time + j }));
    const v = checkLinearizability([...big, ...bad], { model: register, memoryLimitBytes: 40 * 1024 });
    expect(v.valid).toBe(false);
    expect(v.witness?.key).toBe('z');
  });
});
