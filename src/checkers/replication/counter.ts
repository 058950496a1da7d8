/**
 * counter: Jepsen's counter checker. `add v` adds the number v; `read` returns the counter (which
 * starts at 0).
 *
 * Rule: every ok read lies between the sum of the adds that certainly happened before it began and
 * the sum of the adds that may have happened before it ended. The whole history is known, so each
 * add's outcome is known at its invocation (as Jepsen looks ahead to the completion):
 * - a failed add did not happen and never counts, not even while it is pending;
 * - an ok add certainly happened once it completed, and may have happened from its invocation;
 * - an info add (or one that never completed) may have happened from its invocation on, or never.
 * So, for adds v >= 0: lower bound = sum of ok adds completed before the read was invoked; upper
 * bound = sum of ok and info adds invoked before the read completed. Jepsen refuses negative adds;
 * here they are the mirror image: an ok or info negative add invoked before the read completed may
 * have lowered it (it lowers the lower bound), an ok negative add completed before the read was
 * invoked certainly did (it lowers the upper bound). Each read is checked against its own bounds,
 * as in Jepsen: a value inside them that no subset of the adds can sum to is not caught.
 *
 * Anomalies: `read-too-low`, `read-too-high`: witness = the read. A history with no completed read
 * is valid as in Jepsen (nothing contradicts it) and says so in stats.note; the stats checker
 * turns such a run into unknown. Ops of other shapes are ignored and counted.
 */
import { addExact } from '../../history/exact.js';
import { fmtValue, type Op, type Process } from '../../history/op.js';
import type { CheckOptions, Verdict } from '../types.js';
import { AnomalyLog } from './anomaly-log.js';
import type { OpPair } from '../../history/pairs.js';
import { pairsOf } from './pairs-cache.js';
import { fromNode, when, who, witness } from './say.js';

export function checkCounter(history: readonly Op[], _opts: CheckOptions = {}): Verdict {
  const log = new AnomalyLog();
  // Invocations of adds that failed: they never count.
  const failed = new Set<Op>();
  for (const p of pairsOf(history)) if (p.f === 'add' && p.type === 'fail') failed.add(p.invoke);
  // Sums are exact (exact.ts): a bigint once beyond 2^53, so a read is never judged against a rounded bound.
  type N = number | bigint;
  const open = new Map<Process, { f: 'add' | 'read'; v: N; posDone: N; negDone: N; inv: Op }>();
  let posDone: N = 0; // ok adds v >= 0, completed
  let posStarted: N = 0; // ok or info adds v >= 0, invoked
  let negDone: N = 0; // ok adds v < 0, completed
  let negStarted: N = 0; // ok or info adds v < 0, invoked
  let reads = 0;
  const adds = { ok: 0, fail: 0, info: 0 };
  const ignored: Record<string, number> = {};
  for (const op of history) {
    if (op.process === 'nemesis') continue;
    if (op.type === 'invoke') {
      if (op.f === 'add' && (typeof op.value === 'bigint' || (typeof op.value === 'number' && Number.isFinite(op.value)))) {
        const v = op.value;
        if (!failed.has(op)) {
          if (v >= 0) posStarted = addExact(posStarted, v);
          else negStarted = addExact(negStarted, v);
        }
        open.set(op.process, { f: 'add', v, posDone, negDone, inv: op });
      } else if (op.f === 'read') open.set(op.process, { f: 'read', v: 0, posDone, negDone, inv: op });
      else {
        open.delete(op.process);
        ignored[op.f] = (ignored[op.f] ?? 0) + 1;
      }
      continue;
    }
    const o = open.get(op.process);
    if (!o) continue;
    open.delete(op.process);
    if (o.f === 'add') {
      if (op.type === 'ok') {
        adds.ok++;
        if (o.v >= 0) posDone = addExact(posDone, o.v);
        else negDone = addExact(negDone, o.v);
      } else if (op.type === 'fail') adds.fail++;
      else adds.info++;
      continue;
    }
    if (op.type !== 'ok') continue;
    if (typeof op.value !== 'number' && typeof op.value !== 'bigint') {
      ignored.read = (ignored.read ?? 0) + 1;
      continue;
    }
    reads++;
    const p: OpPair = {
      type: 'ok',
      process: op.process,
      f: op.f,
      value: op.value,
      invoke: o.inv,
      complete: op,
      session: op.session ?? o.inv.session ?? op.process,
      node: op.node ?? o.inv.node,
    };
    const v = op.value;
    const lower = addExact(o.posDone, negStarted);
    const upper = addExact(posStarted, o.negDone);
    const read = `${who(p)} read the counter${fromNode(p)} at ${when(p.invoke)} and got ${fmtValue(v)}`;
    if (v < lower) {
      const why =
        negStarted === 0
          ? `the adds acknowledged before that read began already sum to ${o.posDone}`
          : `it cannot be below ${lower}: the positive adds acknowledged before that read began sum to ${o.posDone}, ` +
            `and the negative adds that may have happened before it ended (ok or info) to ${negStarted}`;
      log.add({ kind: 'read-too-low', ops: witness(p), explanation: `${read}, but ${why}`, data: { value: v, lower, upper } });
    } else if (v > upper) {
      const why =
        o.negDone === 0
          ? `the adds that may have happened before that read ended (ok or info, not failed) sum to at most ${posStarted}`
          : `it cannot be above ${upper}: the positive adds that may have happened before that read ended (ok or info, not failed) sum to ${posStarted}, ` +
            `and the negative adds acknowledged before it began to ${o.negDone}`;
      log.add({ kind: 'read-too-high', ops: witness(p), explanation: `${read}, but ${why}`, data: { value: v, lower, upper } });
    }
  }
  const stats: Record<string, unknown> = {
    reads,
    adds,
    lowerBound: addExact(posDone, negStarted),
    upperBound: addExact(posStarted, negDone),
    ignored,
    anomalies: log.counts,
  };
  if (reads === 0) stats.note = 'no read completed: nothing was compared with the bounds';
  if (log.total > 0) return { valid: false, anomalies: log.list, stats };
  if (reads === 0 && adds.ok + adds.fail + adds.info === 0)
    return { valid: 'unknown', anomalies: [], cause: 'the history has no counter adds or reads', stats };
  return { valid: true, anomalies: [], stats };
}
