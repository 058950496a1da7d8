/**
 * set-full: Jepsen's set-full checker, for `add` and reads of the whole set over time.
 *
 * Per element (rules in fates.ts): stable, stale (with the lag from known to the last read that
 * missed it), lost, never-read, recovered (an info add that shows up: not an anomaly). Anomalies:
 * `lost` (acknowledged or seen, and a read after the final heal began after it was known and
 * after the last read there holding it ended: from then on every read lacks it, over time as in
 * Jepsen), `failed-write-visible` (a failed add that shows up: the database said it did not
 * happen), `unexpected` (an element nobody added), `duplicated` (a read holds an element twice). An
 * info add that never shows up is not lost; an add acknowledged after the last read began is
 * never-read, not lost. Elements added more than once are skipped.
 *
 * Keyed sets (Jepsen's independent set-full, set-shape.ts): each key's set is judged on its own,
 * named "key k" in the sentences; the stats add up over keys.
 *
 * Cost: each read is compared with every element known before it, as Jepsen does: linear in the
 * size of the history when reads return the whole set. Verdict: false on any anomaly; unknown when
 * nothing acknowledged could be decided or a fault never healed; else true.
 */
import { fmtValue, type Op } from '../../history/op.js';
import type { CheckOptions, Verdict } from '../types.js';
import { AnomalyLog } from './anomaly-log.js';
import { decideFates, decisive, newTally, type FateSubject, type FateTally, type LostWrite } from './fates.js';
import { healProblem } from './lost-writes.js';
import { quantiles, Sample } from './quantiles.js';
import { at, fmtKey, fromNode, who, witness } from './say.js';
import { NO_KEYED_SET, setOps, type SetOps } from './set-shape.js';
import { Budget, verdictOf } from './verdict.js';
import { faultTimeline, type FaultTimeline } from './windows.js';

type SetRead = { pair: import('../../history/pairs.js').OpPair; elems: readonly unknown[] };

export function checkSetFull(history: readonly Op[], opts: CheckOptions = {}): Verdict {
  const so = setOps(history, opts.keyed);
  const tl = faultTimeline(history);
  const log = new AnomalyLog();
  const budget = new Budget('set-full', opts, 1e9);
  const tally = newTally();
  const lag = new Sample();
  const lost: LostWrite[] = [];
  const sets = so.keys ?? [{ key: undefined, so }];
  let reads = 0;
  let adds = 0;
  let ambiguous = 0;
  for (const x of sets) {
    if (budget.exhausted) break;
    judge(x.so, x.key === undefined ? undefined : fmtKey(x.key), tl, log, budget, tally, lag, lost);
    reads += x.so.reads.length;
    adds += x.so.adds.length;
    ambiguous += x.so.ambiguous.size;
  }
  const stats = {
    ...tally,
    shape: so.shape,
    ...(so.keys ? { keys: so.keys.length } : {}),
    reads,
    adds,
    ambiguousElements: ambiguous,
    staleLagMs: quantiles(lag.values(), 1e-6),
    ignored: so.ignored,
  };
  const decided = tally.stable + tally.lost;
  const v = verdictOf(
    log,
    decided,
    healProblem(tl) ??
      (so.keys?.length === 0
        ? NO_KEYED_SET
        : reads === 0
          ? so.keys
            ? 'no read returned [key, set], so no keyed set was ever read'
            : 'the set was never read'
          : 'no read began after an acknowledged add (after the final heal, when there were faults), so no add could be judged lost or kept'),
    stats,
    budget,
  );
  if (v.valid === true && healProblem(tl)) return { ...v, valid: 'unknown', cause: healProblem(tl) };
  return v;
}

/** One set (the set, or one key's): fates, unexpected and duplicated elements. */
function judge(
  so: SetOps,
  key: string | undefined,
  tl: FaultTimeline,
  log: AnomalyLog,
  budget: Budget,
  tally: FateTally,
  lag: Sample,
  lostOut: LostWrite[],
): void {
  const adds = so.adds;
  const ids = new Map<unknown, number>();
  adds.forEach((a, k) => ids.set(a.elem, k));
  const n = adds.length;
  const firstSeen: (SetRead | undefined)[] = new Array(n);
  const lastHeld: (SetRead | undefined)[] = new Array(n);
  const stamp = new Int32Array(n).fill(-1);
  const unexpected = new Map<unknown, SetRead>();
  let dup: { e: unknown; r: SetRead } | undefined;
  // Pass 1, reads by completion: first sighting of each element, the decisive read holding it that
  // completed last, unexpected and duplicated elements.
  const byDone = so.reads.slice().sort((a, b) => a.pair.complete!.index - b.pair.complete!.index);
  byDone.forEach((r, rno) => {
    const dec = decisive(tl, r);
    for (const e of r.elems) {
      const k = ids.get(e);
      if (k === undefined) {
        if (!so.ambiguous.has(e) && !unexpected.has(e)) unexpected.set(e, r);
        continue;
      }
      if (stamp[k] === rno) {
        dup ??= { e, r };
        continue;
      }
      stamp[k] = rno;
      firstSeen[k] ??= r;
      if (dec) lastHeld[k] = r;
    }
  });
  // Pass 2, reads by invocation: the last read that missed each element after it was known.
  const known = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const p = adds[k]!.pair;
    known[k] = p.type === 'ok' ? p.complete!.index : p.type === 'info' && firstSeen[k] ? firstSeen[k]!.pair.complete!.index : Infinity;
  }
  const byKnown = Array.from({ length: n }, (_, k) => k)
    .filter((k) => known[k]! < Infinity)
    .sort((a, b) => known[a]! - known[b]!);
  const lastAbsent: (SetRead | undefined)[] = new Array(n);
  stamp.fill(-1);
  so.reads.forEach((r, rno) => {
    if (!budget.spend(r.elems.length + byKnown.length)) return;
    for (const e of r.elems) {
      const k = ids.get(e);
      if (k !== undefined) stamp[k] = rno;
    }
    const inv = r.pair.invoke.index;
    for (const k of byKnown) {
      if (known[k]! >= inv) break;
      if (stamp[k] !== rno) lastAbsent[k] = r;
    }
  });
  if (budget.exhausted) return;
  const label = key === undefined ? 'the set' : `key ${key}`;
  const subject: FateSubject<SetRead> = {
    label,
    act: (e) => `added ${fmtValue(e)}${key === undefined ? '' : ` to key ${key}`}`,
    writes: adds,
    reads: so.reads,
    // Only for the sentence of a lost element: one scan of the reads.
    has: (r, k) => r.elems.includes(adds[k]!.elem),
    firstSeen: (k) => firstSeen[k],
    lastAbsentAfter: (k) => lastAbsent[k],
    lastHeld: (k) => lastHeld[k],
  };
  decideFates(subject, tl, log, tally, lag, lostOut);
  const keyData = key === undefined ? {} : { key };
  if (unexpected.size > 0) {
    const es = [...unexpected.keys()];
    const first = [...unexpected.values()].sort((a, b) => a.pair.invoke.index - b.pair.invoke.index)[0]!;
    log.add({
      kind: 'unexpected',
      ops: witness(...[...new Set(unexpected.values())].slice(0, 20).map((r) => r.pair)),
      explanation:
        `${key === undefined ? 'reads' : `reads of key ${key}`} show ${es.length === 1 ? 'an element' : `${es.length} elements`} ` +
        `nobody added${key === undefined ? '' : ' to it'} (${es
          .slice(0, 5)
          .map((e) => fmtValue(e))
          .join(', ')}${es.length > 5 ? ', ...' : ''}), ` +
        `first ${who(first.pair)} reading it${fromNode(first.pair)} at ${at(first.pair.invoke)}`,
      data: { ...keyData, elements: es.slice(0, 50), count: es.length },
    });
  }
  if (dup) {
    log.add({
      kind: 'duplicated',
      ops: witness(dup.r.pair),
      explanation: `${who(dup.r.pair)} read ${label}${fromNode(dup.r.pair)} at ${at(dup.r.pair.invoke)} and got ${fmtValue(dup.e)} twice in it`,
      data: { ...keyData, element: dup.e },
    });
  }
}
