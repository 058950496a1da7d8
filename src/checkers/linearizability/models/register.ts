import type { Model } from '../model.js';
import { unknownF, withValue } from './ops.js';
import { isNil, NIL, show, token, type Token } from './value.js';

const FS = ['read', 'write'];

/** A read/write register starting at nil (Knossos's Register). The state is the value's token. */
export const register: Model<Token> = {
  name: 'register',
  doc: 'read/write register, initially nil; values [key, v] are independent registers',
  init: () => NIL,
  step(s, op) {
    if (op.f === 'write') return op.value as Token;
    return s === op.value ? s : undefined; // read
  },
  key: (s) => s,
  describe: show,
  describeOp: (op) => `${op.f} ${show(op.value)}`,
  shape: (f, v) => (f === 'read' || f === 'write') && !Array.isArray(v),
  partitionable: true,
  prepare: (op) => withValue(op, token(op.value)),
  // A read of nil (unknown) or with an unknown outcome constrains nothing.
  irrelevant: (op) => op.f === 'read' && (op.info || isNil(op.value)),
  validate: (op) => (FS.includes(op.f) ? undefined : unknownF('register', op.f, FS)),
};
