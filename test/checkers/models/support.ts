import { expect } from 'vitest';
import type { Model, ModelOp } from '../../../src/checkers/linearizability/model.js';

/** One op as a test writes it: [f, value] for an ok op, [f, value, 'info'] for an unknown outcome. */
export type Row = [string, unknown] | [string, unknown, 'info'];

/** The op as the checker hands it to the model: validated, then prepared. */
export function op(model: Model, [f, value, info]: Row): ModelOp {
  const raw: ModelOp = { f, value, info: info === 'info' };
  expect(model.validate?.(raw), `validate ${f} ${JSON.stringify(value)}`).toBeUndefined();
  return model.prepare ? model.prepare(raw) : raw;
}

/**
 * The state after every row in order, or undefined at the first illegal one. Irrelevant rows are
 * skipped as the checker drops them. Each state is deep-frozen before a step and compared after it,
 * so a step that mutates its input fails the test.
 */
export function run<S>(model: Model<S>, rows: Row[], from: S = model.init()): S | undefined {
  let s = from;
  for (const row of rows) {
    const o = op(model as Model, row);
    if (model.irrelevant?.(o)) continue;
    const before = JSON.stringify(s);
    const next = model.step(deepFreeze(s), o);
    expect(JSON.stringify(s), 'step must not mutate its input').toBe(before);
    if (next === undefined) return undefined;
    s = next;
  }
  return s;
}

/** Whether the rows are legal one after another from init. */
export function legal(model: Model, rows: Row[]): boolean {
  return run(model, rows) !== undefined;
}

/** The memo key after the rows (which must be legal). */
export function keyAfter(model: Model, rows: Row[]): string | number {
  const s = run(model, rows);
  expect(s, `rows ${JSON.stringify(rows)} are legal`).not.toBeUndefined();
  return model.key(s);
}

export function deepFreeze<T>(x: T): T {
  if (x !== null && typeof x === 'object' && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}

/** Irrelevant per the model, after prepare. */
export function irrelevant(model: Model, row: Row): boolean {
  return model.irrelevant?.(op(model, row)) ?? false;
}
