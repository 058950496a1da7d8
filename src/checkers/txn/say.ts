// Words for the transactional checkers' sentences.
import { fmtValue } from '../../history/op.js';
import type { Txn } from './types.js';

export function fmtKey(k: unknown): string {
  return `key ${fmtValue(k)}`;
}

/**
 * Elements lo..hi-1 of a list as "[a b c]", with ".." where the list goes on before or after, and
 * at most `max` elements (the middle elided): "[.. 2 3 ..]".
 */
export function fmtList(list: readonly unknown[], lo = 0, hi = list.length, max = 8): string {
  lo = Math.max(0, lo);
  hi = Math.min(list.length, hi);
  const parts: string[] = [];
  if (lo > 0) parts.push('..');
  if (hi - lo <= max) {
    for (let i = lo; i < hi; i++) parts.push(fmtValue(list[i]));
  } else {
    const head = Math.floor(max / 2);
    for (let i = lo; i < lo + head; i++) parts.push(fmtValue(list[i]));
    parts.push('..');
    for (let i = hi - (max - head); i < hi; i++) parts.push(fmtValue(list[i]));
  }
  if (hi < list.length) parts.push('..');
  return `[${parts.join(' ')}]`;
}

/** The tail of a read for a sentence: the whole list when short, else "[.. x y z]". */
export function fmtRead(list: readonly unknown[]): string {
  return list.length <= 8 ? fmtList(list) : fmtList(list, list.length - 5);
}

/** "the transaction at index 12" (the index of its completion; of its invocation when it has none). */
export function at(txn: Txn): string {
  return `the transaction at index ${txn.index}`;
}

export function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
