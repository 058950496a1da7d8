/**
 * The identity of a history value: one canonical text per value, equal exactly when the values are
 * equal by type and value. Keys and elements that go into Maps by text go through here, so 1 and
 * "1", true and "true", 5 and [5] stay apart, and [1,2] equals another [1,2] read elsewhere.
 *
 * The text is JSON with sorted object keys, except: nil (null or undefined) is `null`; -0 is 0;
 * an integer beyond 2^53 (a bigint, see exact.ts) is its exact digits, while a double that merely
 * holds an integer that large (from a literal with a fraction) gets `.0`; NaN and infinities are
 * NaN, Infinity, -Infinity. Strings are always quoted, so no two kinds of value share a text, and
 * the text never holds a raw newline.
 */
export function identity(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return numberText(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v >= -9007199254740991n && v <= 9007199254740991n ? String(Number(v)) : v.toString();
    case 'undefined':
      return 'null';
    case 'object': {
      if (v === null) return 'null';
      if (Array.isArray(v)) {
        let s = '[';
        for (let i = 0; i < v.length; i++) s += (i ? ',' : '') + identity(v[i]);
        return s + ']';
      }
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o).sort();
      let s = '{';
      for (let i = 0; i < keys.length; i++) s += (i ? ',' : '') + JSON.stringify(keys[i]) + ':' + identity(o[keys[i]!]);
      return s + '}';
    }
    default:
      return JSON.stringify(String(v));
  }
}

function numberText(v: number): string {
  if (v === 0) return '0';
  const s = String(v);
  // A double holding an integer beyond 2^53 is not that exact integer (which would be a bigint).
  if (Number.isInteger(v) && !Number.isSafeInteger(v) && !s.includes('e')) return s + '.0';
  return s;
}

/**
 * Interns values by identity: a primitive is its own canonical value (the loaders keep numbers
 * canonical, so === and Map keys are exact); an array or object becomes the first value seen with
 * the same identity, so structurally equal elements are one value to ===, Map and Set.
 */
export class Interner {
  private readonly seen = new Map<string, unknown>();

  of<T>(v: T): T {
    if (v === null || typeof v !== 'object') return v;
    const id = identity(v);
    const known = this.seen.get(id);
    if (known !== undefined) return known as T;
    this.seen.set(id, v);
    return v;
  }

  /**
   * The list with every element interned; the list itself when it holds no array or object;
   * undefined when it holds a NaN, which no === can match (the caller treats it as another shape).
   */
  list(xs: readonly unknown[]): readonly unknown[] | undefined {
    // Hot (every element of every read): one test per primitive element.
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i];
      if (typeof x === 'object' ? x !== null : x !== x) return this.listFrom(xs, i);
    }
    return xs;
  }

  private listFrom(xs: readonly unknown[], start: number): readonly unknown[] | undefined {
    let out: unknown[] | undefined;
    for (let i = start; i < xs.length; i++) {
      const x = xs[i];
      if (x !== x) return undefined;
      if (x === null || typeof x !== 'object') continue;
      const y = this.of(x);
      if (y === x) continue;
      out ??= xs.slice();
      out[i] = y;
    }
    return out ?? xs;
  }
}
