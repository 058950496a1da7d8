import { fmtValue } from '../../../history/op.js';
import type { Model, ModelOp } from '../model.js';
import { unknownF } from './ops.js';

const FS = ['get', 'put', 'append'];

const isStringOrNil = (v: unknown): boolean => typeof v === 'string' || v === null || v === undefined;

/**
 * A key-value store of strings, always keyed ([key, v]): the checker splits the history by key, so
 * the state is one key's string. A key starts empty; nil and "" are the same value here, and a get
 * of nil constrains nothing.
 */
export const kv: Model<string> = {
  name: 'kv',
  doc: 'string per key (get, put, append), values [key, v], keys start empty',
  init: () => '',
  step(s, op) {
    switch (op.f) {
      case 'put':
        return op.value as string;
      case 'append':
        return s + (op.value as string);
      default:
        return s === op.value ? s : undefined; // get
    }
  },
  key: (s) => s,
  describe: (s) => JSON.stringify(s),
  describeOp: (op) => `${op.f} ${op.value === null || op.value === undefined ? 'nil' : JSON.stringify(op.value)}`,
  shape: (f, v) => FS.includes(f) && isStringOrNil(v),
  partitionable: true,
  keyedOnly: true,
  // Appends grow the state: hashing it for the memo on every step cost more than the search itself.
  cacheSteps: true,
  // A get of nil, or a get whose outcome is unknown, constrains nothing.
  irrelevant: (op) => op.f === 'get' && (op.info || op.value === null || op.value === undefined),
  validate(op: ModelOp) {
    if (!FS.includes(op.f)) return unknownF('kv', op.f, FS);
    if (op.f === 'get' ? !isStringOrNil(op.value) : typeof op.value !== 'string') {
      return `kv ${op.f} value must be a string${op.f === 'get' ? ' or nil' : ''}, got ${fmtValue(op.value)}`;
    }
    return undefined;
  },
};
