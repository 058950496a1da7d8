/**
 * monotonic-reads (Terry et al.'s session guarantee).
 *
 * Rule: a read of a key holds everything that every earlier read of the same key by the same session
 * held, where "earlier" is real time within the session: it completed before this read was invoked
 * (reads of one session that overlap, from several processes, impose nothing on each other). So
 * never a shorter prefix, never a lost element, and on a register key never an older value.
 *
 * Cost: per session and key a running frontier of what its completed reads showed: the longest
 * prefix of the key's order any of them held (a divergent read counts up to its fork), plus the
 * elements divergent reads held beyond that, each with the read that showed it. Reads are folded in
 * by completion and checked in invocation order: a prefix read in O(1), a divergent one (rare: a
 * broken run) element by element, under the budget.
 *
 * Outcomes: only ok reads are evidence (a failed or timed-out read showed nothing); appends of any
 * outcome do not matter here. A register value nobody wrote cannot be ranked and is skipped.
 *
 * Anomaly: `monotonic-reads`, one per later read: witness = an earlier read that held an element
 * and the later read that lacks it. Verdict unknown when no session read a key after an earlier
 * read of it had completed.
 */
import { fmtValue, type Op } from '../../history/op.js';
import type { CheckOptions, Verdict } from '../types.js';
import { AnomalyLog } from './anomaly-log.js';
import { keyedHistory, sessionsOf, type KeyData, type ReadRec } from './keyed.js';
import { doneWhen, fmtKey, fmtList, fromNode, thenWho, when, who, witness } from './say.js';
import { Budget, byCompletion, verdictOf } from './verdict.js';

export function checkMonotonicReads(history: readonly Op[], opts: CheckOptions = {}): Verdict {
  const kh = keyedHistory(history, opts.keyed);
  const log = new AnomalyLog();
  const budget = new Budget('monotonic-reads', opts);
  let checked = 0;
  keys: for (const kd of kh.keys) {
    for (const so of sessionsOf(kd).values()) {
      const reads = so.reads.filter((r) => r.n >= 0);
      if (reads.length < 2) continue;
      const done = byCompletion(reads);
      const f = new Frontier(kd);
      let j = 0;
      for (const r of reads) {
        // Fold in the session's reads that completed before this one was invoked.
        while (j < done.length && done[j]!.pair.complete!.index < r.pair.invoke.index) {
          if (!f.add(done[j++]!, budget)) break keys;
        }
        if (j === 0) continue;
        checked++;
        const m = f.missingFrom(r, budget);
        if (m === null) break keys;
        if (m) log.add(anomaly(m.by, r, m.e));
      }
    }
  }
  return verdictOf(
    log,
    checked,
    'no session read a key after an earlier read of it had completed, so monotonic reads were never exercised',
    { readsChecked: checked, keys: kh.keys.length, ignored: kh.ignored, skippedKeys: kh.skipped.length },
    budget,
  );
}

/** Everything a session's completed reads of one key held (see the header). */
class Frontier {
  /** The first n elements of the key's order were held, by `nBy`. */
  n = 0;
  nBy?: ReadRec;
  /** Elements divergent reads held past their fork -> the first read that held it. */
  readonly extra = new Map<unknown, ReadRec>();
  /** Of those, the one furthest along the key's order (Infinity: not in it), for O(1) prefix checks. */
  extraPos = -1;
  extraMax?: { e: unknown; by: ReadRec };
  constructor(private readonly kd: KeyData) {}

  /** False when the budget ran out. */
  add(x: ReadRec, budget: Budget): boolean {
    const held = x.div ? x.fork : x.n;
    if (held > this.n) {
      this.n = held;
      this.nBy = x;
    }
    if (!x.div) return true;
    const list = x.list!;
    if (!budget.spend(list.length - x.fork)) return false;
    for (let i = x.fork; i < list.length; i++) {
      const e = list[i];
      if (this.extra.has(e)) continue;
      this.extra.set(e, x);
      const p = this.kd.pos.get(e) ?? Infinity;
      if (p > this.extraPos) {
        this.extraPos = p;
        this.extraMax = { e, by: x };
      }
    }
    return true;
  }

  /** An element of the frontier that r lacks, with the read that held it; undefined if none; null when the budget ran out. */
  missingFrom(r: ReadRec, budget: Budget): { e: unknown; by: ReadRec } | undefined | null {
    const order = this.kd.order;
    if (!r.div) {
      if (this.n > r.n) return { e: order[r.n], by: this.nBy! };
      if (this.extraPos >= r.n) return this.extraMax!;
      return undefined;
    }
    const at = r.at!;
    if (this.n > r.fork) {
      if (!budget.spend(this.n - r.fork)) return null;
      for (let i = r.fork; i < this.n; i++) if (!at.has(order[i])) return { e: order[i], by: this.nBy! };
    }
    if (this.extra.size > 0) {
      if (!budget.spend(this.extra.size)) return null;
      for (const [e, by] of this.extra) if (!at.has(e)) return { e, by };
    }
    return undefined;
  }
}

function anomaly(a: ReadRec, b: ReadRec, e: unknown) {
  const k = fmtKey(a.kd.key);
  const first =
    a.kd.kind === 'list'
      ? `${who(a.pair)} read key ${k}${fromNode(a.pair)} and got ${fmtList(a.list!)} at ${doneWhen(a.pair)}`
      : `${who(a.pair)} read key ${k}${fromNode(a.pair)} and got ${fmtValue(a.value)} at ${doneWhen(a.pair)}`;
  const then =
    a.kd.kind === 'list'
      ? `then ${thenWho(b.pair, a.pair)}read it${fromNode(b.pair)} at ${when(b.pair.invoke)} and got ${fmtList(b.list!)}, without ${fmtValue(e)}`
      : `then ${thenWho(b.pair, a.pair)}read it${fromNode(b.pair)} at ${when(b.pair.invoke)} and got the older ${fmtValue(b.value)}`;
  return {
    kind: 'monotonic-reads',
    ops: witness(a.pair, b.pair),
    explanation: `${first}, ${then}`,
    data: { key: a.kd.key, element: e, nodes: [a.pair.node, b.pair.node], session: b.pair.session },
  };
}
