/**
 * list-append version orders, as Elle infers them: per key, the longest list any ok transaction read
 * (the first of that length), its duplicates dropped. Every read must be a prefix of it; the first
 * read per key that is not is an `incompatible-order` anomaly (Elle still uses the longest read as the
 * order, and so do we). Nothing is copied: the order is the read list itself unless it repeats an
 * element. Every element of the order is tied to the micro-op that appended it (any outcome), or -1
 * when nobody tried to append it (a garbage element).
 */
import type { Anomaly } from '../types.js';
import { fmtKey, fmtRead } from './say.js';
import { canon, same, type TxnTable } from './txns.js';

export interface Orders {
  /** Per key: its version order (distinct elements of the longest read), or [] when nobody read a non-empty list. */
  order: (readonly unknown[])[];
  /** Per key: the micro-op row of the longest read, -1 when none. */
  longest: Int32Array;
  /** Per key: first position of the longest read that repeats an earlier element, -1 when none. */
  dupAt: Int32Array;
  /** Flat over keys: orderMop[orderStart[k] + p] = the row that appended order[k][p], or -1. */
  orderStart: Uint32Array;
  orderMop: Int32Array;
  /** Per micro-op row: the position of an append's element in its key's order, -1 when not there (or a read). */
  appendPos: Int32Array;
  /** Per key: positions of elements in the order that nobody appended. */
  garbagePos: (Map<unknown, number> | undefined)[];
  /** Per micro-op row: 1 when an ok read is a prefix of its key's longest read. */
  isPrefix: Uint8Array;
  /** One incompatible-order anomaly per key that has one. */
  incompatible: Anomaly[];
}

export function isPrefixOf(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a === b) return true;
  if (a.length > b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !same(a[i], b[i])) return false;
  return true;
}

export function inferOrders(t: TxnTable): Orders {
  const nk = t.keys.length;
  const nm = t.mopValue.length;
  const { txns, mopStart, mopWrite, mopKey, mopValue } = t;
  const longest = new Int32Array(nk).fill(-1);
  const longestLen = new Uint32Array(nk);
  for (const txn of txns) {
    if (txn.type !== 'ok') continue;
    for (let m = mopStart[txn.at]!; m < mopStart[txn.at + 1]!; m++) {
      if (mopWrite[m]) continue;
      const len = (mopValue[m] as unknown[]).length;
      const k = mopKey[m]!;
      if (len > longestLen[k]!) {
        longestLen[k] = len;
        longest[k] = m;
      }
    }
  }

  const order: (readonly unknown[])[] = new Array<readonly unknown[]>(nk);
  const dupAt = new Int32Array(nk).fill(-1);
  const orderStart = new Uint32Array(nk + 1);
  for (let k = 0; k < nk; k++) {
    const raw = longest[k]! >= 0 ? (mopValue[longest[k]!] as unknown[]) : [];
    let o: readonly unknown[] = raw;
    if (raw.length > 1) {
      const seen = new Set<unknown>();
      for (let p = 0; p < raw.length; p++) {
        const c = canon(raw[p]);
        if (seen.has(c)) {
          if (dupAt[k] === -1) dupAt[k] = p;
        } else seen.add(c);
      }
      if (dupAt[k]! >= 0) {
        const distinct: unknown[] = [];
        const again = new Set<unknown>();
        for (const e of raw) {
          const c = canon(e);
          if (!again.has(c)) {
            again.add(c);
            distinct.push(e);
          }
        }
        o = distinct;
      }
    }
    order[k] = o;
    orderStart[k + 1] = orderStart[k]! + o.length;
  }

  const orderMop = new Int32Array(orderStart[nk]!);
  const appendPos = new Int32Array(nm).fill(-1);
  const garbagePos: (Map<unknown, number> | undefined)[] = new Array<Map<unknown, number> | undefined>(nk);
  for (let k = 0; k < nk; k++) {
    const o = order[k]!;
    const base = orderStart[k]!;
    const w = t.writers[k]!;
    for (let p = 0; p < o.length; p++) {
      const c = canon(o[p]);
      const wm = w.get(c);
      if (wm === undefined) {
        orderMop[base + p] = -1;
        (garbagePos[k] ??= new Map()).set(c, p);
      } else {
        orderMop[base + p] = wm;
        appendPos[wm] = p;
      }
    }
  }

  const isPrefix = new Uint8Array(nm);
  const incompatible: Anomaly[] = [];
  const reported = new Uint8Array(nk);
  for (const txn of txns) {
    if (txn.type !== 'ok') continue;
    for (let m = mopStart[txn.at]!; m < mopStart[txn.at + 1]!; m++) {
      if (mopWrite[m]) continue;
      const k = mopKey[m]!;
      const v = mopValue[m] as unknown[];
      if (v.length === 0) {
        isPrefix[m] = 1;
        continue;
      }
      const lm = longest[k]!;
      const raw = mopValue[lm] as unknown[];
      if (isPrefixOf(v, raw)) {
        isPrefix[m] = 1;
        continue;
      }
      if (reported[k]) continue;
      reported[k] = 1;
      const other = txns[t.mopTxn[lm]!]!;
      incompatible.push({
        kind: 'incompatible-order',
        ops: [txn.index, other.index],
        explanation:
          `The transaction at index ${txn.index} read ${fmtKey(t.keys[k])} = ${fmtRead(v)} and the one at index ${other.index} read ` +
          `${fmtRead(raw)}; the first is not a prefix of the second, so no single order of appends explains both.`,
        data: { key: t.keys[k], values: [v, raw] },
      });
    }
  }
  return { order, longest, dupAt, orderStart, orderMop, appendPos, garbagePos, isPrefix, incompatible };
}

/**
 * Position in k's order of the last element of read row r: -1 for an empty read (the initial
 * state), -2 when that element is not in the order (an incompatible read).
 */
export function readPos(t: TxnTable, o: Orders, r: number): number {
  const v = t.mopValue[r] as unknown[];
  if (v.length === 0) return -1;
  const k = t.mopKey[r]!;
  if (o.isPrefix[r] && o.dupAt[k] === -1) return v.length - 1;
  const c = canon(v[v.length - 1]);
  const wm = t.writers[k]!.get(c);
  if (wm !== undefined) return o.appendPos[wm]! >= 0 ? o.appendPos[wm]! : -2;
  return o.garbagePos[k]?.get(c) ?? -2;
}

/** The row that appended the last element of read row r (any outcome), or -1 (empty read or nobody). */
export function readWriter(t: TxnTable, o: Orders, r: number): number {
  const v = t.mopValue[r] as unknown[];
  if (v.length === 0) return -1;
  const k = t.mopKey[r]!;
  if (o.isPrefix[r] && o.dupAt[k] === -1) return o.orderMop[o.orderStart[k]! + v.length - 1]!;
  return t.writers[k]!.get(canon(v[v.length - 1])) ?? -1;
}

/**
 * The row that appended the element just before append row m in its key's order: the previous
 * position, or for an append no read saw, the last element of the order (it came after all of them).
 * -1 when m's element is first (or the order is empty) or that element has no appender.
 */
export function prevAppend(t: TxnTable, o: Orders, m: number): number {
  const k = t.mopKey[m]!;
  const p = o.appendPos[m]!;
  const len = o.order[k]!.length;
  const q = p >= 0 ? p - 1 : len - 1;
  return q >= 0 ? o.orderMop[o.orderStart[k]! + q]! : -1;
}
