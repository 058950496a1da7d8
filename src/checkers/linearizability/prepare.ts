import { identity } from '../../history/identity.js';
import { fmtValue, type Op, type Process } from '../../history/op.js';
import { pairOps } from '../../history/pairs.js';
import type { Model, ModelOp } from './model.js';
import { showValue } from './models/value.js';

/** One client operation as the search sees it. */
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

export interface Partition {
  /** Display key (x, 3, "3" for the string), or undefined for an unkeyed history. */
  key?: string;
  ops: LinOp[];
}

export interface Prepared {
  keyed: boolean;
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
export function detectKeyed(model: Model, pairs: { f: string; value: unknown }[]): boolean {
  if (model.keyedOnly) return true;
  if (pairs.length === 0) return false;
  let allPlain = true;
  for (const p of pairs) {
    const v = p.value;
    if (!Array.isArray(v) || v.length !== 2 || !model.shape(p.f, v[1])) return false;
    if (allPlain && !model.shape(p.f, v)) allPlain = false;
  }
  return !allPlain;
}

/** From a linted history to the partitions the search checks. Fail ops are dropped: they did not happen. */
export function prepare(history: readonly Op[], model: Model, keyedOpt: 'auto' | boolean = 'auto'): Prepared {
  const pairs = pairOps(history);
  const live = pairs.filter((p) => p.type !== 'fail');
  const keyed = keyedOpt === 'auto' ? detectKeyed(model, live) : keyedOpt;
  const byKey = new Map<string, Partition>();
  let dropped = pairs.length - live.length;
  for (const p of live) {
    let value = p.value;
    let rawKey: unknown;
    let id = '';
    if (keyed) {
      if (!Array.isArray(value) || value.length !== 2) {
        throw new ModelUsageError(`op at index ${p.invoke.index} has value ${fmtValue(value)}, not [key, value] as the other ops of this keyed history`);
      }
      // Keys compare by type and value (identity.ts): 1 and "1" are two keys, shown as 1 and "1".
      rawKey = value[0];
      id = identity(rawKey);
      value = value[1];
    }
    let mop: ModelOp = { f: p.f, value, info: p.type === 'info' };
    const problem = model.validate?.(mop);
    if (problem) throw new ModelUsageError(`op at index ${p.invoke.index} (process ${p.process}): ${problem}`);
    if (model.prepare) mop = model.prepare(mop);
    if (model.irrelevant?.(mop)) {
      dropped++;
      continue;
    }
    const ok = p.type === 'ok';
    const lop: LinOp = {
      op: mop,
      process: p.process,
      invokeIndex: p.invoke.index,
      invokeTime: p.invoke.time,
      completeIndex: p.complete?.index,
      completeTime: p.complete?.time,
      // Lint guarantees strictly increasing indices, so they order the history as its positions do.
      callPos: p.invoke.index,
      retPos: ok ? p.complete!.index : Infinity,
    };
    let part = byKey.get(id);
    if (!part) {
      part = { key: keyed ? showValue(rawKey) : undefined, ops: [] };
      byKey.set(id, part);
    }
    part.ops.push(lop);
  }
  return { keyed, partitions: [...byKey.values()], dropped, clientOps: pairs.length };
}
