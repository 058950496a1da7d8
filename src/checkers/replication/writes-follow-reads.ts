/**
 * writes-follow-reads (Terry et al.'s session guarantee), as far as single-key reads can observe it.
 *
 * Rule: an append b to key k by a session is ordered after everything the session's earlier reads
 * of k showed: every read of k that holds b holds each element that any ok read of k by the same
 * session completed before b was invoked held, before b. All those reads, not only the latest: a
 * session that read a fresh replica, then a stale one, then appended, still owes the fresh one's
 * elements. Reads that overlap b (completed after it was invoked) impose nothing. An info b that
 * shows up took effect after those reads, and is held to the rule.
 *
 * Cost: per session and key a running frontier of what its completed reads showed (the longest
 * prefix of the key's order any held, a divergent read counting up to its fork, plus the elements
 * divergent reads held past that), snapshotted at each append: prefix reads holding b are checked
 * in O(1) per b, each divergent read in one pass (pointers into the order and into each frontier).
 *
 * What is not observable, and so not checked: reads of one key followed by writes of another (no
 * read shows two keys), and register keys (a single writer with increasing values orders its
 * versions by construction). When every read is a prefix of the key's order the guarantee holds by
 * itself, so anomalies come with divergence. Fail appends did not happen; an append that one of the
 * session's earlier reads already showed (a duplicate element) is skipped.
 *
 * Anomaly: `writes-follow-reads`, one per b: witness = the session's read that held an element,
 * the append b, and the read that holds b without that element (or with it after b). Verdict
 * unknown when no read showed an append that followed a read of the same session and key.
 */
import { fmtValue, type Op } from '../../history/op.js';
import type { CheckOptions, Verdict } from '../types.js';
import { AnomalyLog } from './anomaly-log.js';
import { coverers, holds, keyedHistory, sessionsOf, type KeyData, type ReadRec, type WriteRec } from './keyed.js';
import { doneWhen, fmtKey, fmtList, fromNode, thenWho, when, who, witness } from './say.js';
import { Budget, byCompletion, verdictOf } from './verdict.js';

export function checkWritesFollowReads(history: readonly Op[], opts: CheckOptions = {}): Verdict {
  const kh = keyedHistory(history, opts.keyed);
  const log = new AnomalyLog();
  const budget = new Budget('writes-follow-reads', opts);
  let checked = 0;
  let registerKeys = 0;
  keys: for (const kd of kh.keys) {
    if (kd.kind === 'register') {
      registerKeys++;
      continue;
    }
    const pred = priorReads(kd, budget);
    if (!pred) break;
    if (pred.size === 0) continue;
    const reported = new Set<WriteRec>();
    const cover = coverers(kd);
    // Prefix reads holding b hold exactly the order up to b: everything seen must come before b in it.
    for (const [b, s] of pred) {
      if (b.pos < 0) continue;
      checked++;
      // s.n <= b.pos (else the session had read b and b is skipped): only the divergent part can fail.
      if (s.extraPos < b.pos) continue;
      reported.add(b);
      log.add(anomaly(s.extraMax!.by, b, cover[b.pos]!, s.extraMax!.e));
    }
    const order = kd.order;
    for (const x of kd.reads) {
      if (!x.div) continue;
      const list = x.list!;
      const at = x.at!;
      if (!budget.spend(list.length)) break keys;
      let q = 0; // order[0..q) all held before position j
      const seen = new Map<Seen, number>(); // per session: extras[0..m) all held before position j
      for (let j = 0; j < list.length; j++) {
        const b = kd.writer.get(list[j]);
        const s = b && pred.get(b);
        if (!s || reported.has(b)) continue;
        checked++;
        for (; q < s.n; q++) {
          const i = at.get(order[q]);
          if (i === undefined || i >= j) break;
        }
        if (q < s.n) {
          reported.add(b);
          log.add(anomaly(s.nBy!, b, x, order[q]));
          continue;
        }
        let m = seen.get(s.seen) ?? 0;
        for (; m < s.extras; m++) {
          const i = at.get(s.seen.extras[m]!.e);
          if (i === undefined || i >= j) break;
        }
        seen.set(s.seen, m);
        if (m < s.extras) {
          reported.add(b);
          const miss = s.seen.extras[m]!;
          log.add(anomaly(miss.by, b, x, miss.e));
        }
      }
    }
  }
  return verdictOf(
    log,
    checked,
    'no read showed an append that followed a read of the same session and key, so writes-follow-reads was never exercised',
    { pairsChecked: checked, keys: kh.keys.length, registerKeysNotObservable: registerKeys, ignored: kh.ignored, skippedKeys: kh.skipped.length },
    budget,
  );
}

/** What one session's completed reads of a key held, growing. */
interface Seen {
  /** Elements divergent reads held past their fork, in the order folded in, each with the first read that held it. */
  extras: { e: unknown; by: ReadRec }[];
  has: Set<unknown>;
}

/** The frontier as it was when b was invoked. */
interface Snapshot {
  seen: Seen;
  /** order[0..n) was held, by nBy. */
  n: number;
  nBy?: ReadRec;
  /** seen.extras[0..extras) */
  extras: number;
  /** The extra furthest along the key's order (Infinity: not in it). */
  extraPos: number;
  extraMax?: { e: unknown; by: ReadRec };
}

/** b -> the session's frontier when b (ok or info) was invoked; undefined when the budget ran out. */
function priorReads(kd: KeyData, budget: Budget): Map<WriteRec, Snapshot> | undefined {
  const out = new Map<WriteRec, Snapshot>();
  for (const so of sessionsOf(kd).values()) {
    if (so.writes.length === 0 || so.reads.length === 0) continue;
    const done = byCompletion(so.reads);
    const seen: Seen = { extras: [], has: new Set() };
    let n = 0;
    let nBy: ReadRec | undefined;
    let extraPos = -1;
    let extraMax: Snapshot['extraMax'];
    let j = 0;
    for (const b of so.writes) {
      for (; j < done.length && done[j]!.pair.complete!.index < b.pair.invoke.index; j++) {
        const x = done[j]!;
        const held = x.div ? x.fork : x.n;
        if (held > n) {
          n = held;
          nBy = x;
        }
        if (!x.div) continue;
        const list = x.list!;
        if (!budget.spend(list.length - x.fork)) return undefined;
        for (let i = x.fork; i < list.length; i++) {
          const e = list[i];
          if (seen.has.has(e)) continue;
          seen.has.add(e);
          seen.extras.push({ e, by: x });
          const p = kd.pos.get(e) ?? Infinity;
          if (p > extraPos) {
            extraPos = p;
            extraMax = { e, by: x };
          }
        }
      }
      if (b.pair.type === 'fail' || b.amb || (n === 0 && seen.extras.length === 0)) continue;
      if ((b.pos >= 0 && b.pos < n) || seen.has.has(b.elem)) continue; // the session had read b already
      out.set(b, { seen, n, nBy, extras: seen.extras.length, extraPos, extraMax });
    }
  }
  return out;
}

function anomaly(R: ReadRec, b: WriteRec, x: ReadRec, e: unknown) {
  const k = fmtKey(R.kd.key);
  const i = x.div ? x.at!.get(e) : holds(x, e) ? 0 : undefined;
  const how = i === undefined ? `with ${fmtValue(b.elem)} but without ${fmtValue(e)}` : `with ${fmtValue(b.elem)} before ${fmtValue(e)}`;
  const explanation =
    `${who(R.pair)} read key ${k}${fromNode(R.pair)} and got ${fmtList(R.list!)} at ${doneWhen(R.pair)}, ` +
    `then ${thenWho(b.pair, R.pair)}appended ${fmtValue(b.elem)} to it at ${when(b.pair.invoke)}, ` +
    `but ${who(x.pair)} read key ${k}${fromNode(x.pair)} at ${when(x.pair.invoke)} and got ${fmtList(x.list!)}, ${how}`;
  return {
    kind: 'writes-follow-reads',
    ops: witness(R.pair, b.pair, x.pair),
    explanation,
    data: { key: R.kd.key, read: e, append: b.elem, node: x.pair.node, session: b.pair.session },
  };
}
