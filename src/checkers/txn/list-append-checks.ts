/**
 * list-append's anomalies that need no cycle, under Elle's names and rules (list_append.clj, txn.clj):
 *
 * - duplicate-elements: an ok read holds an element more than once (each is appended once).
 * - G1a (aborted read): an ok read holds an element appended by a transaction that failed.
 * - garbage-read: an ok read holds an element no transaction (ok, info or fail) ever tried to append.
 *   Elle has no such check (it assumes every element has an appender); the name is ours.
 * - G1b (intermediate read): an ok read's last element was appended by another transaction that
 *   appended to the same key again afterwards.
 * - internal: an ok transaction reads a key inconsistently with its own earlier reads and appends
 *   there (after an append, the read must end with what it appended since; after a read, must equal
 *   that read plus its appends since). future-read: it read an element it appends only later.
 * - lost-update: two or more ok transactions read the same version of a key (the first read of it
 *   in each) and then appended to it.
 * - dirty-update: along a key's version order, a committed append lands after an append whose
 *   transaction failed (info appends in between are skipped, as Elle does; an element nobody appended
 *   counts as info: we cannot tell).
 * Each witness's ops are history indices (of the completions; of the invocation when there is none).
 */
import { fmtValue } from '../../history/op.js';
import { stringifyExact } from '../../history/exact.js';
import type { Anomaly } from '../types.js';
import { readWriter, type Orders } from './list-append-orders.js';
import { at, cap, fmtKey, fmtList, fmtRead } from './say.js';
import { canon, intermediateWrites, repeatsKey, same, type TxnRec, type TxnTable } from './txns.js';

export function listAppendAnomalies(t: TxnTable, o: Orders): Anomaly[] {
  const intermediate = intermediateWrites(t);
  return [...o.incompatible, ...readAnomalies(t, o, intermediate), ...txnAnomalies(t, o), ...dirtyUpdates(t, o)];
}

/** duplicate-elements, G1a, garbage-read, G1b: one pass over the ok reads. */
function readAnomalies(t: TxnTable, o: Orders, intermediate: Uint8Array): Anomaly[] {
  const { txns, mopStart, mopWrite, mopKey, mopValue, mopTxn, keys } = t;
  const nk = keys.length;
  // Per key, the first position of its order appended by a failed transaction or by nobody: a read
  // that is a prefix of the order (and the order has no duplicates) holds one only if it reaches there.
  const firstBad = new Int32Array(nk).fill(-1);
  for (let k = 0; k < nk; k++) {
    const base = o.orderStart[k]!;
    for (let p = 0; p < o.order[k]!.length; p++) {
      const wm = o.orderMop[base + p]!;
      if (wm < 0 || txns[mopTxn[wm]!]!.type === 'fail') {
        firstBad[k] = p;
        break;
      }
    }
  }
  const dups: Anomaly[] = [];
  const g1a: Anomaly[] = [];
  const garbage: Anomaly[] = [];
  const g1b: Anomaly[] = [];
  for (const txn of txns) {
    if (txn.type !== 'ok') continue;
    for (let r = mopStart[txn.at]!; r < mopStart[txn.at + 1]!; r++) {
      if (mopWrite[r]) continue;
      const v = mopValue[r] as unknown[];
      if (v.length === 0) continue;
      const k = mopKey[r]!;
      const key = keys[k];
      const plain = o.isPrefix[r] === 1 && o.dupAt[k] === -1;
      if (!plain && v.length > 1) {
        const counts = new Map<unknown, [unknown, number]>();
        for (const e of v) {
          const c = canon(e);
          const s = counts.get(c);
          if (s) s[1]++;
          else counts.set(c, [e, 1]);
        }
        const twice = [...counts.values()].filter((s) => s[1] > 1);
        if (twice.length > 0) {
          dups.push({
            kind: 'duplicate-elements',
            ops: [txn.index],
            explanation: `${cap(at(txn))} read ${fmtKey(key)} = ${fmtRead(v)}, holding ${twice.map(([e, n]) => `${fmtValue(e)} ${n} times`).join(', ')}; each element is appended once.`,
            data: { key, duplicates: twice, value: v },
          });
        }
      }
      if (!plain || (firstBad[k]! >= 0 && v.length > firstBad[k]!)) {
        const w = t.writers[k]!;
        for (const e of v) {
          const wm = w.get(canon(e));
          if (wm === undefined) {
            garbage.push({
              kind: 'garbage-read',
              ops: [txn.index],
              explanation: `${cap(at(txn))} read ${fmtKey(key)} = ${fmtRead(v)}, which holds ${fmtValue(e)}, an element no transaction ever tried to append.`,
              data: { key, element: e, value: v },
            });
          } else if (txns[mopTxn[wm]!]!.type === 'fail') {
            const writer = txns[mopTxn[wm]!]!;
            g1a.push({
              kind: 'G1a',
              ops: [txn.index, writer.index],
              explanation: `${cap(at(txn))} read ${fmtKey(key)} = ${fmtRead(v)}, which holds ${fmtValue(e)}, appended by ${at(writer)}, which failed.`,
              data: { key, element: e, value: v },
            });
          }
        }
      }
      const wm = readWriter(t, o, r);
      if (wm >= 0 && intermediate[wm] && mopTxn[wm] !== txn.at) {
        const writer = txns[mopTxn[wm]!]!;
        g1b.push({
          kind: 'G1b',
          ops: [txn.index, writer.index],
          explanation:
            `${cap(at(txn))} read ${fmtKey(key)} = ${fmtRead(v)}, ending in ${fmtValue(v[v.length - 1])}, which ${at(writer)} appended ` +
            `before appending to ${fmtKey(key)} again: an intermediate state.`,
          data: { key, element: v[v.length - 1], value: v },
        });
      }
    }
  }
  return [...dups, ...g1a, ...garbage, ...g1b];
}

/** Per key, within one transaction: what it did there so far. */
interface KeyState {
  /** The last read row of the key, -1 when none yet (its state before our appends is unknown). */
  base: number;
  /** Our appends since that read. */
  tail: unknown[];
  /** Every read row of the key so far (future-read). */
  reads: number[];
  wrote: boolean;
}

/** internal, future-read, lost-update: ok transactions that touch a key more than once. */
function txnAnomalies(t: TxnTable, o: Orders): Anomaly[] {
  const { txns, mopStart, mopWrite, mopKey, mopValue, keys } = t;
  const internal: Anomaly[] = [];
  const future: Anomaly[] = [];
  // lost-update: key id + read version -> the transactions that read it and then appended.
  const readers = new Map<string, { k: number; value: unknown[]; txns: TxnRec[] }>();
  const plain = (r: number): boolean => o.isPrefix[r] === 1 && o.dupAt[mopKey[r]!] === -1;
  for (const txn of txns) {
    if (txn.type !== 'ok') continue;
    const lo = mopStart[txn.at]!;
    const hi = mopStart[txn.at + 1]!;
    if (!repeatsKey(mopKey, lo, hi)) continue;
    const state = new Map<number, KeyState>();
    let internalDone = false;
    let futureDone = false;
    for (let m = lo; m < hi; m++) {
      const k = mopKey[m]!;
      let s = state.get(k);
      if (!s) state.set(k, (s = { base: -1, tail: [], reads: [], wrote: false }));
      if (mopWrite[m]) {
        const v = mopValue[m];
        if (!futureDone && s.reads.some((r) => holds(t, o, r, m))) {
          futureDone = true;
          future.push({
            kind: 'future-read',
            ops: [txn.index],
            explanation: `${cap(at(txn))} read ${fmtKey(keys[k])} holding ${fmtValue(v)} before it appended ${fmtValue(v)} itself.`,
            data: { key: keys[k], element: v },
          });
        }
        if (s.reads.length > 0 && !s.wrote) {
          // Elle's rule: the first append after the first read of the key, keyed by that read.
          s.wrote = true;
          const r = s.reads[0]!;
          const rv = mopValue[r] as unknown[];
          const id = `${k}:${plain(r) ? 'p' + rv.length : 's' + (stringifyExact(rv) ?? '')}`;
          const g = readers.get(id);
          if (g) g.txns.push(txn);
          else readers.set(id, { k, value: rv, txns: [txn] });
        }
        s.tail.push(v);
        continue;
      }
      const list = mopValue[m] as unknown[];
      if (!internalDone && (s.base >= 0 || s.tail.length > 0)) {
        const base = s.base >= 0 ? (mopValue[s.base] as unknown[]) : undefined;
        const ok = base
          ? list.length === base.length + s.tail.length && (plain(s.base) && plain(m) ? true : startsWith(list, base)) && endsWith(list, s.tail)
          : endsWith(list, s.tail);
        if (!ok) {
          internalDone = true;
          const want = base ? fmtList([...base, ...s.tail]) : '[.. ' + s.tail.map(fmtValue).join(' ') + ']';
          internal.push({
            kind: 'internal',
            ops: [txn.index],
            explanation: `${cap(at(txn))} read ${fmtKey(keys[k])} = ${fmtRead(list)}, but its own earlier reads and appends there imply ${want}.`,
            data: { key: keys[k], value: list, expected: base ? [...base, ...s.tail] : ['...', ...s.tail] },
          });
        }
      }
      s.base = m;
      s.tail = [];
      s.reads.push(m);
    }
  }
  const lost: Anomaly[] = [];
  for (const g of readers.values()) {
    if (g.txns.length < 2) continue;
    const idx = g.txns.map((x) => x.index);
    lost.push({
      kind: 'lost-update',
      ops: idx,
      explanation:
        `The committed transactions at indices ${idx.join(', ')} all read ${fmtKey(keys[g.k])} = ${fmtRead(g.value)} and then appended to it, ` +
        `so each overwrote a version the others had already updated.`,
      data: { key: keys[g.k], value: g.value },
    });
  }
  return [...internal, ...future, ...lost];
}

/** Whether read row r holds the element append row m appends. */
function holds(t: TxnTable, o: Orders, r: number, m: number): boolean {
  const list = t.mopValue[r] as unknown[];
  if (o.isPrefix[r] && o.dupAt[t.mopKey[r]!] === -1) return o.appendPos[m]! >= 0 && o.appendPos[m]! < list.length;
  const v = t.mopValue[m];
  return list.some((e) => same(e, v));
}

function startsWith(list: readonly unknown[], head: readonly unknown[]): boolean {
  if (head.length > list.length) return false;
  for (let i = 0; i < head.length; i++) if (!same(list[i], head[i])) return false;
  return true;
}

function endsWith(list: readonly unknown[], tail: readonly unknown[]): boolean {
  const off = list.length - tail.length;
  if (off < 0) return false;
  for (let i = 0; i < tail.length; i++) if (!same(list[off + i], tail[i])) return false;
  return true;
}

/** dirty-update, walking each key's order (only keys where a failed append shows up). */
function dirtyUpdates(t: TxnTable, o: Orders): Anomaly[] {
  const out: Anomaly[] = [];
  const { txns, mopTxn, keys } = t;
  for (let k = 0; k < keys.length; k++) {
    const ord = o.order[k]!;
    const base = o.orderStart[k]!;
    const typeAt = (p: number): 'ok' | 'info' | 'fail' => {
      const wm = o.orderMop[base + p]!;
      return wm < 0 ? 'info' : txns[mopTxn[wm]!]!.type;
    };
    let anyFail = false;
    for (let p = 0; p < ord.length && !anyFail; p++) anyFail = typeAt(p) === 'fail';
    if (!anyFail) continue;
    let t1 = -1; // position of the state's last decisive append; -1 = the initial state (committed)
    let t1Type: 'ok' | 'info' | 'fail' = 'ok';
    let from = 0;
    for (let p = 0; p < ord.length; p++) {
      const ty = typeAt(p);
      if (ty === 'info') continue;
      if (ty === 'ok') {
        if (t1Type === 'fail') {
          const a = txns[mopTxn[o.orderMop[base + t1]!]!]!;
          const b = txns[mopTxn[o.orderMop[base + p]!]!]!;
          out.push({
            kind: 'dirty-update',
            ops: [a.index, b.index],
            explanation:
              `${cap(fmtKey(keys[k]))} went ${fmtList(ord, from, p + 1)}: ${at(a)} appended ${fmtValue(ord[t1])} and failed, ` +
              `yet ${at(b)} appended ${fmtValue(ord[p])} after it and committed.`,
            data: { key: keys[k], values: ord.slice(from, p + 1) },
          });
        }
        t1 = p;
        t1Type = 'ok';
        from = p;
      } else if (t1Type !== 'fail') {
        t1 = p;
        t1Type = 'fail';
        from = p;
      }
    }
  }
  return out;
}
