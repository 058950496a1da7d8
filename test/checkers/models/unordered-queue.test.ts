import { describe, expect, it } from 'vitest';
import { unorderedQueue as q } from '../../../src/checkers/linearizability/models/unordered-queue.js';
import { irrelevant, keyAfter, legal, op, run } from './support.js';

describe('unordered-queue model', () => {
  it('dequeues any pending element, each as often as it was enqueued', () => {
    expect(
      legal(q, [
        ['enqueue', 1],
        ['enqueue', 2],
        ['dequeue', 2],
        ['dequeue', 1],
      ]),
    ).toBe(true);
    expect(
      legal(q, [
        ['enqueue', 1],
        ['enqueue', 1],
        ['dequeue', 1],
        ['dequeue', 1],
      ]),
    ).toBe(true);
    expect(
      legal(q, [
        ['enqueue', 1],
        ['dequeue', 1],
        ['dequeue', 1],
      ]),
    ).toBe(false);
    expect(legal(q, [['dequeue', 3]])).toBe(false);
    expect(
      legal(q, [
        ['enqueue', '3'],
        ['dequeue', 3],
      ]),
    ).toBe(false);
  });

  it('lets an info dequeue and a dequeue of nil constrain nothing; an info enqueue takes effect', () => {
    expect(irrelevant(q, ['dequeue', null, 'info'])).toBe(true);
    expect(irrelevant(q, ['dequeue', 4, 'info'])).toBe(true);
    expect(irrelevant(q, ['dequeue', null])).toBe(true);
    expect(irrelevant(q, ['dequeue', 4])).toBe(false);
    expect(
      legal(q, [
        ['enqueue', 4, 'info'],
        ['dequeue', 4],
      ]),
    ).toBe(true);
  });

  it('gives equal multisets equal keys', () => {
    expect(
      keyAfter(q, [
        ['enqueue', 1],
        ['enqueue', 2],
        ['enqueue', 1],
      ]),
    ).toBe(
      keyAfter(q, [
        ['enqueue', 2],
        ['enqueue', 1],
        ['enqueue', 3],
        ['enqueue', 1],
        ['dequeue', 3],
      ]),
    );
    expect(keyAfter(q, [['enqueue', 1]])).not.toBe(
      keyAfter(q, [
        ['enqueue', 1],
        ['enqueue', 1],
      ]),
    );
  });

  it('describes states and ops', () => {
    expect(
      q.describe(
        run(q, [
          ['enqueue', 2],
          ['enqueue', 1],
          ['enqueue', 2],
        ])!,
      ),
    ).toBe('[1 2 2]');
    expect(q.describeOp(op(q, ['dequeue', 2]))).toBe('dequeue 2');
  });

  it('validates f and refuses to enqueue nil; knows the plain shape', () => {
    expect(q.validate!({ f: 'enqueue', value: undefined, info: false })).toMatch(/cannot enqueue nil/);
    expect(q.validate!({ f: 'peek', value: null, info: false })).toMatch(/no operation 'peek'/);
    expect(q.shape('enqueue', 'a')).toBe(true);
    expect(q.shape('enqueue', ['k', 'a'])).toBe(false);
    expect(q.partitionable).toBe(true);
  });
});
