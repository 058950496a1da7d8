/**
 * A small seeded PRNG (mulberry32). Generators never own one: the interpreter hands each op/update
 * call a fresh stream from rngFor(seed, step), which keeps generators pure values.
 */
export class Rng {
  constructor(private state: number) {}

  /** Uniform 32-bit unsigned integer. */
  uint32(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  /** Exponentially distributed with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.float()) * mean;
  }
}

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Folds any finite number (a seed may exceed 32 bits) into 32 bits. */
function fold(n: number): number {
  const lo = n >>> 0;
  const hi = Math.floor(n / 4294967296) >>> 0;
  return mix32(lo ^ mix32(hi + 0x9e3779b9));
}

/** The stream for call number `step` of a run seeded with `seed`; `stream` separates uses (op vs update). */
export function rngFor(seed: number, step: number, stream = 0): Rng {
  return new Rng(mix32(fold(seed) ^ mix32(fold(step) + 0x9e3779b9 * (stream + 1))));
}
