/**
 * rw-register version orders: only what is sound, from the sources Elle uses (rw_register.clj).
 *
 * A transaction's external read of a key is its first read of it before any write of it there (ok
 * transactions only: an info one returned no reads); its external write is its last write of it (ok
 * and info: an info transaction may have committed). Versions are (key, value) pairs; nil is each
 * key's initial state.
 *
 * Sources, in Elle's order; each is merged only when the merged graph stays acyclic, otherwise its
 * cycles are reported as `cyclic-versions` (with the sources that made them) and it is left out:
 * - initial-state (always): nil precedes every version an ok transaction externally read or an ok or
 *   info one externally wrote. Kept implicit (nil -> every version of the key), never materialised.
 * - wfr-keys (--wfr-keys): writes follow reads within an ok transaction: its external read precedes
 *   its external write of the same key.
 * - sequential-keys (--sequential-keys): along each process's ok transactions, the last version one
 *   left a key at precedes the first version the next one to touch that key saw.
 * - linearizable-keys (--linearizable-keys): the same along realtime order (an ok transaction that
 *   completed before another, ok or info, was invoked), over the transactions touching each key.
 * A version's "last" in a transaction is its external write, else its external read; its "first" is
 * its external read unless that was nil, else its external write (Elle's rule).
 *
 * A read of a value nobody wrote gets a version like any other (nil precedes it) but no writer, so it
 * yields no edge: Elle takes it for an initial state it does not know and so do we. It is no anomaly
 * (test/fixtures/conformance/elle/rw-register.edn, valid under strict-serializable, reads such a 3).
 */
import { fmtValue } from '../../history/op.js';
import type { Anomaly } from '../types.js';
import { fmtKey } from './say.js';
import { canon, type TxnTable } from './txns.js';
import type { InferOptions } from './types.js';

export type VersionSource = 'initial-state' | 'wfr-keys' | 'sequential-keys' | 'linearizable-keys';

const SHIFT = 2 ** 26;

export interface Versions {
  /** Per row: 1 for an external read (ok transactions) / external write (ok and info). */
  isExtRead: Uint8Array;
  isExtWrite: Uint8Array;
  /** Per row: the version (gid) an external read or write is of; -1 otherwise. */
  rowGid: Int32Array;
  /** Per version: its key id and value. */
  gidKey: number[];
  gidValue: unknown[];
  /** Per key: the gid of its initial state, nil. */
  nilGid: Int32Array;
  /** Per version: the row of its external write (-1 when none), and a chain of its external-read rows. */
  gidWriter: Int32Array;
  readHead: Int32Array;
  readNext: Int32Array;
  /** Version edges besides the implicit nil -> every version, encoded a * 2^26 + b, with their source. */
  edges: Map<number, VersionSource>;
  /** The sources merged. */
  sources: VersionSource[];
  anomalies: Anomaly[];
}

/** The source of version edge a -> b, or undefined when the version graph does not have it. */
export function versionEdge(vs: Versions, a: number, b: number): VersionSource | undefined {
  if (a === vs.nilGid[vs.gidKey[a]!] && b !== a && vs.gidKey[b] === vs.gidKey[a]) return 'initial-state';
  return vs.edges.get(a * SHIFT + b);
}

export function inferVersions(t: TxnTable, opts: InferOptions): Versions {
  const { txns, mopStart, mopWrite, mopKey, mopValue } = t;
  const nm = mopValue.length;
  const nk = t.keys.length;
  const isExtRead = new Uint8Array(nm);
  const isExtWrite = new Uint8Array(nm);
  for (const txn of txns) {
    if (txn.type === 'fail') continue;
    const lo = mopStart[txn.at]!;
    const hi = mopStart[txn.at + 1]!;
    const touched = new Set<number>();
    const lastWrite = new Map<number, number>();
    for (let m = lo; m < hi; m++) {
      const k = mopKey[m]!;
      if (mopWrite[m]) lastWrite.set(k, m);
      else if (txn.type === 'ok' && !touched.has(k)) isExtRead[m] = 1;
      touched.add(k);
    }
    for (const m of lastWrite.values()) isExtWrite[m] = 1;
  }

  // Versions: nil for every key, then every externally read or written value.
  const gidKey: number[] = [];
  const gidValue: unknown[] = [];
  const perKey: Map<unknown, number>[] = [];
  const nilGid = new Int32Array(nk);
  for (let k = 0; k < nk; k++) {
    nilGid[k] = gidKey.length;
    gidKey.push(k);
    gidValue.push(null);
    perKey.push(new Map([[null, nilGid[k]!]]));
  }
  const rowGid = new Int32Array(nm).fill(-1);
  for (let m = 0; m < nm; m++) {
    if (!isExtRead[m] && !isExtWrite[m]) continue;
    const k = mopKey[m]!;
    const c = canon(mopValue[m]);
    let g = perKey[k]!.get(c);
    if (g === undefined) {
      g = gidKey.length;
      perKey[k]!.set(c, g);
      gidKey.push(k);
      gidValue.push(mopValue[m]);
    }
    rowGid[m] = g;
  }
  const ng = gidKey.length;
  if (ng >= SHIFT) throw new RangeError(`${ng} register versions are beyond this checker (2^26)`);
  const gidWriter = new Int32Array(ng).fill(-1);
  const readHead = new Int32Array(ng).fill(-1);
  const readNext = new Int32Array(nm).fill(-1);
  for (let m = 0; m < nm; m++) {
    if (isExtWrite[m]) gidWriter[rowGid[m]!] = m;
    else if (isExtRead[m]) {
      readNext[m] = readHead[rowGid[m]!]!;
      readHead[rowGid[m]!] = m;
    }
  }
  const vs: Versions = {
    isExtRead,
    isExtWrite,
    rowGid,
    gidKey,
    gidValue,
    nilGid,
    gidWriter,
    readHead,
    readNext,
    edges: new Map(),
    sources: ['initial-state'],
    anomalies: [],
  };
  if (opts.wfrKeys) merge(t, vs, 'wfr-keys', wfrEdges(t, vs));
  if (opts.sequentialKeys) merge(t, vs, 'sequential-keys', sequentialEdges(t, vs));
  if (opts.linearizableKeys) merge(t, vs, 'linearizable-keys', linearizableEdges(t, vs));
  return vs;
}

/** Per (transaction, key it touches externally): the version it saw first and the one it left. */
interface Touch {
  k: number;
  first: number;
  last: number;
}

function touches(t: TxnTable, vs: Versions, x: number): Touch[] {
  const out: Touch[] = [];
  for (let m = t.mopStart[x]!; m < t.mopStart[x + 1]!; m++) {
    if (!vs.isExtRead[m] && !vs.isExtWrite[m]) continue;
    const k = t.mopKey[m]!;
    let tc = out.find((o) => o.k === k);
    if (!tc) out.push((tc = { k, first: -1, last: -1 }));
    const g = vs.rowGid[m]!;
    if (vs.isExtRead[m]) {
      tc.first = g;
      if (tc.last === -1) tc.last = g;
    } else {
      tc.last = g; // the external write wins
      if (tc.first === -1 || tc.first === vs.nilGid[k]) tc.first = g;
    }
  }
  return out;
}

function wfrEdges(t: TxnTable, vs: Versions): number[] {
  const out: number[] = [];
  for (const txn of t.txns) {
    if (txn.type !== 'ok') continue;
    for (let m = t.mopStart[txn.at]!; m < t.mopStart[txn.at + 1]!; m++) {
      if (!vs.isExtRead[m] || t.mopValue[m] === null) continue;
      for (let w = t.mopStart[txn.at]!; w < t.mopStart[txn.at + 1]!; w++) {
        if (vs.isExtWrite[w] && t.mopKey[w] === t.mopKey[m]) out.push(vs.rowGid[m]!, vs.rowGid[w]!);
      }
    }
  }
  return out;
}

function sequentialEdges(t: TxnTable, vs: Versions): number[] {
  const out: number[] = [];
  const last = new Map<unknown, Map<number, number>>(); // process -> key -> version left
  for (const txn of t.txns) {
    if (txn.type !== 'ok') continue;
    let m = last.get(txn.process);
    if (!m) last.set(txn.process, (m = new Map()));
    for (const tc of touches(t, vs, txn.at)) {
      const prev = m.get(tc.k);
      if (prev !== undefined) out.push(prev, tc.first);
      m.set(tc.k, tc.last);
    }
  }
  return out;
}

/** Per key, realtime order over the transactions touching it, reduced with a frontier as in graph.ts. */
function linearizableEdges(t: TxnTable, vs: Versions): number[] {
  const byKey = new Map<number, { x: number; first: number; last: number }[]>();
  for (const txn of t.txns) {
    if (txn.type === 'fail') continue;
    for (const tc of touches(t, vs, txn.at)) {
      let l = byKey.get(tc.k);
      if (!l) byKey.set(tc.k, (l = []));
      l.push({ x: txn.at, first: tc.first, last: tc.last });
    }
  }
  const out: number[] = [];
  const txns = t.txns;
  for (const list of byKey.values()) {
    const oks = list.filter((e) => txns[e.x]!.type === 'ok').sort((a, b) => txns[a.x]!.index - txns[b.x]!.index);
    const frontier: { x: number; last: number }[] = [];
    let head = 0;
    let i = 0;
    let j = 0;
    while (i < list.length || j < oks.length) {
      const inv = i < list.length ? txns[list[i]!.x]!.invokeIndex : Infinity;
      const done = j < oks.length ? txns[oks[j]!.x]!.index : Infinity;
      if (inv < done) {
        const e = list[i++]!;
        for (let q = head; q < frontier.length; q++) out.push(frontier[q]!.last, e.first);
      } else {
        const d = oks[j++]!;
        const dInv = txns[d.x]!.invokeIndex;
        while (head < frontier.length && txns[frontier[head]!.x]!.index < dInv) head++;
        frontier.push({ x: d.x, last: d.last });
      }
    }
  }
  return out;
}

/** Merges a source's edges (pairs in a flat list) unless they make a cycle; then reports the cycles instead. */
function merge(t: TxnTable, vs: Versions, source: VersionSource, pairs: number[]): void {
  const fresh: number[] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const a = pairs[i]!;
    const b = pairs[i + 1]!;
    if (a === b || versionEdge(vs, a, b) !== undefined) continue;
    const e = a * SHIFT + b;
    if (fresh.length > 0 && fresh[fresh.length - 1] === e) continue;
    fresh.push(e);
  }
  const sccs = cycles(vs, fresh);
  if (sccs.length === 0) {
    for (const e of fresh) if (!vs.edges.has(e)) vs.edges.set(e, source);
    vs.sources.push(source);
    return;
  }
  const sources = [...vs.sources, source].join(', ');
  for (const scc of sccs) {
    const k = vs.gidKey[scc[0]!]!;
    const values = scc.map((g) => vs.gidValue[g]);
    const ops: number[] = [];
    for (const g of scc) {
      const row = vs.gidWriter[g]! >= 0 ? vs.gidWriter[g]! : vs.readHead[g]!;
      if (row >= 0) ops.push(t.txns[t.mopTxn[row]!]!.index);
    }
    vs.anomalies.push({
      kind: 'cyclic-versions',
      ops: [...new Set(ops)].sort((x, y) => x - y),
      explanation:
        `The versions ${values.map(fmtValue).join(', ')} of ${fmtKey(t.keys[k])} form a cycle in the version order inferred from ` +
        `${sources}, so no single order of its writes fits; ${source} was left out.`,
      data: { key: t.keys[k], scc: values, sources: [...vs.sources, source] },
    });
  }
}

/** Strongly connected components (of two or more versions) of the merged version graph plus `fresh`. */
function cycles(vs: Versions, fresh: number[]): number[][] {
  const ng = vs.gidKey.length;
  // CSR of every explicit edge, plus nil -> each version of its key.
  const all = [...vs.edges.keys(), ...fresh];
  const deg = new Uint32Array(ng + 1);
  for (const e of all) deg[Math.floor(e / SHIFT) + 1]!++;
  for (let g = 0; g < ng; g++) if (g !== vs.nilGid[vs.gidKey[g]!]) deg[vs.nilGid[vs.gidKey[g]!]! + 1]!++;
  for (let g = 0; g < ng; g++) deg[g + 1]! += deg[g]!;
  const adj = new Uint32Array(deg[ng]!);
  const fill = deg.slice(0, ng);
  for (const e of all) adj[fill[Math.floor(e / SHIFT)]!++] = e % SHIFT;
  for (let g = 0; g < ng; g++) if (g !== vs.nilGid[vs.gidKey[g]!]) adj[fill[vs.nilGid[vs.gidKey[g]!]!]!++] = g;
  return tarjan(ng, deg, adj).filter((c) => c.length > 1);
}

/** Tarjan's strongly connected components, iterative. */
export function tarjan(n: number, offsets: ArrayLike<number>, targets: ArrayLike<number>): number[][] {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const callV: number[] = [];
  const callI: number[] = [];
  const out: number[][] = [];
  let next = 0;
  for (let s = 0; s < n; s++) {
    if (index[s] !== -1) continue;
    callV.push(s);
    callI.push(offsets[s]!);
    index[s] = low[s] = next++;
    stack.push(s);
    onStack[s] = 1;
    while (callV.length > 0) {
      const v = callV[callV.length - 1]!;
      const i = callI[callI.length - 1]!;
      if (i < offsets[v + 1]!) {
        callI[callI.length - 1] = i + 1;
        const w = targets[i]!;
        if (index[w] === -1) {
          index[w] = low[w] = next++;
          stack.push(w);
          onStack[w] = 1;
          callV.push(w);
          callI.push(offsets[w]!);
        } else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
        continue;
      }
      callV.pop();
      callI.pop();
      if (callV.length > 0) {
        const u = callV[callV.length - 1]!;
        low[u] = Math.min(low[u]!, low[v]!);
      }
      if (low[v] === index[v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp.push(w);
        } while (w !== v);
        out.push(comp);
      }
    }
  }
  return out;
}
