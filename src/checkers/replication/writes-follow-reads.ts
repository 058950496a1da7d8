/**
 * writes-follow-reads (Terry et al.'s session guarantee), as far as single-key reads can observe it.
 *
 * Rule: if a session read key k (ok) and then appended b to k, b is ordered after everything that
 * read showed: every read of k that holds b holds each element of the session's read, before b.
 * For each append b (ok or info: an info append that shows up took effect after the read) the
 * read is the session's latest ok read of k completed before b was invoked.
 *
 * What is not observable, and so not checked: reads of one key followed by writes of another (no
 * read shows two keys), and register keys (a single writer with increasing values orders its
 * versions by construction). When every read is a prefix of the key's order the guarantee holds by
 * itself, so anomalies come with divergence: a read on one branch followed by an append that
 * landed on another. Fail appends did not happen; an append that the session's own read already
 * showed (a duplicate element) is skipped.
 *
 * Anomaly: `writes-follow-reads`: witness = the session's read, its append b, and the read that
 * holds b without an element of the session's read (or with it after b). Verdict unknown when no
 * read showed an append that followed a read of the same session and key.
 */
import { fmtValue, type Op } from '../../history/op.js';
import type { CheckOptions, Verdict } from '../types.js';
import { AnomalyLog } from './anomaly-log.js';
import { coverers, elementsOf, holds, keyedHistory, sessionsOf, type KeyData, type ReadRec, type WriteRec } from './keyed.js';
import { at, fmtKey, fmtList, fromNode, who, witness } from './say.js';
import { Budget, byCompletion, verdictOf } from './verdict.js';

export function checkWritesFollowReads(history: readonly Op[], opts: CheckOptions = {}): Verdict {
  const kh = keyedHistory(history, opts.keyed);
  const log = new AnomalyLog();
  const budget = new Budget('writes-follow-reads', opts);
  let checked = 0;
  let registerKeys = 0;
  for (const kd of kh.keys) {
    if (kd.kind === 'register') { registerKeys++; continue; }
    const pred = priorReads(kd);
    if (pred.size === 0) continue;
    const reported = new Set<WriteRec>();
    const cover = coverers(kd);
    // Prefix reads holding b hold exactly the order up to b: each element of R must come before b.
    for (const [b, R] of pred) {
      if (b.pos < 0) continue;
      checked++;
      if (!R.div) continue; // R is a prefix of the order and b is not in it: b comes after all of R
      if (!budget.spend(R.n)) break;
      for (const e of R.list!) {
        const p = kd.pos.get(e);
        if (p !== undefined && p < b.pos) continue;
        reported.add(b);
        log.add(anomaly(R, b, cover[b.pos]!, e));
        break;
      }
    }
    for (const x of kd.reads) {
      if (!x.div) continue;
      const list = x.list!;
      for (let j = 0; j < list.length; j++) {
        const b = kd.writer.get(list[j]);
        const R = b && pred.get(b);
        if (!R || reported.has(b)) continue;
        checked++;
        // Fast path: x agrees with the order up to its fork, and R is a prefix of the order.
        if (!R.div && x.fork >= R.n && j >= R.n) continue;
        const es = elementsOf(R);
        if (!budget.spend(es.length)) break;
        for (const e of es) {
          const i = x.at!.get(e);
          if (i !== undefined && i < j) continue;
          reported.add(b);
          log.add(anomaly(R, b, x, e));
          break;
        }
      }
    }
  }
  return verdictOf(log, checked, 'no read showed an append that followed a read of the same session and key, so writes-follow-reads was never exercised',
    { pairsChecked: checked, keys: kh.keys.length, registerKeysNotObservable: registerKeys, ignored: kh.ignored, skippedKeys: kh.skipped.length }, budget);
}

/** b -> R: for each append b (ok or info), the session's latest ok read of the key completed before b was invoked. */
function priorReads(kd: KeyData): Map<WriteRec, ReadRec> {
  const out = new Map<WriteRec, ReadRec>();
  for (const so of sessionsOf(kd).values()) {
    if (so.writes.length === 0 || so.reads.length === 0) continue;
    const done = byCompletion(so.reads);
    let j = 0;
    for (const b of so.writes) {
      while (j < done.length && done[j]!.pair.complete!.index < b.pair.invoke.index) j++;
      if (j === 0 || b.pair.type === 'fail' || b.amb) continue;
      const R = done[j - 1]!;
      if (R.n > 0 && holds(R, b.elem) === false) out.set(b, R);
    }
  }
  return out;
}

function anomaly(R: ReadRec, b: WriteRec, x: ReadRec, e: unknown) {
  const k = fmtKey(R.kd.key);
  const i = x.div ? x.at!.get(e) : holds(x, e) ? 0 : undefined;
  const how = i === undefined ? `with ${fmtValue(b.elem)} but without ${fmtValue(e)}` : `with ${fmtValue(b.elem)} before ${fmtValue(e)}`;
  const explanation = `${who(R.pair)} read key ${k}${fromNode(R.pair)} at ${at(R.pair.invoke)} and got ${fmtList(R.list!)}, then appended ${fmtValue(b.elem)} to it at ${at(b.pair.invoke)}, but ${who(x.pair)} read key ${k}${fromNode(x.pair)} at ${at(x.pair.invoke)} and got ${fmtList(x.list!)}, ${how}`;
  return { kind: 'writes-follow-reads', ops: witness(R.pair, b.pair, x.pair), explanation,
    data: { key: R.kd.key, read: e, append: b.elem, node: x.pair.node, session: b.pair.session } };
}
