/**
 * monotonic-reads (Terry et al.'s session guarantee).
 *
 * Rule: a session's successive reads of a key never go back: a read invoked after an earlier read
 * of the same session completed holds every element the earlier one held (so never a shorter
 * prefix, never a lost element); on a register key it never returns an older value. Each read is
 * compared with the session's "high-water" read: the latest earlier read that held everything the
 * ones before it held, so a session that read a fresh replica once and then a stale one is caught
 * on every stale read, each with the pair of reads that proves it.
 *
 * Outcomes: only ok reads are evidence (a failed or timed-out read showed nothing); appends of any
 * outcome do not matter here. A register value nobody wrote cannot be ranked and is skipped.
 *
 * Anomaly: `monotonic-reads`: witness = the earlier read and the later read that lacks one of its
 * elements. Verdict unknown when no session read a key twice.
 */
import { fmtValue, type Op } from '../../history/op.js';
import type { CheckOptions, Verdict } from '../types.js';
import { AnomalyLog } from './anomaly-log.js';
import { elementsOf, holds, keyedHistory, sessionsOf, type ReadRec } from './keyed.js';
import { at, fmtKey, fmtList, fromNode, who, witness } from './say.js';
import { Budget, byCompletion, verdictOf } from './verdict.js';

export function checkMonotonicReads(history: readonly Op[], opts: CheckOptions = {}): Verdict {
  const kh = keyedHistory(history, opts.keyed);
  const log = new AnomalyLog();
  const budget = new Budget('monotonic-reads', opts);
  let checked = 0;
  for (const kd of kh.keys) {
    for (const so of sessionsOf(kd).values()) {
      const reads = so.reads.filter((r) => r.n >= 0);
      if (reads.length < 2) continue;
      const done = byCompletion(reads);
      let j = 0;
      let hw: ReadRec | undefined;
      for (const r of reads) {
        // Fold in the session's reads that completed before this one was invoked.
        while (j < done.length && done[j]!.pair.complete!.index < r.pair.invoke.index) {
          const x = done[j++]!;
          if (!hw || lacks(x, hw, budget) === undefined) hw = x;
        }
        if (!hw) continue;
        checked++;
        const missing = lacks(r, hw, budget);
        if (missing !== undefined) log.add(anomaly(hw, r, missing.e));
      }
    }
  }
  return verdictOf(log, checked, 'no session read the same key twice, so monotonic reads were never exercised',
    { readsChecked: checked, keys: kh.keys.length, ignored: kh.ignored, skippedKeys: kh.skipped.length }, budget);
}

/** An element `earlier` holds and `later` does not, or undefined. */
function lacks(later: ReadRec, earlier: ReadRec, budget: Budget): { e: unknown } | undefined {
  if (!later.div && !earlier.div) return later.n >= earlier.n ? undefined : { e: later.kd.order[later.n] };
  const es = elementsOf(earlier);
  if (!budget.spend(es.length)) return undefined;
  for (const e of es) if (holds(later, e) === false) return { e };
  return undefined;
}

function anomaly(a: ReadRec, b: ReadRec, e: unknown) {
  const k = fmtKey(a.kd.key);
  const explanation = a.kd.kind === 'list'
    ? `${who(b.pair)} read key ${k}${fromNode(a.pair)} at ${at(a.pair.invoke)} and got ${fmtList(a.list!)}, then read it${fromNode(b.pair)} at ${at(b.pair.invoke)} and got ${fmtList(b.list!)}, without ${fmtValue(e)}`
    : `${who(b.pair)} read ${fmtValue(a.value)} from key ${k}${fromNode(a.pair)} at ${at(a.pair.invoke)}, then read the older ${fmtValue(b.value)}${fromNode(b.pair)} at ${at(b.pair.invoke)}`;
  return { kind: 'monotonic-reads', ops: witness(a.pair, b.pair), explanation,
    data: { key: a.kd.key, element: e, nodes: [a.pair.node, b.pair.node], session: b.pair.session } };
}
