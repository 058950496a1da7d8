/**
 * list-append inference (Jepsen's `[[:append k v] [:r k [..]]]`), after Elle's list_append.clj.
 *
 * Version order: per key, the longest list an ok transaction read (list-append-orders.ts). Edges
 * between committed-or-maybe transactions (ok and info; a fail one is no vertex):
 * - ww: the appender of each element -> the appender of the next one in the order; an append no read
 *   saw came after every element read, so the appender of the order's last element -> it.
 * - wr: the appender of a read's last element -> the reader.
 * - rw: a reader of a prefix of length L -> the appender of element L+1 (a reader of the whole order,
 *   or of the empty list when nothing was read, -> every append no read saw).
 * Self-edges are dropped (a transaction reading or following its own append), as Elle does. Only ok
 * transactions' reads count: an info one returned none. Plus process and realtime edges (graph.ts).
 *
 * Anomalies that need no cycle: list-append-checks.ts. Explanations are derived on demand from the
 * two transactions' micro-ops and the key's order; nothing is stored per edge.
 */
import { fmtValue } from '../../history/op.js';
import { addProcessEdges, addRealtimeEdges, EdgeBuilder, explainOrder } from './graph.js';
import { listAppendAnomalies } from './list-append-checks.js';
import { inferOrders, prevAppend, readPos, readWriter, type Orders } from './list-append-orders.js';
import { fmtKey, fmtList, fmtRead } from './say.js';
import { buildTxnTable, type TxnTable } from './txns.js';
import { RW, WR, WW, type EdgeKind, type EdgeWhy, type Infer, type Inference } from './types.js';

export const inferListAppend: Infer = (history) => {
  const t = buildTxnTable(history, 'list-append');
  const o = inferOrders(t);
  const anomalies = listAppendAnomalies(t, o);
  const b = new EdgeBuilder(t.vertexTxn.length);
  addDataEdges(b, t, o);
  addProcessEdges(b, t);
  addRealtimeEdges(b, t);
  const graph = b.build();
  const inference: Inference = {
    txns: t.txns,
    vertexTxn: t.vertexTxn,
    graph,
    anomalies,
    explain: (from, to, kind, nameOf) => explainEdge(t, o, from, to, kind, nameOf),
  };
  return inference;
};

function addDataEdges(b: EdgeBuilder, t: TxnTable, o: Orders): void {
  const { txns, mopStart, mopWrite, mopKey, mopTxn } = t;
  const vertexOf = (row: number): number => (row < 0 ? -1 : txns[mopTxn[row]!]!.id);
  // ww along each order.
  for (let k = 0; k < t.keys.length; k++) {
    const base = o.orderStart[k]!;
    const len = o.order[k]!.length;
    for (let p = 1; p < len; p++) {
      const a = vertexOf(o.orderMop[base + p - 1]!);
      const c = vertexOf(o.orderMop[base + p]!);
      if (a >= 0 && c >= 0) b.add(a, c, WW);
    }
  }
  // Reads: wr from the last element's appender; rw to the next element's appender. Readers of a
  // key's whole order are chained per key (tailHead/tailNext) for the appends no read saw.
  const tailHead = new Int32Array(t.keys.length).fill(-1);
  const tailNext = new Int32Array(t.mopValue.length);
  for (const txn of txns) {
    if (txn.type !== 'ok') continue;
    for (let r = mopStart[txn.at]!; r < mopStart[txn.at + 1]!; r++) {
      if (mopWrite[r]) continue;
      const w = vertexOf(readWriter(t, o, r));
      if (w >= 0) b.add(w, txn.id, WR);
      const p = readPos(t, o, r);
      if (p === -2) continue;
      const k = mopKey[r]!;
      if (p + 1 < o.order[k]!.length) {
        const c = vertexOf(o.orderMop[o.orderStart[k]! + p + 1]!);
        if (c >= 0) b.add(txn.id, c, RW);
      } else {
        tailNext[r] = tailHead[k]!;
        tailHead[k] = r;
      }
    }
  }
  // Appends no read saw: after the order's last element, and after every read of the whole order.
  for (const txn of txns) {
    if (txn.type === 'fail') continue;
    for (let m = mopStart[txn.at]!; m < mopStart[txn.at + 1]!; m++) {
      if (!mopWrite[m] || o.appendPos[m]! >= 0) continue;
      const a = vertexOf(prevAppend(t, o, m));
      if (a >= 0) b.add(a, txn.id, WW);
      for (let r = tailHead[mopKey[m]!]!; r >= 0; r = tailNext[r]!) b.add(txns[mopTxn[r]!]!.id, txn.id, RW);
    }
  }
}

function explainEdge(t: TxnTable, o: Orders, from: number, to: number, kind: EdgeKind, nameOf: (v: number) => string): EdgeWhy {
  const a = t.txns[t.vertexTxn[from]!]!;
  const c = t.txns[t.vertexTxn[to]!]!;
  const A = nameOf(from);
  const C = nameOf(to);
  const { mopStart, mopWrite, mopKey, mopValue, mopTxn, keys } = t;
  const rowsOf = (x: number): [number, number] => [mopStart[x]!, mopStart[x + 1]!];
  switch (kind) {
    case 'ww': {
      const [lo, hi] = rowsOf(c.at);
      for (let m = lo; m < hi; m++) {
        if (!mopWrite[m]) continue;
        const prev = prevAppend(t, o, m);
        if (prev < 0 || mopTxn[prev] !== a.at) continue;
        const k = mopKey[m]!;
        const ord = o.order[k]!;
        const p = o.appendPos[m]!;
        const v = mopValue[m];
        const sentence =
          p >= 0
            ? `${C} appended ${fmtValue(v)} after ${A} appended ${fmtValue(mopValue[prev])} to ${fmtKey(keys[k])} ` +
              `(${fmtKey(keys[k])} was read as ${fmtList(ord, p - 1, p + 1)})`
            : `${C} appended ${fmtValue(v)} to ${fmtKey(keys[k])} after ${A} appended ${fmtValue(mopValue[prev])}, ` +
              `the last element any read saw (${fmtList(ord, ord.length - 2)}), since no read saw ${fmtValue(v)}`;
        return { kind, key: keys[k], value: v, sentence };
      }
      break;
    }
    case 'wr': {
      if (c.type !== 'ok') break;
      const [lo, hi] = rowsOf(c.at);
      for (let r = lo; r < hi; r++) {
        if (mopWrite[r]) continue;
        const w = readWriter(t, o, r);
        if (w < 0 || mopTxn[w] !== a.at) continue;
        const v = mopValue[r] as unknown[];
        const k = mopKey[r]!;
        return { kind, key: keys[k], value: v[v.length - 1], sentence: `${C} read ${fmtKey(keys[k])} = ${fmtRead(v)}, the last element ${A} appended` };
      }
      break;
    }
    case 'rw': {
      if (a.type !== 'ok') break;
      const [lo, hi] = rowsOf(a.at);
      const [clo, chi] = rowsOf(c.at);
      for (let r = lo; r < hi; r++) {
        if (mopWrite[r]) continue;
        const p = readPos(t, o, r);
        if (p === -2) continue;
        const k = mopKey[r]!;
        const ord = o.order[k]!;
        if (p + 1 < ord.length) {
          const nm = o.orderMop[o.orderStart[k]! + p + 1]!;
          if (nm < 0 || mopTxn[nm] !== c.at) continue;
          const v = mopValue[nm];
          const read = mopValue[r];
          // An incompatible read may hold v elsewhere: the edge comes from the longest read's order, so say that.
          const sentence =
            Array.isArray(read) && read.includes(v)
              ? `${A} read ${fmtKey(keys[k])} = ${fmtRead(read)}, which disagrees with the longest read of it (incompatible-order); ` +
                `by the longest read, ${fmtValue(v)}, which ${C} appended, comes right after ${fmtValue(read[read.length - 1])}, the last element ${A} read, so ${A} precedes ${C}`
              : `${A} read ${fmtKey(keys[k])} without ${fmtValue(v)}, which ${C} appended next, so ${A} precedes ${C}`;
          return { kind, key: keys[k], value: v, sentence };
        }
        for (let m = clo; m < chi; m++) {
          if (!mopWrite[m] || mopKey[m] !== k || o.appendPos[m]! >= 0) continue;
          const v = mopValue[m];
          return {
            kind,
            key: keys[k],
            value: v,
            sentence:
              `${A} read ${fmtKey(keys[k])} = ${fmtRead(mopValue[r] as unknown[])} without ${fmtValue(v)}, which ${C} appended ` +
              `after every element any read saw, so ${A} precedes ${C}`,
          };
        }
      }
      break;
    }
    case 'process':
    case 'realtime': {
      const why = explainOrder(a, c, kind, A, C);
      if (why) return why;
      break;
    }
  }
  throw new Error(`no ${kind} edge from ${A} to ${C}`);
}
