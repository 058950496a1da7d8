import { fmtTime, fmtValue } from '../../history/op.js';
import type { OpPair } from '../../history/pairs.js';
import type { AnomalyLog } from './anomaly-log.js';
import type { Sample } from './quantiles.js';
import { doneWhen, fromNode, when, who, witness } from './say.js';
import { afterFinalHeal, type FaultTimeline } from './windows.js';

/**
 * What became of each written element, Jepsen set-full style, over time; shared by lost-writes
 * (per key) and set-full (one set).
 *
 * Known. An element is known from the ok of its write, or, for an info write, from the completion
 * of the first read that showed it.
 *
 * Decisive reads: the ok reads invoked after the final heal (every ok read when the history has no
 * faults; none when a fault never healed). Reads during faults may come from a cut-off minority and
 * decide nothing (they still make an element known, stale, or its last sighting in a sentence).
 *
 * A read proves presence or absence only at its own time, somewhere between its invocation and its
 * completion. Among the decisive reads, for one element:
 *   H  the latest completion of a read that holds it, or that cannot tell (a register value nobody
 *      wrote: it might hold it);
 *   L  the last-invoked decisive read.
 *   lost        L was invoked after both the element was known and H: then every decisive read
 *               begun after max(known, H) lacks it, and none that holds it (or might) ran at the
 *               same time or later. An old read on one node that held it does not save it from
 *               later reads on other nodes that all lack it (Jepsen's "a time after which no read
 *               observes it"). A single such later read suffices, as in Jepsen: the history shows
 *               the element there, then gone, and never back.
 *   stable      not lost, and a decisive read holds it that ended after every decisive read that
 *               lacks it and can tell was invoked (after known). One lagging replica does not lose
 *               a write that another node's read at or after the same time (overlapping it, or
 *               later) shows: overlapping reads have no order, and the one that holds it may have
 *               been served last. Jepsen compares the invocations of the last present and last
 *               absent reads; comparing the holder's completion instead calls nothing lost that an
 *               overlapping read may have seen last (fewer alarms, each one proven).
 *   stale       stable, but a prefix read (any, not only decisive) invoked after it was known did
 *               not hold it; the lag runs from known to the invocation of the last such read.
 *   never-read  neither: no decisive read was invoked after it was known, or only reads that
 *               cannot tell stand between its last sighting and the reads that lack it. Undecided,
 *               not lost.
 * A faultline run's own final reads (after the heal and the quiet period) are the last reads of
 * every key, so they decide whenever nothing overlaps them: the strongest evidence.
 * An info write that shows up is recovered (counted, and then judged like any known element); an
 * info write that never shows up is not lost; a fail write did not happen, and if it shows up
 * that is an anomaly of its own (`failed-write-visible`): the database said it did not happen.
 *
 * Cost: per element O(1) from the subject's lastHeld; the sentence of a subject's first lost
 * element scans its decisive reads once.
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
  /** Ok reads that can be judged, in invocation order. */
  reads: R[];
  /** Does read r hold write k's element? undefined when the read cannot tell. */
  has(r: R, k: number): boolean | undefined;
  /** The read that completed first among those holding write k's element. */
  firstSeen(k: number): R | undefined;
  /** The last read invoked after `knownIndex` that lacks write k's element, if any (stale). */
  lastAbsentAfter(k: number, knownIndex: number): R | undefined;
  /** Among the decisive reads (see `decisive`), the one holding write k's element that completed last. */
  lastHeld(k: number): R | undefined;
  /** A read that cannot tell for any element (a register value nobody wrote): it might hold each one. */
  unsure?(r: R): boolean;
}

/** A read that decides fates: invoked after the final heal (any read without faults, none when never healed). */
export function decisive(tl: FaultTimeline, r: FateRead): boolean {
  return afterFinalHeal(tl, r.pair.invoke.index);
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

/** An acknowledged (or seen) write that every decisive read begun after its last sighting lacks. */
export interface LostWrite {
  pair: OpPair;
  elem: unknown;
  label: string;
  /** When it became known (ok, or first seen). */
  knownIndex: number;
  knownTime: number;
  seen?: OpPair;
}

interface LostAt<R> extends LostWrite {
  k: number;
  known: OpPair['invoke'];
  /** The decisive read holding it that completed last. */
  held?: R;
  /** max(known, H): every decisive read invoked after this index lacks it. */
  from: number;
}

const done = (r: FateRead) => r.pair.complete!.index;

export function decideFates<R extends FateRead>(
  s: FateSubject<R>,
  tl: FaultTimeline,
  log: AnomalyLog,
  tally: FateTally,
  staleLagNs: Sample,
  lostOut: LostWrite[],
): void {
  // The decisive reads are a suffix of the reads in invocation order.
  const dec: R[] = [];
  let unsureDone = -1;
  let lastDef: R | undefined;
  for (const r of s.reads) {
    if (!decisive(tl, r)) continue;
    dec.push(r);
    // A read that cannot tell (a register value nobody wrote) cannot tell for any element.
    if (s.unsure?.(r)) unsureDone = Math.max(unsureDone, done(r));
    else lastDef = r;
  }
  const last = dec[dec.length - 1];
  const lost: LostAt<R>[] = [];
  for (let k = 0; k < s.writes.length; k++) {
    const w = s.writes[k]!;
    const seen = s.firstSeen(k);
    if (w.pair.type === 'fail') {
      if (!seen) {
        tally.failedNeverSeen++;
        continue;
      }
      tally.failedVisible++;
      log.add({
        kind: 'failed-write-visible',
        ops: witness(w.pair, seen.pair),
        explanation: `${who(w.pair)} ${s.act(w.elem)} and got fail at ${doneWhen(w.pair)} (the database said it did not happen), yet ${who(seen.pair)} read ${s.label}${fromNode(seen.pair)} at ${when(seen.pair.invoke)} and it was there`,
        data: { label: s.label, element: w.elem, node: seen.pair.node },
      });
      continue;
    }
    const known = w.pair.type === 'ok' ? w.pair.complete! : seen?.pair.complete;
    if (!known) {
      tally.infoNeverSeen++;
      continue;
    }
    if (w.pair.type === 'ok') tally.acked++;
    else tally.recovered++;
    const held = s.lastHeld(k);
    const heldDone = held ? done(held) : -1;
    const from = Math.max(known.index, heldDone, unsureDone);
    if (last && last.pair.invoke.index > from) {
      tally.lost++;
      lost.push({
        pair: w.pair,
        elem: w.elem,
        label: s.label,
        knownIndex: known.index,
        knownTime: known.time,
        seen: w.pair.type === 'ok' ? undefined : seen!.pair,
        k,
        known,
        held,
        from,
      });
      continue;
    }
    // Not lost; stable when a read that can tell holds it and none that can tell lacks it later.
    if (!held || (lastDef && lastDef.pair.invoke.index > Math.max(known.index, heldDone))) {
      tally.neverRead++;
      continue;
    }
    tally.stable++;
    const la = s.lastAbsentAfter(k, known.index);
    if (la) {
      tally.stale++;
      staleLagNs.push(Math.max(0, la.pair.invoke.time - known.time));
    }
  }
  if (lost.length === 0) return;
  // A loop, not push(...spread): a subject can lose hundreds of thousands of elements (a set, a long-lived
  // key), and spreading that many arguments overflows the call stack.
  for (const { pair, elem, label, knownIndex, knownTime, seen } of lost) lostOut.push({ pair, elem, label, knownIndex, knownTime, seen });
  reportLost(s, tl, dec, lost, log);
}

/**
 * One anomaly per subject. The sentence follows the first lost element: its write (and the read
 * that saw it, for an info write), the last read that held it, and per node the last decisive read
 * lacking it, all invoked after the point from which every read lacks it.
 */
function reportLost<R extends FateRead>(s: FateSubject<R>, tl: FaultTimeline, dec: readonly R[], lost: LostAt<R>[], log: AnomalyLog): void {
  const first = lost[0]!;
  const faults = tl.finalHeal !== 'none';
  const heal = typeof tl.finalHeal === 'object' ? tl.finalHeal : undefined;
  // The last read holding it at all: the decisive one, else the last before the final heal.
  let holder = first.held;
  if (!holder) {
    for (const r of s.reads) if (s.has(r, first.k) === true && (!holder || done(r) > done(holder))) holder = r;
  }
  // Anchor: every read begun after it lacks the element (all such reads are decisive).
  const anchor = Math.max(first.from, heal?.index ?? -1);
  const lacking = new Map<string, R>();
  for (let i = dec.length - 1; i >= 0 && dec[i]!.pair.invoke.index > anchor; i--) {
    const node = dec[i]!.pair.node ?? '';
    if (!lacking.has(node)) lacking.set(node, dec[i]!);
  }
  const ds = [...lacking.values()].sort((a, b) => a.pair.invoke.index - b.pair.invoke.index);
  const where = ds.map((d) => `${d.pair.node ? `${d.pair.node} ` : ''}at ${when(d.pair.invoke)}`).join(', ');
  const seen = first.seen;
  let story = first.seen
    ? `${who(first.pair)} ${s.act(first.elem)} and it timed out (info)`
    : `${who(first.pair)} ${s.act(first.elem)} and got ok at ${doneWhen(first.pair)}`;
  const heldAfterHeal = holder !== undefined && holder === first.held;
  const lastTo = faults && heldAfterHeal ? 'the last read after the final heal to hold it' : 'the last read to hold it';
  if (seen && holder && seen !== holder.pair) story += `; ${who(seen)} saw it${fromNode(seen)} at ${when(seen.invoke)}`;
  if (holder) {
    story += `; ${who(holder.pair)} ${seen === holder.pair ? 'saw' : 'read'} it${fromNode(holder.pair)} at ${when(holder.pair.invoke)}, ${heldAfterHeal ? lastTo : `${lastTo}${faults ? ' (before the final heal)' : ''}`}`;
  } else if (seen) story += `; ${who(seen)} saw it${fromNode(seen)} at ${when(seen.invoke)}`;
  let scope: string;
  if (heldAfterHeal && done(holder!) === anchor) scope = `every read of ${s.label} begun after that read ended`;
  else if (heal && heal.index === anchor) scope = `every read of ${s.label} after the final heal`;
  else if (first.known.index === anchor) scope = `every read of ${s.label} begun after ${seen ? 'it was first seen' : 'the ok'}`;
  else scope = `every read of ${s.label} begun after ${fmtTime(dec.find((r) => done(r) === anchor)?.pair.complete!.time ?? first.known.time)}`;
  const single = `${story}, but ${scope} lacks it (${where})`;
  const explanation =
    lost.length === 1
      ? single
      : `${lost.length} writes that were acknowledged or seen are lost from ${s.label}: ${lost
          .slice(0, 5)
          .map((l) => fmtValue(l.elem))
          .join(', ')}${lost.length > 5 ? ` and ${lost.length - 5} more` : ''}; the first: ${single}`;
  const shown = lost.slice(0, 50);
  log.add({
    kind: 'lost',
    ops: witness(...shown.map((l) => l.pair), ...shown.map((l) => l.seen), holder?.pair, ...ds.map((d) => d.pair)),
    explanation,
    data: {
      label: s.label,
      lost: lost.length,
      elements: shown.map((l) => l.elem),
      ...(holder ? { lastHeld: holder.pair.invoke.index } : {}),
      lackingNodes: ds.map((d) => d.pair.node),
    },
  });
}
