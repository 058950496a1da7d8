import { fmtTime } from '../../history/op.js';
import type { Anomaly } from '../types.js';
import type { Model } from './model.js';
import type { LinOp, Partition } from './prepare.js';
import type { LinWitness } from './index.js';
import type { PartitionSearch } from './search.js';

export function who(o: LinOp, model: Model): string {
  return `process ${o.process}'s ${model.describeOp(o.op)}`;
}

export function when(o: LinOp): string {
  // Knossos histories carry no times (they load as 0): then the index alone locates the op.
  if (o.invokeTime === 0 && !o.completeTime) return `history index ${o.invokeIndex}`;
  const done = o.completeTime !== undefined ? `, completed at ${fmtTime(o.completeTime)}` : '';
  return `history index ${o.invokeIndex}, invoked at ${fmtTime(o.invokeTime)}${done}`;
}

function orList(xs: string[]): string {
  if (xs.length <= 1) return xs[0] ?? '';
  return `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`;
}

/** The witness of an illegal partition and the one sentence a reviewer reads. */
export function explainStuck(model: Model, part: Partition, search: PartitionSearch): { anomaly: Anomaly; witness: LinWitness } {
  const stuck = search.witness()!;
  const op = (id: number) => search.op(id);
  const bad = op(stuck.op);
  const states = stuck.states.map((s) => model.describe(s));
  const prefix = stuck.prefix.map((id) => op(id).invokeIndex);
  const where = part.key !== undefined ? `On key ${part.key}, ` : '';
  const lastId = stuck.prefix[stuck.prefix.length - 1];
  const after =
    lastId === undefined
      ? 'from the initial state'
      : `after the longest linearizable order found (${prefix.length} op${prefix.length === 1 ? '' : 's'}, ` +
        `ending with ${who(op(lastId), model)} at index ${op(lastId).invokeIndex})`;
  const explanation =
    `${where}${who(bad, model)} (${when(bad)}) cannot be linearized: ${after}, ` +
    `the ${model.name} could only be ${orList(states)}, and ${model.describeOp(bad.op)} is not legal there.`;
  const witnessOps = [bad.invokeIndex];
  if (bad.completeIndex !== undefined) witnessOps.push(bad.completeIndex);
  return {
    anomaly: { kind: 'nonlinearizable', ops: witnessOps, explanation, data: { key: part.key, states, prefixLength: prefix.length } },
    witness: { key: part.key, op: bad.invokeIndex, prefix, states },
  };
}
