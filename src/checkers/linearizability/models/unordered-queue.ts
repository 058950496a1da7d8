import { fmtValue } from '../../../history/op.js';
import type { Model, ModelOp } from '../model.js';
import { bagAdd, bagRemove, EMPTY_BAG, showElements, type Bag } from './bag.js';
import { unknownF, withValue } from './ops.js';
import { canon, showCanon } from './value.js';

const FS = ['enqueue', 'dequeue'];

const isNil = (v: unknown): boolean => v === null || v === undefined;

/**
 * Knossos's UnorderedQueue: a multiset; an ok dequeue of x needs some x pending and removes one.
 * An info dequeue, if it happened, removed some element we cannot name: with fewer elements pending,
 * every later dequeue of x is only harder to satisfy, so "it never happened" is always at least as
 * good a choice for the search and the op is irrelevant. For the same reason a dequeue of nil (an
 * empty queue) constrains nothing: checking it would need to know what the info dequeues removed.
 */
export const unorderedQueue: Model<Bag> = {
  name: 'unordered-queue',
  doc: 'queue without order (a multiset): dequeue x needs x pending; initially empty',
  init: () => EMPTY_BAG,
  step(s, op) {
    if (op.f === 'enqueue') return bagAdd(s, op.value as string, false);
    return bagRemove(s, op.value as string); // an ok dequeue of x
  },
  key: (s) => s.key,
  describe: (s) => showElements(s.items),
  describeOp(op) {
    if (op.f === 'dequeue' && op.info) return 'dequeue';
    if (isNil(op.value)) return `${op.f} nil`;
    return `${op.f} ${typeof op.value === 'string' ? showCanon(op.value) : fmtValue(op.value)}`;
  },
  shape: (f, v) => FS.includes(f) && !Array.isArray(v),
  partitionable: true,
  prepare: (op) => (isNil(op.value) || (op.f === 'dequeue' && op.info) ? op : withValue(op, canon(op.value))),
  irrelevant: (op) => op.f === 'dequeue' && (op.info || isNil(op.value)),
  validate(op: ModelOp) {
    if (!FS.includes(op.f)) return unknownF('unordered-queue', op.f, FS);
    if (op.f === 'enqueue' && isNil(op.value)) return 'unordered-queue cannot enqueue nil: a dequeue of nil means the queue was empty';
    return undefined;
  },
};
