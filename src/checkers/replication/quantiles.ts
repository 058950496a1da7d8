/** p50/p95/p99/max of a sample (nearest rank), in the sample's unit; all zero for an empty one. */
export interface Quantiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function quantiles(sample: ArrayLike<number>, scale = 1): Quantiles {
  const n = sample.length;
  if (n === 0) return { count: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  const s = Float64Array.from(sample as ArrayLike<number>).sort();
  const q = (p: number) => s[Math.max(0, Math.ceil(p * n) - 1)] * scale;
  return { count: n, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: s[n - 1] * scale };
}

/** A growable Float64 sample, cheaper than number[] for hundreds of thousands of values. */
export class Sample {
  private a = new Float64Array(64);
  length = 0;
  push(v: number): void {
    if (this.length === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.length++] = v;
  }
  values(): Float64Array {
    return this.a.subarray(0, this.length);
  }
}
