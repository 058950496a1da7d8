import { fmtValue } from '../../../history/op.js';
import type { Model, ModelOp } from '../model.js';
import { bagAdd, bagKeyOf, EMPTY_BAG, showElements, type Bag } from './bag.js';
import { unknownF, withValue } from './ops.js';
import { canon, showCanon } from './value.js';

const FS = ['add', 'read'];

/**
 * Knossos's Set: add x, read returns the whole set (in any order). Prepared, an add's value is the
 * element's canonical text and a read's value the key of the set it saw; a read that lists an element
 * twice matches no state (a set holds each element once), so it is illegal everywhere.
 */
export const set: Model<Bag> = {
  name: 'set',
  doc: 'a set: add x, read returns every element; initially empty',
  init: () => EMPTY_BAG,
  step(s, op) {
    if (op.f === 'add') return bagAdd(s, op.value as string, true);
    return s.key === op.value ? s : undefined; // read
  },
  key: (s) => s.key,
  describe: (s) => showElements(s.items),
  describeOp(op) {
    if (op.f === 'add') return `add ${typeof op.value === 'string' ? showCanon(op.value) : fmtValue(op.value)}`;
    if (typeof op.value === 'string') return `read ${showElements(op.value === '' ? [] : op.value.split('\n'))}`;
    return `read ${Array.isArray(op.value) ? showElements(op.value.map(canon)) : 'nil'}`;
  },
  shape: (f, v) => (f === 'add' && !Array.isArray(v)) || (f === 'read' && (Array.isArray(v) || v === null || v === undefined)),
  partitionable: true,
  prepare(op) {
    if (op.f === 'add') return withValue(op, canon(op.value));
    if (Array.isArray(op.value)) return withValue(op, bagKeyOf(op.value.map(canon)));
    return op; // a read of nil
  },
  // A read of nil, or a read whose outcome is unknown, constrains nothing.
  irrelevant: (op) => op.f === 'read' && (op.info || op.value === null || op.value === undefined),
  validate(op: ModelOp) {
    if (!FS.includes(op.f)) return unknownF('set', op.f, FS);
    if (op.f === 'read' && !(Array.isArray(op.value) || op.value === null || op.value === undefined)) {
      return `set read value must be a list of elements or nil, got ${fmtValue(op.value)}`;
    }
    return undefined;
  },
};
