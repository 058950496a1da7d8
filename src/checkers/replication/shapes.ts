import { PrefixList } from '../../history/prefix-list.js';

/**
 * Value shapes of the replication workloads. Keys are primitives compared with === and Map's
 * SameValueZero, which is their identity (history/identity.ts) since loaders keep integers canonical
 * (a bigint only beyond 2^53): so 1 and "1", true and "true" are different keys. Appended elements
 * may also be arrays or objects, compared structurally (keyed.ts interns them). Anything else is an
 * op "of another shape" that checkers skip and count.
 */
export type Prim = string | number | bigint | boolean;

export function isPrim(v: unknown): v is Prim {
  return typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint' || (typeof v === 'number' && Number.isFinite(v));
}

/**
 * An appended element: any value === can compare once interned (keyed.ts): primitives, nil, arrays
 * and objects. NaN (EDN's ##NaN) is not equal to itself: an op of another shape.
 */
export function isElement(v: unknown): boolean {
  return v !== undefined && v === v;
}

/** `[key, x]` with a primitive key: the shape of append, write and keyed read values. */
export function keyed(v: unknown): { key: Prim; x: unknown } | undefined {
  if (!Array.isArray(v) || v.length !== 2 || !isPrim(v[0])) return undefined;
  return { key: v[0], x: v[1] };
}

/** Whether v is `[key, x]` with a primitive key (keyed's test, with no object built). */
export function isKeyedValue(v: unknown): v is [Prim, unknown] {
  return Array.isArray(v) && v.length === 2 && isPrim(v[0]);
}

/** A read result that is a list (or nil, read as empty): the elements, else undefined. */
export function asList(x: unknown): readonly unknown[] | undefined {
  if (x === null || x === undefined) return EMPTY;
  if (x instanceof PrefixList) return x.toArray();
  return Array.isArray(x) ? x : undefined;
}

/** A list as a read returns it: an array, or a prefix of its key's shared list (history/prefix-list.ts). */
export function isList(x: unknown): x is readonly unknown[] | PrefixList {
  return Array.isArray(x) || x instanceof PrefixList;
}

export const EMPTY: readonly unknown[] = Object.freeze([]);
