import type { CheckOptions, Verdict } from '../types.js';
import type { AnomalyLog } from './anomaly-log.js';

/**
 * The verdict of a checker that looks for anomalies: false with them when there are any; unknown
 * with `vacuous` when it checked nothing (a silent true would claim what the run never tested);
 * unknown with the budget's cause when it stopped early; else true.
 */
export function verdictOf(log: AnomalyLog, checked: number, vacuous: string, stats: Record<string, unknown>, budget?: Budget): Verdict {
  const s: Record<string, unknown> = { ...stats, anomalies: log.counts };
  if (log.truncated.length > 0) s.truncatedKinds = log.truncated;
  if (log.total > 0) return { valid: false, anomalies: log.list, stats: s };
  if (budget?.exhausted) return { valid: 'unknown', anomalies: [], cause: budget.cause, stats: s };
  if (checked === 0) return { valid: 'unknown', anomalies: [], cause: vacuous, stats: s };
  return { valid: true, anomalies: [], stats: s };
}

/**
 * A work budget for the few loops that are not linear (they only run on divergent reads, which a
 * healthy run has few of). Spent in element comparisons; also stops at opts.timeLimitMs.
 */
export class Budget {
  exhausted = false;
  cause?: string;
  private spent = 0;
  private nextClock = 1 << 20;
  private readonly t0 = performance.now();
  constructor(
    private readonly name: string,
    opts: CheckOptions,
    private readonly limit = 2e8,
  ) {
    this.timeLimitMs = typeof opts.timeLimitMs === 'number' && opts.timeLimitMs > 0 ? opts.timeLimitMs : Infinity;
  }
  private readonly timeLimitMs: number;

  /** Spends n units; false once the budget is gone (then the caller stops and says unknown). */
  spend(n: number): boolean {
    if (this.exhausted) return false;
    this.spent += n;
    if (this.spent > this.limit)
      return this.stop(
        `${this.name} stopped after ${this.limit.toExponential(0)} element comparisons on divergent reads; the rest of the history is unchecked`,
      );
    if (this.spent > this.nextClock) {
      this.nextClock = this.spent + (1 << 20);
      if (performance.now() - this.t0 > this.timeLimitMs)
        return this.stop(`${this.name} ran out of its time budget (${this.timeLimitMs} ms); the rest of the history is unchecked`);
    }
    return true;
  }

  private stop(cause: string): false {
    this.exhausted = true;
    this.cause = cause;
    return false;
  }
}

/**
 * Sorted by the completion index of `pair` (ops without completion last), stable. A session runs
 * one op at a time, so its ops in invocation order are nearly always in completion order already:
 * then `xs` itself is returned (callers must not modify the result), else a sorted copy.
 */
export function byCompletion<T extends { pair: { complete?: { index: number }; invoke: { index: number } } }>(xs: T[]): T[] {
  let prev = -Infinity;
  let sorted = true;
  for (let i = 0; i < xs.length; i++) {
    const c = xs[i]!.pair.complete;
    const d = c === undefined ? Infinity : c.index;
    if (d < prev) {
      sorted = false;
      break;
    }
    prev = d;
  }
  if (sorted) return xs;
  // Sort (completion, position) packed into one double: a typed-array sort with no comparator.
  const n = xs.length;
  const SHIFT = 2 ** 21;
  const NONE = 2 ** 31 - 1;
  if (n < SHIFT) {
    const keys = new Float64Array(n);
    let fits = true;
    for (let i = 0; i < n; i++) {
      const c = xs[i]!.pair.complete;
      const d = c === undefined ? NONE : c.index;
      if (!(d >= 0 && d < NONE)) {
        fits = c === undefined;
        if (!fits) break;
      }
      keys[i] = d * SHIFT + i;
    }
    if (fits) {
      keys.sort();
      const out = new Array<T>(n);
      for (let i = 0; i < n; i++) out[i] = xs[keys[i]! % SHIFT]!;
      return out;
    }
  }
  return xs.slice().sort((a, b) => (a.pair.complete?.index ?? Infinity) - (b.pair.complete?.index ?? Infinity));
}
