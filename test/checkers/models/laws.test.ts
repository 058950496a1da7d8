import { describe, expect, it } from 'vitest';
import type { Model } from '../../../src/checkers/linearizability/model.js';
import { getModel, models } from '../../../src/checkers/linearizability/models/index.js';
import { op, run, type Row } from './support.js';

// A short legal sequence per model, with info ops and nil reads; a new model must add one here.
const samples: Record<string, Row[]> = {
  register: [
    ['write', 1],
    ['read', 1],
    ['read', null],
    ['write', 'a', 'info'],
    ['read', 'a'],
    ['write', { x: [1] }],
    ['read', 2, 'info'],
  ],
  'cas-register': [
    ['write', 1],
    ['cas', [1, 2]],
    ['read', 2],
    ['read', null],
    ['cas', [2, 3], 'info'],
    ['write', { a: 1 }],
  ],
  mutex: [
    ['acquire', null],
    ['release', null],
    ['acquire', null, 'info'],
    ['release', null],
  ],
  'multi-register': [
    ['txn', [['read', 'x', 0]]],
    [
      'txn',
      [
        ['write', 'y', 2],
        ['r', 'y', 2],
      ],
    ],
    ['txn', [['read', 'x', null]]],
    [
      'txn',
      [
        ['w', 0, 'a'],
        ['read', 'y', 7],
      ],
      'info',
    ],
    ['txn', [['r', 0, 'a']]],
  ],
  kv: [
    ['put', 'a'],
    ['append', 'b'],
    ['get', 'ab'],
    ['get', null],
    ['append', 'c', 'info'],
    ['get', 'x', 'info'],
  ],
  set: [
    ['add', 1],
    ['add', 'b', 'info'],
    ['read', ['b', 1]],
    ['read', null],
    ['add', { a: [1, 2] }],
    ['read', [9], 'info'],
  ],
  'fifo-queue': [
    ['enqueue', 1],
    ['enqueue', 2],
    ['dequeue', 1],
    ['dequeue', null, 'info'],
    ['dequeue', null],
    ['enqueue', 'x', 'info'],
  ],
  'unordered-queue': [
    ['enqueue', 1],
    ['enqueue', 1],
    ['dequeue', 1],
    ['dequeue', null, 'info'],
    ['dequeue', null],
    ['dequeue', 1],
  ],
};

describe('the model registry', () => {
  it('names every model by its own name, and only those', () => {
    for (const [name, m] of Object.entries(models)) expect(m.name).toBe(name);
    expect(getModel('cas-register')).toBe(models['cas-register']);
    expect(getModel('nope')).toBeUndefined();
    expect(getModel('toString')).toBeUndefined();
  });

  it('has samples for every model', () => {
    expect(Object.keys(samples).sort()).toEqual(Object.keys(models).sort());
  });
});

describe('the test harness', () => {
  it('catches a step that mutates its input', () => {
    const bad: Model<number[]> = {
      name: 'bad',
      doc: 'mutates',
      init: () => [],
      key: (s) => s.join(),
      describe: String,
      describeOp: (o) => o.f,
      shape: () => true,
      partitionable: false,
      step: (s, o) => {
        s.push(o.value as number);
        return s;
      },
    };
    expect(() => run(bad, [['add', 1]])).toThrow();
  });
});

for (const [name, model] of Object.entries(models)) {
  describe(`model laws: ${name}`, () => {
    const rows = samples[name] ?? [];

    it('has a stable init with a stable key and a plain description', () => {
      expect(model.key(model.init())).toBe(model.key(model.init()));
      expect(['string', 'number']).toContain(typeof model.key(model.init()));
      expect(model.describe(model.init())).toBe(model.describe(model.init()));
      expect(model.describe(model.init()).length).toBeGreaterThan(0);
      expect(model.doc.length).toBeGreaterThan(0);
    });

    it('accepts its sample, never mutating a state, and describes every state and op', () => {
      let s: unknown = model.init();
      for (const row of rows) {
        const o = op(model, row);
        expect(model.describeOp(o).length, `describeOp ${JSON.stringify(row)}`).toBeGreaterThan(0);
        const next = run(model, [row], s);
        expect(next, `${JSON.stringify(row)} is legal after ${model.describe(s)}`).not.toBeUndefined();
        s = next;
        expect(model.describe(s).length).toBeGreaterThan(0);
      }
    });

    it('steps deterministically: the same op in the same state gives the same key', () => {
      let s: unknown = model.init();
      for (const row of rows) {
        const o = op(model, row);
        if (model.irrelevant?.(o)) continue;
        const a = model.step(s, o);
        const b = model.step(s, o);
        expect(a === undefined ? undefined : model.key(a)).toBe(b === undefined ? undefined : model.key(b));
        s = a;
      }
    });

    it('leaves the state as it was for an irrelevant op', () => {
      let s: unknown = model.init();
      for (const row of rows) {
        const o = op(model, row);
        if (model.irrelevant?.(o)) {
          const t = model.step(s, o);
          if (t !== undefined) expect(model.key(t)).toBe(model.key(s));
        } else {
          s = model.step(s, o);
        }
      }
    });

    it('takes the sample values as plain, and refuses an unknown f', () => {
      for (const [f, value] of rows) expect(model.shape(f, value), `${f} ${JSON.stringify(value)}`).toBe(true);
      expect(model.shape('no-such-f', null)).toBe(false);
      expect(model.validate?.({ f: 'no-such-f', value: null, info: false })).toMatch(/no-such-f/);
    });
  });
}
