import { Interner } from '../../history/identity.js';
import { isPrim } from './shapes.js';

/**
 * Jepsen's literal reading compares whole values: the add of [0 1] is the element [0 1]. Elements
 * are compared with === here, so equal vectors and maps are interned to one object (the first seen),
 * by their identity (history/identity.ts: by type and value, map keys sorted, big integers exact).
 * Primitives and nil pass through.
 */
export function interner(): (v: unknown) => unknown {
  const i = new Interner();
  return (v) => i.of(v);
}

/** A list with its non-primitive elements interned (the same array when all are primitives). */
export function internAll(list: readonly unknown[], intern: (v: unknown) => unknown): readonly unknown[] {
  return list.every(isPrim) ? list : list.map(intern);
}
