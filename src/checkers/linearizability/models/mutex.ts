import type { Model } from '../model.js';
import { unknownF } from './ops.js';

const FS = ['acquire', 'release'];
const FREE = 0;
const LOCKED = 1;

/** A single lock (Knossos's Mutex): acquire needs it free, release needs it held. State 0 free, 1 locked. */
export const mutex: Model<number> = {
  name: 'mutex',
  doc: 'a lock: acquire needs it free, release needs it held',
  init: () => FREE,
  step(s, op) {
    if (op.f === 'acquire') return s === FREE ? LOCKED : undefined;
    return s === LOCKED ? FREE : undefined; // release
  },
  key: (s) => s,
  describe: (s) => (s === LOCKED ? 'locked' : 'free'),
  describeOp: (op) => op.f,
  shape: (f, v) => (f === 'acquire' || f === 'release') && (v === null || v === undefined),
  partitionable: true,
  validate: (op) => (FS.includes(op.f) ? undefined : unknownF('mutex', op.f, FS)),
};
