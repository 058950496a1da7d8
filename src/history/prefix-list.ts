import type { Op } from './op.js';

/**
 * A read's list held as a prefix of its key's one shared list: the first n elements of `base`.
 *
 * Whole-list reads (append workloads: `read [k, list]` returns k's whole list) repeat their key's
 * prefix over and over: 1,000,000 operations on 1,000 keys read ~100M elements. The loader keeps one
 * list per key (the longest read so far, grown in place) and each read that is a prefix of it as
 * (base, n): memory is proportional to the keys, not to the reads. A read that is not a prefix (a
 * divergent read, the exception) keeps its own elements. `base` only ever grows at its end, so
 * base[0, n) never changes. Serialises (toJSON) as the list it stands for.
 */
export class PrefixList {
  constructor(
    readonly base: readonly unknown[],
    readonly n: number,
  ) {}

  get length(): number {
    return this.n;
  }

  toArray(): unknown[] {
    return this.base.slice(0, this.n);
  }

  toJSON(): unknown[] {
    return this.toArray();
  }
}

/**
 * The first ends.length elements of a key's shared list as JSON text, joined by commas (ends[i]:
 * where element i ends in it). Only for elements whose text is canonical (integers as String gives
 * them, strings without escapes), so two lists' texts are equal exactly when their elements are;
 * `dead` once the list holds anything else.
 */
export interface ListText {
  text: string;
  ends: number[];
  dead: boolean;
}

/** A list read's value: the elements of an array or a PrefixList. */
export function listElements(x: readonly unknown[] | PrefixList): readonly unknown[] {
  return x instanceof PrefixList ? x.toArray() : x;
}

/**
 * Turns ok `read [key, list]` completions whose list is a prefix of (or extends) the key's shared
 * list into PrefixLists, as the ops arrive (the loader calls add on each). Only lists of primitives
 * that === compares as equal exactly when they are the same value (strings, booleans, bigints,
 * nil, finite numbers other than -0; no NaN, arrays or objects) are shared; keys are primitives
 * (finite numbers, strings, booleans, bigints), grouped as a Map groups them. Anything else is left
 * as it was.
 */
export class ReadCompactor {
  private readonly lists = new Map<unknown, unknown[]>();
  private readonly texts = new Map<unknown, ListText>();

  /** The key's shared list, if it has one (the parser compares a read with it as it reads: fastline.ts). */
  listOf(k: unknown): unknown[] | undefined {
    return this.lists.get(k);
  }

  /** The key's list as text, for the parser to keep (fastline.ts); starts empty. */
  textOf(k: unknown): ListText {
    let t = this.texts.get(k);
    if (t === undefined) this.texts.set(k, (t = { text: '', ends: [], dead: false }));
    return t;
  }

  add(op: Op): void {
    if (op.type !== 'ok' || op.f !== 'read') return;
    const v = op.value;
    if (!Array.isArray(v) || v.length !== 2) return;
    const k: unknown = v[0];
    const list: unknown = v[1];
    if (!Array.isArray(list) || list.length === 0 || !primKey(k)) return;
    let base = this.lists.get(k);
    if (!base) {
      if (!plainFrom(list, 0)) return;
      // The first read's own array becomes the key's list: the op now holds it only through the PrefixList.
      this.lists.set(k, (base = list as unknown[]));
      v[1] = new PrefixList(base, list.length);
      return;
    }
    const n = list.length;
    const m = n < base.length ? n : base.length;
    for (let i = 0; i < m; i++) {
      const e: unknown = list[i];
      if (e !== base[i] || (e === 0 && Object.is(e, -0))) return;
    }
    if (n > base.length) {
      if (!plainFrom(list, base.length)) return;
      for (let i = base.length; i < n; i++) base.push(list[i]);
    }
    v[1] = new PrefixList(base, n);
  }
}

function primKey(k: unknown): boolean {
  return typeof k === 'string' || typeof k === 'boolean' || typeof k === 'bigint' || (typeof k === 'number' && Number.isFinite(k));
}

function plainFrom(list: readonly unknown[], from: number): boolean {
  for (let i = from; i < list.length; i++) {
    const e = list[i];
    switch (typeof e) {
      case 'number':
        if (e !== e || Object.is(e, -0)) return false;
        break;
      case 'string':
      case 'boolean':
      case 'bigint':
        break;
      default:
        if (e !== null) return false;
    }
  }
  return true;
}
