/**
 * read-your-writes (Terry et al.'s session guarantee).
 *
 * Rule: a read of a key by a session shows every append (or register write) to that key that the
 * same session had acknowledged before the read was invoked: all of them, not only the latest (a
 * register read must return the newest such value or a newer one). A session is the op's
 * `session` field, else its process; a session may span processes, and its ops may overlap: a
 * write acknowledged after the read was invoked is concurrent with it and not required.
 *
 * Cost: per session and key, the acknowledged writes are folded in by completion, keeping the one
 * furthest along the key's order and the first one no prefix read holds; a prefix read is checked
 * in O(1) against those two (which covers all of them); a divergent read (rare) against each
 * acknowledged write, under the budget.
 *
 * Outcomes: fail ops did not happen and are never required; info ops may have happened at any time
 * after their invocation or never, so an info append is never required either (if it shows up it
 * was recovered, not an anomaly). Only ok reads are evidence; a read nobody can interpret (a
 * register value nobody wrote) is left to lost-writes. Elements appended twice to the same key
 * prove nothing and are skipped. Ops of other shapes are ignored and counted in stats.ignored.
 *
 * Anomaly: `read-your-writes`: witness = the append (invocation, ok) and the read that lacked it.
 * Verdict unknown when no session read a key after its own acknowledged write to it.
 */
import { fmtValue, type Op } from '../../history/op.js';
import type { CheckOptions, Verdict } from '../types.js';
import { AnomalyLog } from './anomaly-log.js';
import { keyedHistory, sessionsOf, type ReadRec, type WriteRec } from './keyed.js';
import { doneWhen, fmtKey, fromNode, thenWho, when, who, witness } from './say.js';
import { Budget, byCompletion, verdictOf } from './verdict.js';

export function checkReadYourWrites(history: readonly Op[], opts: CheckOptions = {}): Verdict {
  const kh = keyedHistory(history, opts.keyed);
  const log = new AnomalyLog();
  const budget = new Budget('read-your-writes', opts);
  let checked = 0;
  for (const kd of kh.keys) {
    for (const so of sessionsOf(kd).values()) {
      if (so.reads.length === 0) continue;
      const acked = byCompletion(so.writes.filter((w) => w.pair.type === 'ok' && !w.amb));
      if (acked.length === 0) continue;
      let j = 0;
      let best: WriteRec | undefined; // acknowledged, furthest along the order
      let unseen: WriteRec | undefined; // acknowledged, in no prefix read at all
      for (const r of so.reads) {
        while (j < acked.length && acked[j]!.pair.complete!.index < r.pair.invoke.index) {
          const w = acked[j++]!;
          if (w.pos < 0) unseen ??= w;
          else if (!best || w.pos > best.pos) best = w;
        }
        if (j === 0 || r.n < 0) continue;
        checked++;
        let missing: WriteRec | undefined;
        if (!r.div) missing = unseen ?? (best && best.pos >= r.n ? best : undefined);
        else {
          if (!budget.spend(j)) break;
          for (let i = 0; i < j; i++)
            if (!r.at!.has(acked[i]!.elem)) {
              missing = acked[i];
              break;
            }
        }
        if (missing) log.add(anomaly(missing, r));
      }
    }
  }
  return verdictOf(
    log,
    checked,
    'no session read a key after its own acknowledged write to it, so read-your-writes was never exercised',
    { readsChecked: checked, keys: kh.keys.length, ignored: kh.ignored, skippedKeys: kh.skipped.length },
    budget,
  );
}

function anomaly(w: WriteRec, r: ReadRec) {
  const k = fmtKey(w.kd.key);
  const explanation =
    w.kd.kind === 'list'
      ? `${who(w.pair)} appended ${fmtValue(w.elem)} to key ${k} and got ok at ${doneWhen(w.pair)}, ` +
        `then ${thenWho(r.pair, w.pair)}read key ${k}${fromNode(r.pair)} at ${when(r.pair.invoke)} without it`
      : `${who(w.pair)} wrote ${fmtValue(w.elem)} to key ${k} and got ok at ${doneWhen(w.pair)}, ` +
        `then ${thenWho(r.pair, w.pair)}read key ${k}${fromNode(r.pair)} at ${when(r.pair.invoke)} and got the older ${fmtValue(r.value)}`;
  return {
    kind: 'read-your-writes',
    ops: witness(w.pair, r.pair),
    explanation,
    data: { key: w.kd.key, element: w.elem, node: r.pair.node, session: w.pair.session },
  };
}
