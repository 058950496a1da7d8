import { isPrim } from './shapes.js';

/**
 * Jepsen's literal reading compares whole values: the add of [0 1] is the element [0 1]. Elements
 * are compared with === here, so equal vectors and maps are interned to one object (the first seen),
 * by their JSON with map keys sorted (bigints as "<digits>n"). Primitives and nil pass through.
 */
export function interner(): (v: unknown) => unknown {
  const seen = new Map<string, unknown>();
  return (v) => {
    if (v === null || v === undefined || isPrim(v) || typeof v !== 'object') return v;
    const k = canonical(v);
    const hit = seen.get(k);
    if (hit !== undefined) return hit;
    seen.set(k, v);
    return v;
  };
}

/** A list with its non-primitive elements interned (the same array when all are primitives). */
export function internAll(list: readonly unknown[], intern: (v: unknown) => unknown): readonly unknown[] {
  return list.every(isPrim) ? list : list.map(intern);
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (typeof x === 'bigint') return `${x}n`;
    if (x && typeof x === 'object' && !Array.isArray(x)) {
      const o = x as Record<string, unknown>;
      return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
    }
    return x;
  });
}
