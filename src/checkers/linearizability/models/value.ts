import { parseJsonExact } from '../../../history/exact.js';
import { identity } from '../../../history/identity.js';

/**
 * Values compared by value, not identity. `prepare` turns each op's value into a token once, so that
 * `step` compares with `===` and a state can be its own memo key.
 */

/**
 * A canonical value: finite numbers and ordinary strings stand for themselves; every other value
 * (nil, booleans, NaN, arrays, objects, strings that begin with TAG) is TAG + its canonical text.
 */
export type Token = number | string;

const TAG = '\u0001';
const TAG_CODE = 1;
export const NIL: Token = TAG + 'null';

/**
 * Canonical text of any JSON-ish value: the shared identity (history/identity.ts), JSON with sorted
 * object keys and exact big integers; injective, never holds a raw newline.
 */
export const canon: (v: unknown) => string = identity;

/** The token of a value; `token(a) === token(b)` exactly when a and b are equal JSON-ish values. */
export function token(v: unknown): Token {
  if (typeof v === 'number' && Number.isFinite(v)) return v === 0 ? 0 : v;
  if (typeof v === 'string' && v.charCodeAt(0) !== TAG_CODE) return v;
  if (v === null || v === undefined) return NIL;
  if (typeof v === 'bigint' && Number.isSafeInteger(Number(v))) return Number(v);
  return TAG + canon(v);
}

export function isNil(v: unknown): boolean {
  return v === NIL || v === null || v === undefined;
}

/** A raw value in short plain words, EDN-ish: nil, 3, x, "3", [1 2], {a 1}. */
export function showValue(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'string') return /^[^\s[\]{}(),"'`;\\]+$/.test(v) && !/^(nil|true|false|[-+]?[\d.].*)$/.test(v) ? v : JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(showValue).join(' ')}]`;
  if (typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${showValue(k)} ${showValue(x)}`)
      .join(', ')}}`;
  return String(v);
}

/** Canonical text (from canon) back in plain words. */
export function showCanon(c: string): string {
  try {
    return showValue(parseJsonExact(c));
  } catch {
    return c; // NaN, Infinity: their text is already plain
  }
}

/** A token (or, leniently, an unprepared value) in plain words. */
export function show(t: unknown): string {
  if (typeof t === 'string' && t.charCodeAt(0) === TAG_CODE) return showCanon(t.slice(1));
  return showValue(t);
}
