/**
 * staleness: for every ok read of a key, how many acknowledged versions it missed, and the
 * visibility lag: for how long the newest missed version had been acknowledged when the read began.
 *
 * A version is acknowledged when its append (or register write) got ok; the read misses it when it
 * was acknowledged before the read was invoked and the read does not hold it (a register read of v
 * holds every version up to v). Info and fail writes are never counted as missed: they were not
 * acknowledged. A read that missed nothing has lag 0. Prefix reads are counted with two Fenwick
 * trees over the key's order (log time per read); divergent reads element by element.
 *
 * Reported as p50/p95/p99/max overall, per node, per fault window (reads invoked inside it; see
 * windows.ts) and outside every window. A measurement, not a property: the verdict is true, or
 * unknown when no read followed an acknowledged write (nothing was measured).
 */
import type { Op } from '../../history/op.js';
import type { CheckOptions, Verdict } from '../types.js';
import { keyedHistory, type KeyData, type ReadRec, type WriteRec } from './keyed.js';
import { quantiles, Sample } from './quantiles.js';
import { Budget, byCompletion } from './verdict.js';
import { faultTimeline, inAnyWindow, windowJson, windowsAt } from './windows.js';

class Group {
  lag = new Sample();
  missed = new Sample();
  stale = 0;
  add(lagNs: number, missed: number): void {
    this.lag.push(lagNs);
    this.missed.push(missed);
    if (missed > 0) this.stale++;
  }
  json(): Record<string, unknown> {
    return { reads: this.lag.length, staleReads: this.stale, lagMs: quantiles(this.lag.values(), 1e-6), missedVersions: quantiles(this.missed.values()) };
  }
}

export function checkStaleness(history: readonly Op[], opts: CheckOptions = {}): Verdict {
  const kh = keyedHistory(history, opts.keyed);
  const tl = faultTimeline(history);
  const budget = new Budget('staleness', opts);
  const all = new Group();
  const outside = new Group();
  const perNode = new Map<string, Group>();
  const perWindow = tl.windows.map(() => new Group());
  const record = (r: ReadRec, lagNs: number, missed: number) => {
    all.add(lagNs, missed);
    const node = r.pair.node ?? '(no node)';
    let g = perNode.get(node);
    if (!g) perNode.set(node, (g = new Group()));
    g.add(lagNs, missed);
    if (tl.windows.length === 0) return;
    const inv = r.pair.invoke.index;
    if (!inAnyWindow(tl, inv)) outside.add(lagNs, missed);
    else for (const id of windowsAt(tl, inv)) perWindow[id]!.add(lagNs, missed);
  };
  for (const kd of kh.keys) measureKey(kd, record, budget);
  const stats: Record<string, unknown> = {
    ...all.json(),
    perNode: Object.fromEntries([...perNode].sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, g]) => [n, g.json()])),
    perWindow: tl.windows.map((w, i) => ({ window: windowJson(w), ...perWindow[i]!.json() })),
    outsideWindows: tl.windows.length > 0 ? outside.json() : undefined,
    keys: kh.keys.length,
    ignored: kh.ignored,
    skippedKeys: kh.skipped.length,
  };
  if (budget.exhausted) return { valid: 'unknown', anomalies: [], cause: budget.cause, stats };
  if (all.lag.length === 0)
    return { valid: 'unknown', anomalies: [], cause: 'no read followed an acknowledged write, so there was no staleness to measure', stats };
  return { valid: true, anomalies: [], stats };
}

function measureKey(kd: KeyData, record: (r: ReadRec, lagNs: number, missed: number) => void, budget: Budget): void {
  const acked = byCompletion(kd.writes.filter((w) => w.pair.type === 'ok' && !w.amb));
  if (acked.length === 0) return;
  const size = kd.order.length + 1; // slot size-1: acknowledged but in no prefix read
  // Reversed slots, so that "versions at positions >= n" is a prefix: a count tree and a max tree.
  const cnt = new Int32Array(size + 1);
  const mx = new Int32Array(size + 1); // 1 + index into `acked` of the newest acknowledged there
  const slot = (w: WriteRec) => size - 1 - (w.pos >= 0 ? w.pos : size - 1);
  let j = 0;
  for (const r of kd.reads) {
    if (r.n < 0) continue;
    const inv = r.pair.invoke.index;
    while (j < acked.length && acked[j]!.pair.complete!.index < inv) {
      for (let i = slot(acked[j]!) + 1; i <= size; i += i & -i) {
        cnt[i]!++;
        if (mx[i]! < j + 1) mx[i] = j + 1;
      }
      j++;
    }
    if (j === 0) continue;
    let missed = 0;
    let newest = 0;
    if (!r.div) {
      for (let i = size - r.n; i > 0; i -= i & -i) {
        missed += cnt[i]!;
        if (mx[i]! > newest) newest = mx[i]!;
      }
    } else {
      if (!budget.spend(j)) return;
      for (let i = 0; i < j; i++)
        if (!r.at!.has(acked[i]!.elem)) {
          missed++;
          newest = i + 1;
        }
    }
    record(r, newest > 0 ? Math.max(0, r.pair.invoke.time - acked[newest - 1]!.pair.complete!.time) : 0, missed);
  }
}
