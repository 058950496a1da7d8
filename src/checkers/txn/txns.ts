/**
 * History -> transactions, for the Elle-style checkers.
 *
 * Pairs each `txn` invocation with its completion on the same process (nemesis ops and ops of any
 * other f are skipped). An ok transaction takes its micro-ops from the completion (the reads' values
 * are there); fail and info ones from the invocation, and an info transaction's reads are unknown
 * (null): it may have committed, but nothing it read was returned. An invocation that never
 * completed is info.
 *
 * Shape: the value must be a list of [f key value] micro-ops with f among the model's (append and r
 * for list-append, w and r for rw-register); a list-append read of an ok transaction must be a list
 * (or nil, the empty list); a value may be appended (written) to one key only once in the whole
 * history, fail transactions included, since every inference rests on knowing who wrote what; a
 * register write of nil is refused (nil is the initial state). Anything else throws TxnShapeError
 * naming the op's history index.
 *
 * Output is flat: one row per micro-op in typed arrays (key id, transaction, write or read) plus its
 * value, so inference walks numbers, not objects. Keys are interned to small ints.
 */
import { fmtValue, type Op, type Process } from '../../history/op.js';
import { stringifyExact } from '../../history/exact.js';
import type { MicroOp, Txn } from './types.js';
import { CheckerInputError } from '../types.js';

/** The history does not have the shape the checker needs; the message names the op and the problem. */
export class TxnShapeError extends CheckerInputError {
  override name = 'TxnShapeError';
}

export type TxnModel = 'list-append' | 'rw-register';

/**
 * A value's identity for Maps: primitives are themselves (the loader keeps integers canonical, so 5
 * and 5n never both occur); lists and maps become their exact JSON text, tagged so no string clashes.
 */
export function canon(v: unknown): unknown {
  return typeof v === 'object' && v !== null ? '\u0001' + stringifyExact(v) : v;
}

/** Two values (keys, elements, register values) are the same. */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && canon(a) === canon(b);
}

const EMPTY: readonly unknown[] = Object.freeze([]);

export interface TxnTable {
  model: TxnModel;
  txns: TxnRec[];
  /** Vertex id -> index into txns. */
  vertexTxn: Uint32Array;
  /** Global micro-op rows of txns[t]: mopStart[t] .. mopStart[t + 1]. */
  mopStart: Uint32Array;
  mopTxn: Uint32Array;
  mopKey: Uint32Array;
  /** 1 for append / w, 0 for r. */
  mopWrite: Uint8Array;
  /** The micro-op's value; an ok list-append read is always a list here (nil read as []); an info read is null. */
  mopValue: unknown[];
  /** Key id -> the key as first seen. */
  keys: unknown[];
  /** Per key id: canon(written value) -> micro-op row of its one writer (of any outcome). */
  writers: Map<unknown, number>[];
  /** Indices into txns of the ok transactions, in order of their completions. */
  okByCompletion: Uint32Array;
}

/** A transaction; its micro-ops are built on first use from the table's rows (a million of them cost nothing until asked). */
export class TxnRec implements Txn {
  id = -1;
  index: number;
  invokeIndex: number;
  process: Process;
  type: 'ok' | 'info' | 'fail';
  /** Position in TxnTable.txns. */
  readonly at: number;
  private cached: MicroOp[] | undefined;

  constructor(
    private readonly table: TxnTable,
    at: number,
    invoke: Op,
    complete: Op | undefined,
  ) {
    this.at = at;
    this.invokeIndex = invoke.index;
    this.index = complete ? complete.index : invoke.index;
    this.process = invoke.process;
    this.type = complete?.type === 'ok' ? 'ok' : complete?.type === 'fail' ? 'fail' : 'info';
  }

  get mops(): readonly MicroOp[] {
    if (this.cached) return this.cached;
    const t = this.table;
    const out: MicroOp[] = [];
    for (let m = t.mopStart[this.at]!; m < t.mopStart[this.at + 1]!; m++) {
      const f = t.mopWrite[m] ? (t.model === 'list-append' ? 'append' : 'w') : 'r';
      out.push({ f, key: t.keys[t.mopKey[m]!], value: t.mopValue[m] });
    }
    return (this.cached = out);
  }
}

class Growable {
  a: Uint32Array;
  n = 0;
  constructor(cap: number) {
    this.a = new Uint32Array(Math.max(16, cap));
  }
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Uint32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  done(): Uint32Array {
    return this.a.slice(0, this.n);
  }
}

/** Builds the transaction table; throws TxnShapeError when the history does not fit the model. */
export function buildTxnTable(history: readonly Op[], model: TxnModel): TxnTable {
  const write = model === 'list-append' ? 'append' : 'w';
  // Pair invocations and completions per process.
  const invokes: Op[] = [];
  const completes: (Op | undefined)[] = [];
  const open = new Map<Process, number>();
  const oks = new Growable(1024); // ok completions, in history order
  for (const op of history) {
    if (op.process === 'nemesis' || op.f !== 'txn') continue;
    if (op.type === 'invoke') {
      open.set(op.process, invokes.length);
      invokes.push(op);
      completes.push(undefined);
    } else {
      const t = open.get(op.process);
      if (t === undefined) continue; // an orphan completion (lint reports it)
      open.delete(op.process);
      completes[t] = op;
      if (op.type === 'ok') oks.push(t);
    }
  }

  const n = invokes.length;
  // Each transaction's micro-ops: the ok completion's, else the invocation's. Counted first, so the
  // row arrays are allocated once, at their size.
  const sources = new Array<Op>(n);
  let rows = 0;
  for (let t = 0; t < n; t++) {
    const comp = completes[t];
    const src = comp?.type === 'ok' ? comp : invokes[t]!;
    if (!Array.isArray(src.value)) throw new TxnShapeError(`op ${src.index}'s value ${fmtValue(src.value)} is not a list of micro-ops`);
    sources[t] = src;
    rows += src.value.length;
  }
  const table: TxnTable = {
    model,
    txns: new Array<TxnRec>(n),
    vertexTxn: new Uint32Array(0),
    mopStart: new Uint32Array(n + 1),
    mopTxn: new Uint32Array(rows),
    mopKey: new Uint32Array(rows),
    mopWrite: new Uint8Array(rows),
    mopValue: new Array<unknown>(rows),
    keys: [],
    writers: [],
    okByCompletion: oks.done(),
  };
  const { mopTxn, mopKey, mopWrite, mopValue } = table;
  const keyId = new Map<unknown, number>();
  const vertices = new Growable(n);
  let m = 0;
  for (let t = 0; t < n; t++) {
    const txn = new TxnRec(table, t, invokes[t]!, completes[t]);
    table.txns[t] = txn;
    if (txn.type !== 'fail') {
      txn.id = vertices.n;
      vertices.push(t);
    }
    const src = sources[t]!;
    const value = src.value as unknown[];
    table.mopStart[t] = m;
    for (let i = 0; i < value.length; i++) {
      const mop: unknown = value[i];
      if (!Array.isArray(mop) || mop.length !== 3 || typeof mop[0] !== 'string') {
        throw new TxnShapeError(`op ${src.index}'s micro-op ${fmtValue(mop)} is not [f key value]`);
      }
      const f = mop[0];
      const isWrite = f === write;
      if (!isWrite && f !== 'r') throw new TxnShapeError(`op ${src.index}'s micro-op ${fmtValue(mop)} is neither ${write} nor r, as ${model} needs`);
      const ck = canon(mop[1]);
      let k = keyId.get(ck);
      if (k === undefined) {
        k = table.keys.length;
        keyId.set(ck, k);
        table.keys.push(mop[1]);
        table.writers.push(new Map());
      }
      let v: unknown = mop[2];
      if (isWrite) {
        if (v === null && model === 'rw-register') {
          throw new TxnShapeError(`op ${src.index} writes nil to key ${fmtValue(mop[1])}, but nil is every register's initial state`);
        }
        const w = table.writers[k]!;
        const cv = canon(v);
        const prev = w.get(cv);
        if (prev !== undefined) {
          const other = table.txns[mopTxn[prev]!]!;
          const where = other.at === t ? 'earlier in the same transaction' : `op ${sources[other.at]!.index} did too`;
          throw new TxnShapeError(
            `op ${src.index} ${model === 'list-append' ? 'appends' : 'writes'} ${fmtValue(v)} to key ${fmtValue(mop[1])} and ${where}, but values must be unique per key`,
          );
        }
        w.set(cv, m);
      } else if (txn.type !== 'ok') {
        v = null; // unknown: a fail or info transaction returned no reads
      } else if (model === 'list-append') {
        if (v === null) v = EMPTY;
        else if (!Array.isArray(v)) throw new TxnShapeError(`op ${src.index} reads key ${fmtValue(mop[1])} as ${fmtValue(v)}, which is not a list`);
      }
      mopTxn[m] = t;
      mopKey[m] = k;
      mopWrite[m] = isWrite ? 1 : 0;
      mopValue[m] = v;
      m++;
    }
  }
  table.mopStart[n] = m;
  table.vertexTxn = vertices.done();
  return table;
}

/** Whether rows lo..hi touch some key twice. */
export function repeatsKey(mopKey: Uint32Array, lo: number, hi: number): boolean {
  if (hi - lo < 2) return false;
  if (hi - lo <= 16) {
    for (let a = lo; a < hi; a++) for (let b = a + 1; b < hi; b++) if (mopKey[a] === mopKey[b]) return true;
    return false;
  }
  const seen = new Set<number>();
  for (let a = lo; a < hi; a++) {
    if (seen.has(mopKey[a]!)) return true;
    seen.add(mopKey[a]!);
  }
  return false;
}

/** Per row: 1 for a write (append) followed by another write to the same key in the same transaction. */
export function intermediateWrites(t: TxnTable): Uint8Array {
  const out = new Uint8Array(t.mopValue.length);
  const { mopStart, mopWrite, mopKey } = t;
  for (let x = 0; x < t.txns.length; x++) {
    const lo = mopStart[x]!;
    const hi = mopStart[x + 1]!;
    if (hi - lo < 2) continue;
    if (hi - lo <= 16) {
      for (let a = lo; a < hi; a++) {
        if (!mopWrite[a]) continue;
        for (let b = a + 1; b < hi; b++) {
          if (mopWrite[b] && mopKey[b] === mopKey[a]) {
            out[a] = 1;
            break;
          }
        }
      }
    } else {
      const last = new Map<number, number>();
      for (let a = lo; a < hi; a++) {
        if (!mopWrite[a]) continue;
        const prev = last.get(mopKey[a]!);
        if (prev !== undefined) out[prev] = 1;
        last.set(mopKey[a]!, a);
      }
    }
  }
  return out;
}
