/**
 * counter: Jepsen's counter checker. `add v` adds the number v; `read` returns the counter (which
 * starts at 0).
 *
 * Rule: every ok read lies between the sum of the adds that certainly happened before it began and
 * the sum of the adds that may have happened before it ended. Walking the history in order: an add's
 * invocation raises the upper bound by v (lowers the lower bound when v < 0), its ok raises the lower
 * bound (lowers the upper bound when v < 0), its fail takes the invocation's change back (it did not
 * happen); an info add stays possible forever. A read must be >= the lower bound at its invocation
 * and <= the upper bound at its completion.
 *
 * Anomalies: `read-too-low`, `read-too-high`: witness = the read. A history with no completed read
 * is valid as in Jepsen (nothing contradicts it) and says so in stats.note; the stats checker
 * turns such a run into unknown. Ops of other shapes are ignored and counted.
 */
import { addExact, negExact } from '../../history/exact.js';
import { fmtValue, type Op, type Process } from '../../history/op.js';
import type { CheckOptions, Verdict } from '../types.js';
import { AnomalyLog } from './anomaly-log.js';
import type { OpPair } from '../../history/pairs.js';
import { at, fromNode, who, witness } from './say.js';

export function checkCounter(history: readonly Op[], _opts: CheckOptions = {}): Verdict {
  const log = new AnomalyLog();
  // Sums are exact (exact.ts): a bigint once beyond 2^53, so a read is never judged against a rounded bound.
  const open = new Map<Process, { f: 'add' | 'read'; v: number | bigint; lowerAtInvoke: number | bigint; inv: Op }>();
  let lower: number | bigint = 0;
  let upper: number | bigint = 0;
  let reads = 0;
  const adds = { ok: 0, fail: 0, info: 0 };
  const ignored: Record<string, number> = {};
  for (const op of history) {
    if (op.process === 'nemesis') continue;
    if (op.type === 'invoke') {
      if (op.f === 'add' && (typeof op.value === 'bigint' || (typeof op.value === 'number' && Number.isFinite(op.value)))) {
        const v = op.value;
        if (v >= 0) upper = addExact(upper, v); else lower = addExact(lower, v);
        open.set(op.process, { f: 'add', v, lowerAtInvoke: lower, inv: op });
      } else if (op.f === 'read') open.set(op.process, { f: 'read', v: 0, lowerAtInvoke: lower, inv: op });
      else { open.delete(op.process); ignored[op.f] = (ignored[op.f] ?? 0) + 1; }
      continue;
    }
    const o = open.get(op.process);
    if (!o) continue;
    open.delete(op.process);
    if (o.f === 'add') {
      if (op.type === 'ok') { adds.ok++; if (o.v >= 0) lower = addExact(lower, o.v); else upper = addExact(upper, o.v); }
      else if (op.type === 'fail') { adds.fail++; if (o.v >= 0) upper = addExact(upper, negExact(o.v)); else lower = addExact(lower, negExact(o.v)); }
      else adds.info++;
      continue;
    }
    if (op.type !== 'ok') continue;
    if (typeof op.value !== 'number' && typeof op.value !== 'bigint') { ignored.read = (ignored.read ?? 0) + 1; continue; }
    reads++;
    const p: OpPair = { type: 'ok', process: op.process, f: op.f, value: op.value, invoke: o.inv, complete: op,
      session: op.session ?? o.inv.session ?? op.process, node: op.node ?? o.inv.node };
    const v = op.value;
    if (v < o.lowerAtInvoke) {
      log.add({ kind: 'read-too-low', ops: witness(p),
        explanation: `${who(p)} read the counter${fromNode(p)} at ${at(p.invoke)} and got ${fmtValue(v)}, but the adds acknowledged before that read began already sum to ${o.lowerAtInvoke}`,
        data: { value: v, lower: o.lowerAtInvoke, upper } });
    } else if (v > upper) {
      log.add({ kind: 'read-too-high', ops: witness(p),
        explanation: `${who(p)} read the counter${fromNode(p)} at ${at(p.invoke)} and got ${fmtValue(v)}, but all adds attempted before that read ended sum to at most ${upper}`,
        data: { value: v, lower: o.lowerAtInvoke, upper } });
    }
  }
  const stats: Record<string, unknown> = { reads, adds, lowerBound: lower, upperBound: upper, ignored, anomalies: log.counts };
  if (reads === 0) stats.note = 'no read completed: nothing was compared with the bounds';
  if (log.total > 0) return { valid: false, anomalies: log.list, stats };
  if (reads === 0 && adds.ok + adds.fail + adds.info === 0) return { valid: 'unknown', anomalies: [], cause: 'the history has no counter adds or reads', stats };
  return { valid: true, anomalies: [], stats };
}
