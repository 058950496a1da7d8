import { identity } from '../../history/identity.js';
import { fmtValue, type Op, type Process } from '../../history/op.js';
import type { Model, ModelOp } from './model.js';
import { showValue } from './models/value.js';

/** One client operation as the search and the witness see it (a view built from OpColumns). */
export interface LinOp {
  op: ModelOp;
  process: Process;
  /** History indices (Op.index) of the invocation and, for ok ops, the completion. */
  invokeIndex: number;
  completeIndex?: number;
  invokeTime: number;
  completeTime?: number;
  /** Order of invocation and ok completion in the history; retPos is Infinity for info. */
  callPos: number;
  retPos: number;
}

/**
 * Every client operation (an invocation with its completion, if any) in invocation order, one
 * column per field: no object per op beyond its ModelOp, so that the loaded history (Op objects,
 * [key, value] arrays) can be collected while the search runs. Index = operation number.
 */
export interface OpColumns {
  /** The op as the model sees it; undefined for ops dropped (fail, irrelevant). */
  mops: (ModelOp | undefined)[];
  process: Process[];
  invokeIndex: Float64Array;
  /** NaN when the op never completed. */
  completeIndex: Float64Array;
  invokeTime: Float64Array;
  /** NaN when the op never completed. */
  completeTime: Float64Array;
  /** 1 when the op completed ok (its outcome is known), else 0. */
  ok: Uint8Array;
}

export interface Partition {
  /** Display key (x, 3, "3" for the string), or undefined for an unkeyed history. */
  key?: string;
  /** This key's ops: operation numbers (indices into OpColumns), in invocation order. */
  ids: Int32Array;
}

export interface Prepared {
  keyed: boolean;
  columns: OpColumns;
  partitions: Partition[];
  /** Ops dropped because they constrain nothing (fail, nil reads, info reads). */
  dropped: number;
  clientOps: number;
}

export class ModelUsageError extends Error {}

/**
 * Jepsen's independent-key convention: value = [key, v]. A history is keyed when every client op has
 * that shape and not every op also reads as an unkeyed value (keyed-only models always are).
 */
export function detectKeyed(model: Model, pairs: Iterable<{ f: string; value: unknown }>): boolean {
  if (model.keyedOnly) return true;
  let any = false;
  let allPlain = true;
  for (const p of pairs) {
    any = true;
    const v = p.value;
    if (!Array.isArray(v) || v.length !== 2 || !model.shape(p.f, v[1])) return false;
    if (allPlain && !model.shape(p.f, v)) allPlain = false;
  }
  return any && !allPlain;
}

const FAIL = 0;
const OK = 1;
const INFO = 2;

/**
 * From a linted history to the partitions the search checks. Fail ops are dropped: they did not
 * happen. Pairs invocations with completions by process as pairOps does (history/pairs.ts), but
 * into columns: nothing built here refers to the history's Op objects except the values the model
 * keeps (register tokens are numbers and interned strings).
 */
export function prepare(history: readonly Op[], model: Model, keyedOpt: 'auto' | boolean = 'auto'): Prepared {
  let n = 0;
  for (const op of history) if (op.type === 'invoke' && op.process !== 'nemesis') n++;
  // Positions in `history` of each operation's invocation and completion (-1: none).
  const inv = new Int32Array(n);
  const done = new Int32Array(n).fill(-1);
  const open = new Map<Process, number>();
  let next = 0;
  for (let i = 0; i < history.length; i++) {
    const op = history[i];
    if (op.process === 'nemesis') continue;
    if (op.type === 'invoke') {
      inv[next] = i;
      open.set(op.process, next++);
    } else {
      const id = open.get(op.process);
      if (id === undefined) continue;
      open.delete(op.process);
      done[id] = i;
    }
  }
  const outcome = (id: number): number => {
    const c = done[id];
    if (c < 0) return INFO;
    const t = history[c].type;
    return t === 'ok' ? OK : t === 'fail' ? FAIL : INFO;
  };
  // The completed value: from the ok completion, else from the invocation (Jepsen's rule).
  const value = (id: number, kind: number): unknown => (kind === OK ? history[done[id]].value : history[inv[id]].value);
  function* live(): Generator<{ f: string; value: unknown }> {
    for (let id = 0; id < n; id++) {
      const kind = outcome(id);
      if (kind !== FAIL) yield { f: history[inv[id]].f, value: value(id, kind) };
    }
  }
  const keyed = keyedOpt === 'auto' ? detectKeyed(model, live()) : keyedOpt;

  const columns: OpColumns = {
    mops: new Array<ModelOp | undefined>(n).fill(undefined),
    process: new Array<Process>(n).fill(0),
    invokeIndex: new Float64Array(n),
    completeIndex: new Float64Array(n),
    invokeTime: new Float64Array(n),
    completeTime: new Float64Array(n),
    ok: new Uint8Array(n),
  };
  const keyOf = new Int32Array(n).fill(-1);
  const byKey = new Map<string, number>();
  const keys: (string | undefined)[] = [];
  const counts: number[] = [];
  let dropped = 0;
  for (let id = 0; id < n; id++) {
    const invoke = history[inv[id]];
    const complete = done[id] < 0 ? undefined : history[done[id]];
    columns.process[id] = invoke.process;
    columns.invokeIndex[id] = invoke.index;
    columns.invokeTime[id] = invoke.time;
    columns.completeIndex[id] = complete ? complete.index : NaN;
    columns.completeTime[id] = complete ? complete.time : NaN;
    const kind = outcome(id);
    if (kind === FAIL) {
      dropped++;
      continue;
    }
    let v = value(id, kind);
    let rawKey: unknown;
    let kid = '';
    if (keyed) {
      if (!Array.isArray(v) || v.length !== 2) {
        throw new ModelUsageError(`op at index ${invoke.index} has value ${fmtValue(v)}, not [key, value] as the other ops of this keyed history`);
      }
      // Keys compare by type and value (identity.ts): 1 and "1" are two keys, shown as 1 and "1".
      rawKey = v[0];
      kid = identity(rawKey);
      v = v[1];
    }
    let mop: ModelOp = { f: invoke.f, value: v, info: kind === INFO };
    const problem = model.validate?.(mop);
    if (problem) throw new ModelUsageError(`op at index ${invoke.index} (process ${invoke.process}): ${problem}`);
    if (model.prepare) mop = model.prepare(mop);
    if (model.irrelevant?.(mop)) {
      dropped++;
      continue;
    }
    columns.mops[id] = mop;
    columns.ok[id] = kind === OK ? 1 : 0;
    let k = byKey.get(kid);
    if (k === undefined) {
      k = keys.length;
      byKey.set(kid, k);
      keys.push(keyed ? showValue(rawKey) : undefined);
      counts.push(0);
    }
    keyOf[id] = k;
    counts[k]++;
  }
  const partitions: Partition[] = keys.map((key, k) => ({ key, ids: new Int32Array(counts[k]) }));
  const fill = new Int32Array(keys.length);
  for (let id = 0; id < n; id++) {
    const k = keyOf[id];
    if (k >= 0) partitions[k].ids[fill[k]++] = id;
  }
  return { keyed, columns, partitions, dropped, clientOps: n };
}

/** Operation `id` as a LinOp (for witnesses and for passes that want objects; the search reads the columns). */
export function linOp(c: OpColumns, id: number): LinOp {
  const ok = c.ok[id] === 1;
  const done = !Number.isNaN(c.completeIndex[id]);
  return {
    op: c.mops[id]!,
    process: c.process[id],
    invokeIndex: c.invokeIndex[id],
    ...(done ? { completeIndex: c.completeIndex[id], completeTime: c.completeTime[id] } : {}),
    invokeTime: c.invokeTime[id],
    // Lint guarantees strictly increasing indices, so they order the history as its positions do.
    callPos: c.invokeIndex[id],
    retPos: ok ? c.completeIndex[id] : Infinity,
  };
}
