import { fmtValue } from '../../../history/op.js';
import type { Model, ModelOp } from '../model.js';
import { unknownF, withValue } from './ops.js';
import { NIL, show, token, type Token } from './value.js';

/**
 * Registers by name; a state lists the registers whose value is known, sorted by name, with its
 * memo key. A name absent from `names` is unknown (the default model) or nil (an explicit initial map).
 */
export interface Registers {
  readonly names: readonly Token[];
  readonly vals: readonly Token[];
  readonly key: string;
}

/** A prepared micro-op: write (or read) register k; a read of NIL constrains nothing. */
export interface MicroOp {
  readonly write: boolean;
  readonly k: Token;
  readonly v: Token;
}

const MICRO_FS: Record<string, boolean> = { read: false, r: false, write: true, w: true };

function registers(names: readonly Token[], vals: readonly Token[]): Registers {
  return { names, vals, key: JSON.stringify([names, vals]) };
}

// Numbers before strings, each in their own order: a total order on names.
function before(a: Token, b: Token): boolean {
  if (typeof a === typeof b) return a < b;
  return typeof a === 'number';
}

function isMicroOp(m: unknown): m is unknown[] {
  return (
    Array.isArray(m) &&
    (m.length === 2 || m.length === 3) &&
    typeof m[0] === 'string' &&
    m[0] in MICRO_FS &&
    (typeof m[1] === 'string' || typeof m[1] === 'number' || typeof m[1] === 'bigint')
  );
}

function prepareTxn(value: unknown): MicroOp[] {
  return (value as unknown[][]).map((m) => ({ write: MICRO_FS[m[0] as string], k: token(m[1]), v: token(m[2]) }));
}

/**
 * Knossos's MultiRegister: f txn, value a list of [read|write, name, v] micro-ops applied in order;
 * a read of nil constrains nothing. Knossos takes the initial values as a map; with none given,
 * every register starts unknown and the first read or write of it fixes it (so a history is accepted
 * exactly when some initial map makes it linearizable). That is what the conformance history needs:
 * it reads x=0 and y=0 before anything writes 0, which Knossos's test passes as the map {x 0, y 0}.
 */
export function makeMultiRegister(initial?: Record<string, unknown>): Model<Registers> {
  // With an explicit initial map, absent registers hold nil, as in Knossos.
  const absentIsNil = initial !== undefined;
  let start = registers([], []);
  if (initial) {
    const entries = Object.entries(initial).map(([k, v]) => [token(k), token(v)] as const);
    entries.sort((a, b) => (before(a[0], b[0]) ? -1 : 1));
    start = registers(
      entries.map((e) => e[0]),
      entries.map((e) => e[1]),
    );
  }
  return {
    name: 'multi-register',
    doc: 'registers by name, f txn over [[read|write name v] ...] micro-ops; unwritten registers start unknown',
    init: () => start,
    step(s, op) {
      const txn = op.value as readonly MicroOp[];
      let names = s.names;
      let vals = s.vals;
      let copied = false;
      for (let t = 0; t < txn.length; t++) {
        const m = txn[t];
        // In an info txn the read values come from the invocation: they are not results.
        if (!m.write && (op.info || m.v === NIL)) continue;
        let i = 0;
        while (i < names.length && before(names[i], m.k)) i++;
        if (i < names.length && names[i] === m.k) {
          if (vals[i] === m.v) continue;
          if (!m.write) return undefined;
          if (!copied) {
            names = names.slice();
            vals = vals.slice();
            copied = true;
          }
          (vals as Token[])[i] = m.v;
        } else {
          if (!m.write && absentIsNil) return undefined; // m.v is not nil here
          if (!copied) {
            names = names.slice();
            vals = vals.slice();
            copied = true;
          }
          (names as Token[]).splice(i, 0, m.k);
          (vals as Token[]).splice(i, 0, m.v);
        }
      }
      return copied ? registers(names, vals) : s;
    },
    key: (s) => s.key,
    describe(s) {
      if (s.names.length === 0) return absentIsNil ? 'all nil' : 'all unknown';
      return s.names.map((k, i) => `${show(k)}=${show(s.vals[i])}`).join(' ');
    },
    describeOp(op) {
      const txn = op.value as readonly (MicroOp | unknown[])[];
      if (!Array.isArray(txn)) return `${op.f} ${show(txn)}`;
      const parts = txn.map((m) =>
        Array.isArray(m) ? `${MICRO_FS[m[0] as string] ? 'w' : 'r'} ${show(m[1])} ${show(m[2])}` : `${m.write ? 'w' : 'r'} ${show(m.k)} ${show(m.v)}`,
      );
      return `txn [${parts.join(', ')}]`;
    },
    shape: (f, v) => f === 'txn' && Array.isArray(v) && v.every(isMicroOp),
    partitionable: false,
    prepare: (op) => withValue(op, prepareTxn(op.value)),
    // A txn that writes nothing and reads nothing known (or whose outcome is unknown) constrains nothing.
    irrelevant: (op) => (op.value as MicroOp[]).every((m) => !m.write && (op.info || m.v === NIL)),
    validate(op: ModelOp) {
      if (op.f !== 'txn') return unknownF('multi-register', op.f, ['txn']);
      if (!Array.isArray(op.value)) return `txn value must be a list of [read|write, name, value] micro-ops, got ${fmtValue(op.value)}`;
      const bad = op.value.findIndex((m) => !isMicroOp(m));
      if (bad >= 0) return `txn micro-op ${bad + 1} must be [read|write, name, value] with a string or number name, got ${fmtValue(op.value[bad])}`;
      return undefined;
    },
  };
}

export const multiRegister = makeMultiRegister();
