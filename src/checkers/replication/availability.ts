/**
 * availability: success ratios, RTO and RPO around faults (fault windows: see windows.ts).
 *
 * Client ops are reads (f "read") or writes (every other client f). For each window, and inside
 * vs outside all windows (by invocation), ok/fail/info counts and the success ratio ok / all.
 *
 * RTO: the longest time without a successful write (and, separately, read): the gaps between
 * consecutive ok completions, from the first invocation of that class to its last event. Reported
 * overall and per window (the longest gap that overlaps the window: the outage the fault caused,
 * including the recovery after the heal).
 *
 * RPO: acknowledged (or seen) appends and register writes that lost-writes found lost, each
 * attributed to the first window that had not ended when the write was acknowledged (the fault
 * during or after which it disappeared); per window their count and the time span their
 * acknowledgements cover. Lost writes acknowledged after the final heal are reported apart.
 *
 * A measurement: the verdict is true, or unknown when the history has no fault windows (nothing
 * was measured around faults) or no client op completed (ok or fail) inside any window (the
 * faults were never exercised).
 */
import type { Op } from '../../history/op.js';
import type { OpPair } from '../../history/pairs.js';
import type { CheckOptions, Verdict } from '../types.js';
import { lostWrites } from './lost-writes.js';
import { pairsOf } from './pairs-cache.js';
import { Sample } from './quantiles.js';
import { faultTimeline, inAnyWindow, windowJson, windowsAt, type FaultTimeline, type FaultWindow } from './windows.js';

interface Counts {
  ok: number;
  fail: number;
  info: number;
}
const counts = (): Counts => ({ ok: 0, fail: 0, info: 0 });
const ratio = (c: Counts) => (c.ok + c.fail + c.info === 0 ? null : c.ok / (c.ok + c.fail + c.info));
const ms = (ns: number) => ns / 1e6;

export function checkAvailability(history: readonly Op[], opts: CheckOptions = {}): Verdict {
  const tl = faultTimeline(history);
  const pairs = pairsOf(history);
  const inside = counts();
  const outside = counts();
  const perWindow = tl.windows.map(() => ({ read: counts(), write: counts() }));
  let completedInside = 0;
  for (const p of pairs) {
    const cls = p.f === 'read' ? 'read' : 'write';
    const inv = p.invoke.index;
    if (tl.windows.length === 0) {
      outside[p.type]++;
      continue;
    }
    const c = inAnyWindow(tl, inv) ? inside : outside;
    c[p.type]++;
    if (c === inside) for (const id of windowsAt(tl, inv)) perWindow[id]![cls][p.type]++;
    if (p.complete && p.type !== 'info' && inAnyWindow(tl, p.complete.index)) completedInside++;
  }
  const gaps = gapsOf(pairs, tl);
  const lost = lostWrites(history, opts.keyed).lost;
  const rpo = tl.windows.map(() => ({ lostWrites: 0, firstAckTime: Infinity, lastAckTime: -Infinity }));
  let lostAfterHeal = 0;
  for (const l of lost) {
    const w = tl.windows.find((x) => x.endIndex >= l.knownIndex);
    if (!w) {
      lostAfterHeal++;
      continue;
    }
    const r = rpo[w.id]!;
    r.lostWrites++;
    r.firstAckTime = Math.min(r.firstAckTime, l.knownTime);
    r.lastAckTime = Math.max(r.lastAckTime, l.knownTime);
  }
  const stats: Record<string, unknown> = {
    windows: tl.windows.map((w, i) => ({
      window: windowJson(w),
      reads: { ...perWindow[i]!.read, successRatio: ratio(perWindow[i]!.read) },
      writes: { ...perWindow[i]!.write, successRatio: ratio(perWindow[i]!.write) },
      rtoMs: { write: longestOverlapping(gaps.write, w, tl), read: longestOverlapping(gaps.read, w, tl) },
      rpo:
        rpo[i]!.lostWrites === 0
          ? { lostWrites: 0 }
          : {
              lostWrites: rpo[i]!.lostWrites,
              firstAckTime: rpo[i]!.firstAckTime,
              lastAckTime: rpo[i]!.lastAckTime,
              spanMs: ms(rpo[i]!.lastAckTime - rpo[i]!.firstAckTime),
            },
    })),
    inside: { ...inside, successRatio: ratio(inside) },
    outside: { ...outside, successRatio: ratio(outside) },
    longestGapMs: { write: longest(gaps.write), read: longest(gaps.read) },
    lostWritesTotal: lost.length,
    lostWritesAfterFinalHeal: lostAfterHeal,
    finalHeal: tl.finalHeal,
  };
  if (tl.windows.length === 0)
    return {
      valid: 'unknown',
      anomalies: [],
      cause: 'the history has no fault windows (no nemesis start/stop ops), so nothing was measured around faults',
      stats,
    };
  if (completedInside === 0)
    return { valid: 'unknown', anomalies: [], cause: 'no client op completed (ok or fail) inside any fault window, so the faults were never exercised', stats };
  return { valid: true, anomalies: [], stats };
}

/**
 * Gaps without an ok completion, as their boundaries: gap i runs from at[i] to at[i + 1]. Held as
 * one Float64Array, not an object per gap (there is one per ok op).
 */
interface Gaps {
  at: Float64Array;
  /** Both ends never decrease from one gap to the next: the gaps overlapping a window are one run of them. */
  sorted: boolean;
}

/** Per class: gaps without an ok completion, from its first invocation to its last event. One pass. */
function gapsOf(pairs: readonly OpPair[], tl: FaultTimeline): { read: Gaps; write: Gaps } {
  const oks = [new Sample(), new Sample()]; // 0 read, 1 write
  const first = [Infinity, Infinity];
  const last = [-Infinity, -Infinity];
  const pending = [false, false];
  for (const p of pairs) {
    const c = p.f === 'read' ? 0 : 1;
    if (p.invoke.time < first[c]!) first[c] = p.invoke.time;
    const end = (p.complete ?? p.invoke).time;
    if (end > last[c]!) last[c] = end;
    if (p.type === 'ok') oks[c]!.push(p.complete!.time);
    else if (!p.complete) pending[c] = true;
  }
  const out = (c: number): Gaps => {
    if (first[c] === Infinity) return { at: new Float64Array(0), sorted: true };
    // An op that never completed may still be pending at the end: its class was unavailable until then.
    const lastT = pending[c] ? Math.max(last[c]!, tl.lastTime) : last[c]!;
    const ts = oks[c]!.values().sort();
    const prev = ts.length > 0 ? ts[ts.length - 1]! : first[c]!;
    const at = new Float64Array(ts.length + (lastT > prev ? 2 : 1));
    at[0] = first[c]!;
    at.set(ts, 1);
    if (lastT > prev) at[at.length - 1] = lastT;
    // The ok times are sorted and the last end is past them; only the first invocation may lie after an ok time (clocks).
    return { at, sorted: ts.length === 0 || at[0]! <= ts[0]! };
  };
  return { read: out(0), write: out(1) };
}

/** The longest of gaps [from, to) (the first on a tie). */
function longest(g: Gaps, from = 0, to = g.at.length - 1): { ms: number; from: number; to: number } | null {
  const at = g.at;
  let best = -1;
  for (let i = from; i < to; i++) if (best < 0 || at[i + 1]! - at[i]! > at[best + 1]! - at[best]!) best = i;
  return best < 0 ? null : { ms: ms(at[best + 1]! - at[best]!), from: at[best]!, to: at[best + 1]! };
}

function longestOverlapping(g: Gaps, w: FaultWindow, tl: FaultTimeline): { ms: number; from: number; to: number } | null {
  const end = w.healed ? w.endTime : tl.lastTime;
  const at = g.at;
  const n = at.length - 1; // gaps
  const overlaps = (i: number) => at[i + 1]! >= w.startTime && at[i]! <= end;
  if (!g.sorted) {
    // Not one run: each gap on its own (as a filter would), the first longest kept.
    let best = -1;
    for (let i = 0; i < n; i++) if (overlaps(i) && (best < 0 || at[i + 1]! - at[i]! > at[best + 1]! - at[best]!)) best = i;
    return best < 0 ? null : { ms: ms(at[best + 1]! - at[best]!), from: at[best]!, to: at[best + 1]! };
  }
  // First gap ending at or after the window's start, then every gap starting by its end.
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at[mid + 1]! >= w.startTime) hi = mid;
    else lo = mid + 1;
  }
  let stop = lo;
  while (stop < n && at[stop]! <= end) stop++;
  return longest(g, lo, stop);
}
