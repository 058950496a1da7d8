import type { Anomaly } from '../types.js';

/**
 * Collects anomalies, keeping the first `cap` of each kind (a broken run of a million ops would
 * otherwise carry a million sentences) and counting all of them.
 */
export class AnomalyLog {
  readonly list: Anomaly[] = [];
  readonly counts: Record<string, number> = {};
  constructor(private readonly cap = 100) {}

  add(a: Anomaly): void {
    const n = (this.counts[a.kind] ?? 0) + 1;
    this.counts[a.kind] = n;
    if (n <= this.cap) this.list.push(a);
  }

  get total(): number {
    let t = 0;
    for (const n of Object.values(this.counts)) t += n;
    return t;
  }

  /** Kinds that had more anomalies than the list keeps. */
  get truncated(): string[] {
    return Object.entries(this.counts)
      .filter(([, n]) => n > this.cap)
      .map(([k]) => k);
  }
}
