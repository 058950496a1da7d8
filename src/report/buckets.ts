/** Time buckets for charts: a big history is summarised per bucket, never plotted op by op. */
export class Buckets {
  readonly width: number;
  constructor(
    readonly from: number,
    readonly to: number,
    readonly count: number,
  ) {
    this.width = Math.max((to - from) / count, 1e-9);
  }
  of(t: number): number {
    return Math.min(this.count - 1, Math.max(0, Math.floor((t - this.from) / this.width)));
  }
  /** Middle of bucket b, in seconds (times are ms). */
  midS(b: number): number {
    return (this.from + (b + 0.5) * this.width) / 1000;
  }
}

/** Nearest-rank quantile of an ascending-sorted array. */
export function quantileSorted(a: ArrayLike<number>, q: number): number {
  if (a.length === 0) return NaN;
  return a[Math.min(a.length - 1, Math.max(0, Math.ceil(q * a.length) - 1))]!;
}
