/**
 * monotonic-writes (Terry et al.'s session guarantee), as far as single-key reads can observe it.
 *
 * Rule: if a session's append a to key k got ok before the same session invoked append b to k,
 * then every read of k that holds b holds a, and holds it before b. For each append b (ok or
 * info: an info append that shows up took effect, and then after a) the constraint is checked
 * against a = the session's latest ok append to k completed before b was invoked; a chain of such
 * pairs covers the whole session.
 *
 * What is not observable, and so not checked: the order of writes to different keys (no read shows
 * two keys) and register keys (a single writer with increasing values orders its versions by
 * construction). Fail appends did not happen and constrain nothing; an info append a may never
 * have happened, so it is never required before b. Reads that are prefixes of the key's order are
 * checked through the order (a must come before b in it); divergent reads one by one.
 *
 * Anomaly: `monotonic-writes`: witness = appends a and b and the read that holds b without a (or
 * with b before a). Verdict unknown when no read showed the second of two such appends.
 */
import { fmtValue, type Op } from '../../history/op.js';
import type { CheckOptions, Verdict } from '../types.js';
import { AnomalyLog } from './anomaly-log.js';
import { coverers, keyedHistory, sessionsOf, type KeyData, type ReadRec, type WriteRec } from './keyed.js';
import { at, doneAt, fmtKey, fmtList, fromNode, who, witness } from './say.js';
import { Budget, byCompletion, verdictOf } from './verdict.js';

export function checkMonotonicWrites(history: readonly Op[], opts: CheckOptions = {}): Verdict {
  const kh = keyedHistory(history, opts.keyed);
  const log = new AnomalyLog();
  const budget = new Budget('monotonic-writes', opts);
  let checked = 0;
  let registerKeys = 0;
  for (const kd of kh.keys) {
    if (kd.kind === 'register') { registerKeys++; continue; }
    const pred = predecessors(kd);
    if (pred.size === 0) continue;
    const reported = new Set<WriteRec>();
    const cover = coverers(kd);
    for (const [b, a] of pred) {
      if (b.pos < 0) continue;
      checked++;
      if (a.pos >= 0 && a.pos < b.pos) continue;
      reported.add(b);
      log.add(anomaly(a, b, cover[b.pos]!));
    }
    for (const x of kd.reads) {
      if (!x.div) continue;
      const list = x.list!;
      if (!budget.spend(list.length)) break;
      for (let j = 0; j < list.length; j++) {
        const b = kd.writer.get(list[j]);
        const a = b && pred.get(b);
        if (!a || reported.has(b)) continue;
        checked++;
        const i = x.at!.get(a.elem);
        if (i !== undefined && i < j) continue;
        reported.add(b);
        log.add(anomaly(a, b, x));
      }
    }
  }
  return verdictOf(log, checked, 'no read showed an append that followed an acknowledged append of the same session to the same key, so monotonic writes were never exercised',
    { pairsChecked: checked, keys: kh.keys.length, registerKeysNotObservable: registerKeys, ignored: kh.ignored, skippedKeys: kh.skipped.length }, budget);
}

/** b -> a: for each append b (ok or info), the session's latest ok append completed before b was invoked. */
function predecessors(kd: KeyData): Map<WriteRec, WriteRec> {
  const out = new Map<WriteRec, WriteRec>();
  for (const so of sessionsOf(kd).values()) {
    if (so.writes.length < 2) continue;
    const acked = byCompletion(so.writes.filter((w) => w.pair.type === 'ok' && !w.amb));
    let j = 0;
    for (const b of so.writes) {
      while (j < acked.length && acked[j]!.pair.complete!.index < b.pair.invoke.index) j++;
      if (j > 0 && b.pair.type !== 'fail' && !b.amb) out.set(b, acked[j - 1]!);
    }
  }
  return out;
}

function anomaly(a: WriteRec, b: WriteRec, x: ReadRec) {
  const k = fmtKey(a.kd.key);
  const list = x.list!;
  const ai = x.div ? x.at!.get(a.elem) : a.pos >= 0 && a.pos < x.n ? a.pos : undefined;
  const how = ai === undefined ? `with ${fmtValue(b.elem)} but without ${fmtValue(a.elem)}` : `with ${fmtValue(b.elem)} before ${fmtValue(a.elem)}`;
  const explanation = `${who(a.pair)} appended ${fmtValue(a.elem)} to key ${k} and got ok at ${doneAt(a.pair)}, then appended ${fmtValue(b.elem)} at ${at(b.pair.invoke)}, but ${who(x.pair)} read key ${k}${fromNode(x.pair)} at ${at(x.pair.invoke)} and got ${fmtList(list)}, ${how}`;
  return { kind: 'monotonic-writes', ops: witness(a.pair, b.pair, x.pair), explanation,
    data: { key: a.kd.key, first: a.elem, second: b.elem, node: x.pair.node, session: a.pair.session } };
}
