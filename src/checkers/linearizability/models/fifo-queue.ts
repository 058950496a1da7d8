import { fmtValue } from '../../../history/op.js';
import type { Model, ModelOp } from '../model.js';
import { unknownF, withValue } from './ops.js';
import { canon, showCanon } from './value.js';

const FS = ['enqueue', 'dequeue'];
const NL = 10;

const isNil = (v: unknown): boolean => v === null || v === undefined;

/** The elements of a queue state, head first. */
function elements(s: string): string[] {
  return s === '' ? [] : s.slice(0, -1).split('\n');
}

/**
 * Knossos's FIFOQueue: enqueue x at the tail; an ok dequeue of x needs x at the head. The state is the
 * pending elements' canonical texts, head first, each followed by a newline: its own memo key.
 * Knossos has no rule for an empty dequeue (its clients fail them); here an ok dequeue of nil means
 * the queue was empty, so enqueue of nil is refused. An info dequeue, if it happened, took the head.
 */
export const fifoQueue: Model<string> = {
  name: 'fifo-queue',
  doc: 'FIFO queue: dequeue returns the head, or nil when empty; initially empty',
  init: () => '',
  step(s, op) {
    if (op.f === 'enqueue') return s + (op.value as string) + '\n';
    if (op.info) {
      const i = s.indexOf('\n');
      return i < 0 ? undefined : s.slice(i + 1);
    }
    if (isNil(op.value)) return s === '' ? s : undefined;
    const x = op.value as string;
    return s.startsWith(x) && s.charCodeAt(x.length) === NL ? s.slice(x.length + 1) : undefined;
  },
  key: (s) => s,
  describe: (s) => `[${elements(s).map(showCanon).join(' ')}]`,
  describeOp(op) {
    if (op.f === 'dequeue' && op.info) return 'dequeue';
    if (isNil(op.value)) return `${op.f} nil`;
    return `${op.f} ${typeof op.value === 'string' ? showCanon(op.value) : fmtValue(op.value)}`;
  },
  shape: (f, v) => FS.includes(f) && !Array.isArray(v),
  partitionable: true,
  prepare: (op) => (isNil(op.value) || (op.f === 'dequeue' && op.info) ? op : withValue(op, canon(op.value))),
  validate(op: ModelOp) {
    if (!FS.includes(op.f)) return unknownF('fifo-queue', op.f, FS);
    if (op.f === 'enqueue' && isNil(op.value)) return 'fifo-queue cannot enqueue nil: a dequeue of nil means the queue was empty';
    return undefined;
  },
};
