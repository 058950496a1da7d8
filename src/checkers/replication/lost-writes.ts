/**
 * lost-writes: Jepsen's set-full, per key of the append workload (and per register key).
 *
 * Per element (see fates.ts for the precise rules): stable, stale, lost, never-read, plus recovered
 * (an info append that shows up: not an anomaly), and the anomalies `lost` (an acknowledged or
 * seen append that every read begun after its last sighting lacks; one anomaly per key listing
 * its lost elements),
 * `failed-write-visible` (a failed append that shows up), `unexpected` (a read holds an element
 * nobody appended to that key; one per key), `duplicated` (a read holds an element twice; one
 * per key). The reads of the key invoked after the final heal decide (all its reads without
 * faults): an element is lost when the last of them began after it was known and after every one
 * holding it had ended; a read that holds it at or after the same time as the last read lacking it
 * keeps it (a lagging replica). An element acknowledged after the last read began is never-read,
 * not lost. An info append that never shows up is not lost; a fail append did not happen.
 *
 * Register keys (single writer, increasing values): a read of v holds every version up to v, so an
 * acknowledged write is lost when the reads begun after the last read of it (or a newer version)
 * ended all return an older value; a read of a value
 * nobody wrote is unexpected, of a failed write's value failed-write-visible. Such a read cannot
 * be ranked: it might hold any version, so no write is lost by reads that began before it ended
 * (an older read before it does not decide: the register may have moved on since).
 *
 * Stale counts use reads that are prefixes of the key's order (divergent reads are the business of
 * consistent-prefix). Verdict: false on any anomaly; unknown when the history has fault windows and
 * no read began after the final heal (or a fault never healed), or when no acknowledged append
 * could be decided; else true.
 */
import { fmtValue, type Op } from '../../history/op.js';
import type { CheckOptions, KeyedMode, Verdict } from '../types.js';
import { AnomalyLog } from './anomaly-log.js';
import { attributeFailovers } from './failover-attribution.js';
import { decideFates, decisive, newTally, type FateSubject, type FateTally, type LostWrite } from './fates.js';
import { coverers, holds, isKeyed, keyedHistory, type KeyData, type ReadRec, type WriteRec } from './keyed.js';
import { quantiles, Sample } from './quantiles.js';
import { at, fmtKey, fromNode, who, witness } from './say.js';
import { verdictOf } from './verdict.js';
import { faultTimeline, healProblemText, neverHealed, type FaultTimeline } from './windows.js';

export interface LostWritesResult {
  verdict: Verdict;
  lost: LostWrite[];
}

const caches = { keyed: new WeakMap<readonly Op[], LostWritesResult>(), unkeyed: new WeakMap<readonly Op[], LostWritesResult>() };

export function checkLostWrites(history: readonly Op[], opts: CheckOptions = {}): Verdict {
  return lostWrites(history, opts.keyed).verdict;
}

/** The verdict and the lost writes themselves (availability attributes them to faults). */
export function lostWrites(history: readonly Op[], keyed: KeyedMode = 'auto'): LostWritesResult {
  const cache = isKeyed(history, keyed) ? caches.keyed : caches.unkeyed;
  const hit = cache.get(history);
  if (hit) return hit;
  const kh = keyedHistory(history, keyed);
  const tl = faultTimeline(history);
  const log = new AnomalyLog();
  const tally = newTally();
  const lag = new Sample();
  const lost: LostWrite[] = [];
  let ambiguous = 0;
  for (const kd of kh.keys) {
    const writes = kd.writes.filter((w) => !w.amb);
    ambiguous += kd.writes.length - writes.length;
    decideFates(subject(kd, writes, tl), tl, log, tally, lag, lost);
    if (kd.kind === 'list') oddListReads(kd, log);
    else oddRegisterReads(kd, log);
  }
  attributeFailovers(history, log.list, lost); // a loss faultline's own failover decided is said to be one
  const stats = {
    ...tally,
    ambiguousWrites: ambiguous,
    staleLagMs: quantiles(lag.values(), 1e-6),
    keys: kh.keys.length,
    ignored: kh.ignored,
    skippedKeys: kh.skipped,
  };
  const decidedAny = tally.stable + tally.lost > 0;
  let verdict = verdictOf(log, decidedAny ? 1 : 0, vacuity(tl, tally), stats);
  if (verdict.valid === true && healProblem(tl)) verdict = { ...verdict, valid: 'unknown', cause: healProblem(tl) };
  const r = { verdict, lost };
  cache.set(history, r);
  return r;
}

export function healProblem(tl: FaultTimeline): string | undefined {
  const why = healProblemText(tl);
  return why ? `${why}, so no final read after the heal could decide which writes were lost` : undefined;
}

function vacuity(tl: FaultTimeline, t: FateTally): string {
  if (neverHealed(tl)) return healProblem(tl)!;
  if (t.acked + t.recovered === 0) return 'no append or write was acknowledged or seen, so nothing could be lost';
  if (tl.finalHeal !== 'none') return 'no read began after the final heal (and after the writes it would judge), so no write could be judged lost or kept';
  return 'no read began after any acknowledged write, so no write could be judged lost or kept';
}

function subject(kd: KeyData, writes: WriteRec[], tl: FaultTimeline): FateSubject<ReadRec> {
  const k = fmtKey(kd.key);
  // Every ok read, in invocation order: a read that cannot tell (a register value nobody wrote)
  // might hold any element, so it stands in the way of a loss (see fates.ts).
  const reads = kd.reads;
  // Decisive reads: per position of the order, the prefix read holding it that completed last
  // (a prefix read of n versions holds positions < n), and per element, the divergent read
  // holding it that completed last. One pass over the reads and one over the order.
  const later = (a: ReadRec | undefined, b: ReadRec | undefined) => (!a ? b : !b ? a : b.pair.complete!.index > a.pair.complete!.index ? b : a);
  const heldFrom: (ReadRec | undefined)[] = new Array(kd.order.length + 1);
  const divHeld = new Map<unknown, ReadRec>();
  for (const r of reads) {
    if (r.n <= 0 || !decisive(tl, r)) continue;
    if (r.div) for (const e of r.list!) divHeld.set(e, later(divHeld.get(e), r)!);
    else heldFrom[r.n - 1] = later(heldFrom[r.n - 1], r);
  }
  for (let p = kd.order.length - 2; p >= 0; p--) heldFrom[p] = later(heldFrom[p], heldFrom[p + 1]);
  const cover = coverers(kd);
  // lastLE[v]: the last-invoked prefix read holding at most v versions.
  const lastLE: (ReadRec | undefined)[] = new Array(kd.order.length + 1);
  for (const r of reads) {
    if (r.div || r.n < 0) continue;
    const b = lastLE[r.n];
    if (!b || r.pair.invoke.index > b.pair.invoke.index) lastLE[r.n] = r;
  }
  for (let v = 1; v < lastLE.length; v++) {
    const a = lastLE[v - 1];
    const b = lastLE[v];
    if (a && (!b || a.pair.invoke.index > b.pair.invoke.index)) lastLE[v] = a;
  }
  // Divergent reads and register values nobody (or only a failed write) wrote: first read showing each element.
  const odd = new Map<unknown, ReadRec>();
  for (const r of kd.reads) {
    const es = r.div ? r.list! : r.n < 0 ? [r.value] : undefined;
    if (!es) continue;
    for (const e of es) {
      const prev = odd.get(e);
      if (!prev || r.pair.complete!.index < prev.pair.complete!.index) odd.set(e, r);
    }
  }
  return {
    label: `key ${k}`,
    act: (e) => (kd.kind === 'list' ? `appended ${fmtValue(e)} to key ${k}` : `wrote ${fmtValue(e)} to key ${k}`),
    writes: writes.map((w) => ({ pair: w.pair, elem: w.elem })),
    reads,
    has: (r, i) => holds(r, writes[i]!.elem),
    firstSeen: (i) => {
      const w = writes[i]!;
      const a = w.pos >= 0 ? cover[w.pos] : undefined;
      const b = odd.get(w.elem);
      if (!a) return b;
      if (!b) return a;
      return a.pair.complete!.index <= b.pair.complete!.index ? a : b;
    },
    lastHeld: (i) => {
      const w = writes[i]!;
      return later(w.pos >= 0 ? heldFrom[w.pos] : undefined, divHeld.get(w.elem));
    },
    unsure: (r) => r.n < 0,
    lastAbsentAfter: (i, known) => {
      const w = writes[i]!;
      const r = lastLE[w.pos >= 0 ? w.pos : kd.order.length];
      return r && r.pair.invoke.index > known ? r : undefined;
    },
  };
}

/** Elements nobody appended, and elements a read holds twice. */
function oddListReads(kd: KeyData, log: AnomalyLog): void {
  const k = fmtKey(kd.key);
  const cover = coverers(kd);
  const unexpected = new Map<unknown, ReadRec>();
  for (let p = 0; p < kd.order.length; p++) {
    const e = kd.order[p];
    if (!kd.writer.has(e) && !unexpected.has(e)) unexpected.set(e, cover[p]!);
  }
  let dup: { e: unknown; r: ReadRec } | undefined;
  if (kd.dupAt.length > 0) dup = { e: kd.order[kd.dupAt[0]!], r: cover[kd.dupAt[0]!]! };
  for (const r of kd.reads) {
    if (!r.div) continue;
    for (const e of r.list!) if (!kd.writer.has(e) && !unexpected.has(e)) unexpected.set(e, r);
    if (!dup && r.at!.size < r.list!.length) {
      const seen = new Set<unknown>();
      for (const e of r.list!) {
        if (seen.has(e)) {
          dup = { e, r };
          break;
        }
        seen.add(e);
      }
    }
  }
  if (unexpected.size > 0) {
    const es = [...unexpected.keys()];
    const first = [...unexpected.values()].sort((a, b) => a.pair.invoke.index - b.pair.invoke.index)[0]!;
    const shown = [...new Set(unexpected.values())].slice(0, 20);
    log.add({
      kind: 'unexpected',
      ops: witness(...shown.map((r) => r.pair)),
      explanation: `reads of key ${k} show ${es.length === 1 ? 'an element' : `${es.length} elements`} nobody appended to it (${es
        .slice(0, 5)
        .map((e) => fmtValue(e))
        .join(', ')}${es.length > 5 ? ', ...' : ''}), first ${who(first.pair)} reading it${fromNode(first.pair)} at ${at(first.pair.invoke)}`,
      data: { key: kd.key, elements: es.slice(0, 50), count: es.length },
    });
  }
  if (dup) {
    log.add({
      kind: 'duplicated',
      ops: witness(dup.r.pair),
      explanation: `${who(dup.r.pair)} read key ${k}${fromNode(dup.r.pair)} at ${at(dup.r.pair.invoke)} and got ${fmtValue(dup.e)} twice in it`,
      data: { key: kd.key, element: dup.e, node: dup.r.pair.node },
    });
  }
}

/** Register reads of values nobody wrote (failed writes' values are handled by the fates). */
function oddRegisterReads(kd: KeyData, log: AnomalyLog): void {
  const k = fmtKey(kd.key);
  for (const r of kd.reads) {
    if (r.n >= 0 || kd.failedValues!.has(r.value)) continue;
    log.add({
      kind: 'unexpected',
      ops: witness(r.pair),
      explanation: `${who(r.pair)} read key ${k}${fromNode(r.pair)} at ${at(r.pair.invoke)} and got ${fmtValue(r.value)}, which nobody wrote to it`,
      data: { key: kd.key, value: r.value, node: r.pair.node },
    });
  }
}
