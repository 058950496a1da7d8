import { fmtValue } from '../../history/op.js';
import type { OpPair } from '../../history/pairs.js';
import type { AnomalyLog } from './anomaly-log.js';
import type { Sample } from './quantiles.js';
import { at, doneAt, fromNode, who, witness } from './say.js';
import { afterFinalHeal, type FaultTimeline } from './windows.js';

/**
 * What became of each written element, Jepsen set-full style, shared by lost-writes (per key) and
 * set-full (one set).
 *
 * An element is known from the ok of its write, or, for an info write, from the completion of the
 * first read that showed it. The reads that decide its fate are the final reads: per node, the
 * last ok read invoked after the final heal (after any read when the history has no faults; none
 * when a fault never healed). A final read that holds the element proves it is there whenever
 * that read began (so an info write first seen by the final read itself is stable, as in Jepsen);
 * a final read that lacks it counts only when invoked after the element was known (a read
 * concurrent with the write need not show it); a final read that cannot tell (a register value
 * nobody wrote) decides nothing, and the earlier reads of its node do not stand in for it. Then:
 *   stable      some final read holds it;
 *   stale       stable, but a prefix read invoked after it was known did not hold it (the lag is
 *               from known to the invocation of the last such read);
 *   lost        no final read holds it and at least one, invoked after it was known, lacks it
 *               (one lagging replica alone does not make a write lost when another node's final
 *               read holds it);
 *   never-read  neither: no final read was invoked after it was known, or none could tell.
 *               Undecided, not lost.
 * An info write that shows up is recovered (counted, and then judged like any known element); an
 * info write that never shows up is not lost; a fail write did not happen, and if it shows up
 * that is an anomaly of its own (`failed-write-visible`): the database said it did not happen.
 */
export interface FateRead {
  pair: OpPair;
}

export interface FateSubject<R extends FateRead> {
  /** "key x", "the set". */
  label: string;
  /** "appended 7 to key x", "added 7". */
  act(elem: unknown): string;
  /** Writes of elements written once (all outcomes). */
  writes: { pair: OpPair; elem: unknown }[];
  /** Ok reads that can be judged. */
  reads: R[];
  /** Does read r hold write k's element? undefined when the read cannot tell. */
  has(r: R, k: number): boolean | undefined;
  /** The read that completed first among those holding write k's element. */
  firstSeen(k: number): R | undefined;
  /** The last read invoked after `knownIndex` that lacks write k's element, if any (stale). */
  lastAbsentAfter(k: number, knownIndex: number): R | undefined;
}

export interface FateTally {
  acked: number;
  stable: number;
  stale: number;
  lost: number;
  neverRead: number;
  recovered: number;
  infoNeverSeen: number;
  failedNeverSeen: number;
  failedVisible: number;
}

export function newTally(): FateTally {
  return { acked: 0, stable: 0, stale: 0, lost: 0, neverRead: 0, recovered: 0, infoNeverSeen: 0, failedNeverSeen: 0, failedVisible: 0 };
}

/** An acknowledged (or seen) write that no final read holds. */
export interface LostWrite {
  pair: OpPair;
  elem: unknown;
  label: string;
  /** When it became known (ok, or first seen). */
  knownIndex: number;
  knownTime: number;
  seen?: OpPair;
}

/** Per node, the last ok read invoked after the final heal. */
export function finalReads<R extends FateRead>(reads: readonly R[], tl: FaultTimeline): R[] {
  const last = new Map<string, R>();
  for (const r of reads) {
    if (!afterFinalHeal(tl, r.pair.invoke.index)) continue;
    const node = r.pair.node ?? '';
    const prev = last.get(node);
    if (!prev || r.pair.invoke.index > prev.pair.invoke.index) last.set(node, r);
  }
  return [...last.values()];
}

export function decideFates<R extends FateRead>(s: FateSubject<R>, tl: FaultTimeline, log: AnomalyLog, tally: FateTally,
  staleLagNs: Sample, lostOut: LostWrite[]): void {
  const finals = finalReads(s.reads, tl);
  const lost: LostWrite[] = [];
  const deciders = new Set<R>();
  for (let k = 0; k < s.writes.length; k++) {
    const w = s.writes[k]!;
    const seen = s.firstSeen(k);
    if (w.pair.type === 'fail') {
      if (!seen) { tally.failedNeverSeen++; continue; }
      tally.failedVisible++;
      log.add({ kind: 'failed-write-visible', ops: witness(w.pair, seen.pair),
        explanation: `${who(w.pair)} ${s.act(w.elem)} and got fail at ${doneAt(w.pair)} (the database said it did not happen), yet ${who(seen.pair)} read ${s.label}${fromNode(seen.pair)} at ${at(seen.pair.invoke)} and it was there`,
        data: { label: s.label, element: w.elem, node: seen.pair.node } });
      continue;
    }
    const known = w.pair.type === 'ok' ? w.pair.complete! : seen?.pair.complete;
    if (!known) { tally.infoNeverSeen++; continue; }
    if (w.pair.type === 'ok') tally.acked++;
    else tally.recovered++;
    let decided = false;
    let holds = false;
    for (const f of finals) {
      const h = s.has(f, k);
      if (h === true) { decided = holds = true; break; }
      if (h === false && f.pair.invoke.index > known.index) decided = true;
    }
    if (!decided) { tally.neverRead++; continue; }
    if (holds) {
      tally.stable++;
      const la = s.lastAbsentAfter(k, known.index);
      if (la) { tally.stale++; staleLagNs.push(Math.max(0, la.pair.invoke.time - known.time)); }
      continue;
    }
    tally.lost++;
    for (const f of finals) if (f.pair.invoke.index > known.index && s.has(f, k) === false) deciders.add(f);
    lost.push({ pair: w.pair, elem: w.elem, label: s.label, knownIndex: known.index, knownTime: known.time,
      seen: w.pair.type === 'ok' ? undefined : seen!.pair });
  }
  if (lost.length === 0) return;
  lostOut.push(...lost);
  const ds = [...deciders].sort((a, b) => a.pair.invoke.index - b.pair.invoke.index);
  const where = ds.map((d) => `${d.pair.node ? `${d.pair.node} ` : ''}at ${at(d.pair.invoke)}`).join(', ');
  const finalsPhrase = `${ds.length === 1 ? 'the final read' : 'every final read'} of ${s.label}${tl.finalHeal === 'none' ? '' : ' after the final heal'} (${where})`;
  const first = lost[0]!;
  const how = (l: LostWrite) => l.seen
    ? `${who(l.pair)} ${s.act(l.elem)} and it timed out (info), ${who(l.seen)} saw it at ${at(l.seen.invoke)}`
    : `${who(l.pair)} ${s.act(l.elem)} and got ok at ${doneAt(l.pair)}`;
  const explanation = lost.length === 1
    ? `${how(first)}, but ${finalsPhrase} ${ds.length === 1 ? 'does' : 'do'} not have it`
    : `${lost.length} writes that were acknowledged or seen are missing from ${finalsPhrase}: ${lost.slice(0, 5).map((l) => fmtValue(l.elem)).join(', ')}${lost.length > 5 ? ` and ${lost.length - 5} more` : ''}; the first: ${how(first)}`;
  const shown = lost.slice(0, 50);
  log.add({ kind: 'lost', ops: witness(...shown.map((l) => l.pair), ...shown.map((l) => l.seen), ...ds.map((d) => d.pair)), explanation,
    data: { label: s.label, lost: lost.length, elements: shown.map((l) => l.elem), finalNodes: ds.map((d) => d.pair.node) } });
}
