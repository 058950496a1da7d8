import { fmtValue } from '../../../history/op.js';
import type { Model, ModelOp } from '../model.js';
import { unknownF, withValue } from './ops.js';
import { isNil, NIL, show, token, type Token } from './value.js';

const FS = ['read', 'write', 'cas'];

function isPair(v: unknown): v is [unknown, unknown] {
  return Array.isArray(v) && v.length === 2;
}

/**
 * A compare-and-set register starting at nil (Knossos's CASRegister): cas [from, to] needs the
 * register to hold from. The state is the value's token; a prepared cas value is [from, to] as tokens.
 */
export const casRegister: Model<Token> = {
  name: 'cas-register',
  doc: 'compare-and-set register (read, write, cas [from to]), initially nil',
  init: () => NIL,
  step(s, op) {
    switch (op.f) {
      case 'write':
        return op.value as Token;
      case 'cas': {
        const v = op.value as readonly Token[];
        return s === v[0] ? v[1] : undefined;
      }
      default:
        return s === op.value ? s : undefined; // read
    }
  },
  key: (s) => s,
  describe: show,
  describeOp(op) {
    if (op.f === 'cas' && isPair(op.value)) return `cas ${show(op.value[0])}->${show(op.value[1])}`;
    return `${op.f} ${show(op.value)}`;
  },
  shape(f, v) {
    if (f === 'cas') return isPair(v) && !Array.isArray(v[0]) && !Array.isArray(v[1]);
    return (f === 'read' || f === 'write') && !Array.isArray(v);
  },
  partitionable: true,
  prepare(op) {
    if (op.f === 'cas') return withValue(op, [token((op.value as unknown[])[0]), token((op.value as unknown[])[1])]);
    return withValue(op, token(op.value));
  },
  // Knossos: a read of nil (unknown) constrains nothing; nor does a read whose outcome is unknown.
  irrelevant: (op) => op.f === 'read' && (op.info || isNil(op.value)),
  validate(op: ModelOp) {
    if (!FS.includes(op.f)) return unknownF('cas-register', op.f, FS);
    if (op.f === 'cas' && !isPair(op.value)) return `cas value must be [from, to], got ${fmtValue(op.value)}`;
    return undefined;
  },
};
