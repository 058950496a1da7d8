import { describe, expect, it } from 'vitest';
import { fifoQueue as q } from '../../../src/checkers/linearizability/models/fifo-queue.js';
import { irrelevant, keyAfter, legal, op, run } from './support.js';

describe('fifo-queue model', () => {
  it('dequeues in enqueue order', () => {
    expect(
      legal(q, [
        ['enqueue', 1],
        ['enqueue', 2],
        ['dequeue', 1],
        ['dequeue', 2],
      ]),
    ).toBe(true);
    expect(
      legal(q, [
        ['enqueue', 1],
        ['enqueue', 2],
        ['dequeue', 2],
      ]),
    ).toBe(false);
    expect(legal(q, [['dequeue', 1]])).toBe(false);
  });

  it('compares elements by value, never by a prefix of their text', () => {
    expect(
      legal(q, [
        ['enqueue', 12],
        ['dequeue', 1],
      ]),
    ).toBe(false);
    expect(
      legal(q, [
        ['enqueue', [1, { a: 2 }]],
        ['dequeue', [1, { a: 2 }]],
      ]),
    ).toBe(true);
    expect(
      legal(q, [
        ['enqueue', '1'],
        ['dequeue', 1],
      ]),
    ).toBe(false);
  });

  it('an ok dequeue of nil means the queue was empty', () => {
    expect(legal(q, [['dequeue', null]])).toBe(true);
    expect(
      legal(q, [
        ['enqueue', 1],
        ['dequeue', null],
      ]),
    ).toBe(false);
    expect(
      legal(q, [
        ['enqueue', 1],
        ['dequeue', 1],
        ['dequeue', null],
      ]),
    ).toBe(true);
    expect(irrelevant(q, ['dequeue', null])).toBe(false);
  });

  it('an info dequeue takes the head, and cannot take effect on an empty queue', () => {
    expect(
      legal(q, [
        ['enqueue', 1],
        ['enqueue', 2],
        ['dequeue', null, 'info'],
        ['dequeue', 2],
      ]),
    ).toBe(true);
    expect(
      legal(q, [
        ['enqueue', 1],
        ['dequeue', null, 'info'],
        ['dequeue', null],
      ]),
    ).toBe(true);
    expect(run(q, [['dequeue', null, 'info']])).toBeUndefined();
    expect(
      legal(q, [
        ['enqueue', 5, 'info'],
        ['dequeue', 5],
      ]),
    ).toBe(true);
  });

  it('gives equal queues equal keys', () => {
    expect(
      keyAfter(q, [
        ['enqueue', 1],
        ['enqueue', 2],
        ['dequeue', 1],
      ]),
    ).toBe(keyAfter(q, [['enqueue', 2]]));
    expect(
      keyAfter(q, [
        ['enqueue', 1],
        ['enqueue', 2],
      ]),
    ).not.toBe(
      keyAfter(q, [
        ['enqueue', 2],
        ['enqueue', 1],
      ]),
    );
  });

  it('describes states and ops, head first', () => {
    expect(q.describe(q.init())).toBe('[]');
    expect(
      q.describe(
        run(q, [
          ['enqueue', 3],
          ['enqueue', 1],
          ['enqueue', 'a'],
        ])!,
      ),
    ).toBe('[3 1 a]');
    expect(q.describeOp(op(q, ['enqueue', 3]))).toBe('enqueue 3');
    expect(q.describeOp(op(q, ['dequeue', null]))).toBe('dequeue nil');
    expect(q.describeOp(op(q, ['dequeue', null, 'info']))).toBe('dequeue');
  });

  it('validates f and refuses to enqueue nil; knows the plain shape', () => {
    expect(q.validate!({ f: 'enqueue', value: null, info: false })).toMatch(/cannot enqueue nil/);
    expect(q.validate!({ f: 'drain', value: null, info: false })).toMatch(/no operation 'drain'/);
    expect(q.shape('enqueue', 1)).toBe(true);
    expect(q.shape('dequeue', null)).toBe(true);
    expect(q.shape('dequeue', ['k', 1])).toBe(false);
    expect(q.partitionable).toBe(true);
  });
});
