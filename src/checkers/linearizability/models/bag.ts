import { showCanon } from './value.js';

/**
 * An immutable set or multiset of elements given as canonical texts (see canon), kept sorted, with
 * its memo key: the texts joined by newlines (canonical texts never hold a raw newline).
 */
export interface Bag {
  readonly items: readonly string[];
  readonly key: string;
}

export const EMPTY_BAG: Bag = { items: [], key: '' };

function lowerBound(items: readonly string[], x: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function bagHas(b: Bag, x: string): boolean {
  return b.items[lowerBound(b.items, x)] === x;
}

/** b with x added; with `unique` (a set) b itself when x is already there. */
export function bagAdd(b: Bag, x: string, unique: boolean): Bag {
  const { items } = b;
  const i = lowerBound(items, x);
  if (unique && items[i] === x) return b;
  const out = new Array<string>(items.length + 1);
  for (let j = 0; j < i; j++) out[j] = items[j];
  out[i] = x;
  for (let j = i; j < items.length; j++) out[j + 1] = items[j];
  return { items: out, key: out.join('\n') };
}

/** b with one x removed, or undefined when x is not in b. */
export function bagRemove(b: Bag, x: string): Bag | undefined {
  const { items } = b;
  const i = lowerBound(items, x);
  if (items[i] !== x) return undefined;
  if (items.length === 1) return EMPTY_BAG;
  const out = new Array<string>(items.length - 1);
  for (let j = 0; j < i; j++) out[j] = items[j];
  for (let j = i + 1; j < items.length; j++) out[j - 1] = items[j];
  return { items: out, key: out.join('\n') };
}

/** The key a bag holding exactly these elements (duplicates kept) would have. */
export function bagKeyOf(elements: readonly string[]): string {
  return [...elements].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join('\n');
}

/** Elements in plain words, numbers in numeric order: "[1 2 10]". */
export function showElements(elements: readonly string[]): string {
  const sorted = [...elements].sort((a, b) => {
    const x = Number(a);
    const y = Number(b);
    if (!Number.isNaN(x) && !Number.isNaN(y)) return x - y;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return `[${sorted.map(showCanon).join(' ')}]`;
}
