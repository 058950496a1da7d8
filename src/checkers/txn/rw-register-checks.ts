/**
 * rw-register's anomalies that need no cycle, under Elle's names (rw_register.clj, txn.clj):
 *
 * - internal: an ok transaction reads a key other than as its own earlier read or write there left
 *   it. Elle skips the check after a read of nil (it treats nil as "not known"); nil is never written
 *   here (txns.ts refuses it), so a read of nil is as definite as any and we check after it too.
 * - G1a (aborted read): an ok read of a value a failed transaction wrote.
 * - G1b (intermediate read): an ok read of a value another transaction wrote and then overwrote in
 *   the same transaction.
 * - lost-update: two or more ok transactions read the same value of a key (their first read of it)
 *   and then wrote it.
 * Elle has no dirty-update for registers, and neither do we; a read of a value nobody wrote is no
 * anomaly either (see rw-register-versions.ts).
 */
import { fmtValue } from '../../history/op.js';
import type { Anomaly } from '../types.js';
import { at, cap, fmtKey } from './say.js';
import { canon, intermediateWrites, repeatsKey, same, type TxnRec, type TxnTable } from './txns.js';

export function rwRegisterAnomalies(t: TxnTable): Anomaly[] {
  const { txns, mopStart, mopWrite, mopKey, mopValue, mopTxn, keys } = t;
  const intermediate = intermediateWrites(t);
  const internal: Anomaly[] = [];
  const g1a: Anomaly[] = [];
  const g1b: Anomaly[] = [];
  const readers = new Map<string, { k: number; value: unknown; txns: TxnRec[] }>();
  for (const txn of txns) {
    if (txn.type !== 'ok') continue;
    const lo = mopStart[txn.at]!;
    const hi = mopStart[txn.at + 1]!;
    for (let r = lo; r < hi; r++) {
      if (mopWrite[r] || mopValue[r] === null) continue;
      const k = mopKey[r]!;
      const w = t.writers[k]!.get(canon(mopValue[r]));
      if (w === undefined) continue;
      const writer = txns[mopTxn[w]!]!;
      const v = fmtValue(mopValue[r]);
      if (writer.type === 'fail') {
        g1a.push({
          kind: 'G1a',
          ops: [txn.index, writer.index],
          explanation: `${cap(at(txn))} read ${fmtKey(keys[k])} = ${v}, which ${at(writer)} wrote and then failed.`,
          data: { key: keys[k], value: mopValue[r] },
        });
      }
      if (intermediate[w] && writer !== txn) {
        g1b.push({
          kind: 'G1b',
          ops: [txn.index, writer.index],
          explanation: `${cap(at(txn))} read ${fmtKey(keys[k])} = ${v}, which ${at(writer)} wrote and then overwrote: an intermediate state.`,
          data: { key: keys[k], value: mopValue[r] },
        });
      }
    }
    if (!repeatsKey(mopKey, lo, hi)) continue;
    const state = new Map<number, unknown>();
    let internalDone = false;
    const firstRead = new Map<number, unknown>();
    const wrote = new Set<number>();
    for (let m = lo; m < hi; m++) {
      const k = mopKey[m]!;
      const v = mopValue[m];
      if (mopWrite[m]) {
        state.set(k, v);
        if (firstRead.has(k) && !wrote.has(k)) {
          wrote.add(k);
          const rv = firstRead.get(k);
          const id = `${k}:${String(canon(rv))}:${typeof rv}`;
          const g = readers.get(id);
          if (g) g.txns.push(txn);
          else readers.set(id, { k, value: rv, txns: [txn] });
        }
        continue;
      }
      if (!internalDone && state.has(k) && !same(state.get(k), v)) {
        internalDone = true;
        internal.push({
          kind: 'internal',
          ops: [txn.index],
          explanation: `${cap(at(txn))} read ${fmtKey(keys[k])} = ${fmtValue(v)}, but its own earlier micro-ops there left it ${fmtValue(state.get(k))}.`,
          data: { key: keys[k], value: v, expected: state.get(k) },
        });
      }
      state.set(k, v);
      if (!firstRead.has(k)) firstRead.set(k, v);
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
        `The committed transactions at indices ${idx.join(', ')} all read ${fmtKey(keys[g.k])} = ${fmtValue(g.value)} and then wrote it, ` +
        `so each overwrote a version the others had already updated.`,
      data: { key: keys[g.k], value: g.value },
    });
  }
  return [...internal, ...g1a, ...g1b, ...lost];
}
