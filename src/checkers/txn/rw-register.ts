/**
 * rw-register inference (Jepsen's `[[:w k v] [:r k v]]`), after Elle's rw_register.clj.
 *
 * Edges between ok and info transactions (fail ones are no vertices):
 * - wr: the external writer of a value -> each ok transaction that externally read it (writes are
 *   unique, so there is one writer). Elle indexes only ok writers; we also take info ones, soundly:
 *   a value that was read was written, so its info writer committed.
 * - ww, rw: for each version edge v1 -> v2 (rw-register-versions.ts), the writer of v1 -> the writer
 *   of v2 (ww) and each external reader of v1 -> the writer of v2 (rw).
 * Plus process and realtime edges (graph.ts). Explanations are derived on demand.
 */
import { fmtValue } from '../../history/op.js';
import { addProcessEdges, addRealtimeEdges, EdgeBuilder, explainOrder } from './graph.js';
import { rwRegisterAnomalies } from './rw-register-checks.js';
import { inferVersions, versionEdge, type VersionSource, type Versions } from './rw-register-versions.js';
import { fmtKey } from './say.js';
import { buildTxnTable, canon, type TxnTable } from './txns.js';
import { RW, WR, WW, type EdgeKind, type EdgeWhy, type Infer } from './types.js';

export const inferRwRegister: Infer = (history, opts) => {
  const t = buildTxnTable(history, 'rw-register');
  const vs = inferVersions(t, opts);
  const anomalies = [...rwRegisterAnomalies(t), ...vs.anomalies];
  const b = new EdgeBuilder(t.vertexTxn.length);
  addDataEdges(b, t, vs);
  addProcessEdges(b, t);
  addRealtimeEdges(b, t);
  return {
    txns: t.txns,
    vertexTxn: t.vertexTxn,
    graph: b.build(),
    anomalies,
    explain: (from, to, kind, nameOf) => explainEdge(t, vs, from, to, kind, nameOf),
  };
};

/** The ok or info transaction (vertex) that externally wrote key k = v, or -1. */
function extWriter(t: TxnTable, vs: Versions, k: number, v: unknown): number {
  const w = t.writers[k]!.get(canon(v));
  return w !== undefined && vs.isExtWrite[w] ? t.txns[t.mopTxn[w]!]!.id : -1;
}

function addDataEdges(b: EdgeBuilder, t: TxnTable, vs: Versions): void {
  const { txns, mopTxn, mopKey, mopValue } = t;
  const vertex = (row: number): number => txns[mopTxn[row]!]!.id;
  for (let r = 0; r < mopValue.length; r++) {
    if (!vs.isExtRead[r] || mopValue[r] === null) continue;
    const w = extWriter(t, vs, mopKey[r]!, mopValue[r]);
    if (w >= 0) b.add(w, vertex(r), WR);
  }
  const link = (a: number, c: number): void => {
    const wc = vs.gidWriter[c]!;
    if (wc < 0) return;
    const to = vertex(wc);
    if (vs.gidWriter[a]! >= 0) b.add(vertex(vs.gidWriter[a]!), to, WW);
    for (let r = vs.readHead[a]!; r >= 0; r = vs.readNext[r]!) b.add(vertex(r), to, RW);
  };
  for (let g = 0; g < vs.gidKey.length; g++) {
    const nil = vs.nilGid[vs.gidKey[g]!]!;
    if (g !== nil) link(nil, g);
  }
  for (const e of vs.edges.keys()) link(Math.floor(e / 2 ** 26), e % 2 ** 26);
}

function because(source: VersionSource, v1: string, v2: string): string {
  switch (source) {
    case 'initial-state':
      return 'nil, the initial state, precedes every version';
    case 'wfr-keys':
      return `a transaction read ${v1} and then wrote ${v2} (wfr-keys)`;
    case 'sequential-keys':
      return `a process saw ${v1} before ${v2} (sequential-keys)`;
    case 'linearizable-keys':
      return `${v1} was seen before ${v2}'s transaction began (linearizable-keys)`;
  }
}

function explainEdge(t: TxnTable, vs: Versions, from: number, to: number, kind: EdgeKind, nameOf: (v: number) => string): EdgeWhy {
  const a = t.txns[t.vertexTxn[from]!]!;
  const c = t.txns[t.vertexTxn[to]!]!;
  const A = nameOf(from);
  const C = nameOf(to);
  const { mopStart, mopKey, mopValue, keys } = t;
  const [alo, ahi] = [mopStart[a.at]!, mopStart[a.at + 1]!];
  const [clo, chi] = [mopStart[c.at]!, mopStart[c.at + 1]!];
  if (kind === 'wr') {
    for (let r = clo; r < chi; r++) {
      if (!vs.isExtRead[r] || mopValue[r] === null || extWriter(t, vs, mopKey[r]!, mopValue[r]) !== from) continue;
      const k = mopKey[r]!;
      return { kind, key: keys[k], value: mopValue[r], sentence: `${C} read ${fmtKey(keys[k])} = ${fmtValue(mopValue[r])}, which ${A} wrote` };
    }
  } else if (kind === 'ww' || kind === 'rw') {
    for (let x = alo; x < ahi; x++) {
      if (!(kind === 'ww' ? vs.isExtWrite[x] : vs.isExtRead[x])) continue;
      for (let w = clo; w < chi; w++) {
        if (!vs.isExtWrite[w] || mopKey[w] !== mopKey[x]) continue;
        const source = versionEdge(vs, vs.rowGid[x]!, vs.rowGid[w]!);
        if (!source) continue;
        const k = mopKey[w]!;
        const v1 = fmtValue(mopValue[x]);
        const v2 = fmtValue(mopValue[w]);
        const sentence =
          kind === 'ww'
            ? `${A} wrote ${fmtKey(keys[k])} = ${v1} and ${C} wrote ${v2}, which came later in its version order (${because(source, v1, v2)})`
            : `${A} read ${fmtKey(keys[k])} = ${v1} and ${C} wrote ${v2}, a later version (${because(source, v1, v2)}), so ${A} precedes ${C}`;
        return { kind, key: keys[k], value: mopValue[w], sentence };
      }
    }
  } else {
    const why = explainOrder(a, c, kind, A, C);
    if (why) return why;
  }
  throw new Error(`no ${kind} edge from ${A} to ${C}`);
}
