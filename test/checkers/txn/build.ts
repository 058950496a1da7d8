import type { Op, OpType, Process } from '../../../src/history/op.js';
import { EDGE_BITS, type EdgeKind, type Inference } from '../../../src/checkers/txn/types.js';
import { h } from '../../support/history.js';

export type Mop = [string, unknown, unknown];
type Row = [Process, OpType, string, unknown];

/** The invocation of a transaction: its reads carry nil, as Jepsen records them. */
export const inv = (p: Process, mops: Mop[]): Row => [p, 'invoke', 'txn', mops.map(([f, k, v]) => [f, k, f === 'r' ? null : v])];
/** The completion of a transaction (ok by default) with its completed micro-ops. */
export const done = (p: Process, mops: Mop[], type: 'ok' | 'fail' | 'info' = 'ok'): Row => [p, type, 'txn', mops];
/** A whole transaction: invocation then completion. */
export const tx = (p: Process, mops: Mop[], type: 'ok' | 'fail' | 'info' = 'ok'): Row[] => [inv(p, mops), done(p, mops, type)];

export function hist(...rows: (Row | Row[])[]): Op[] {
  const flat: Row[] = [];
  for (const r of rows) {
    if (Array.isArray(r[0])) flat.push(...(r as Row[]));
    else flat.push(r as Row);
  }
  return h(flat);
}

/** Every edge as "a->b kind" (vertex numbers), one line per kind, sorted. */
export function edgeList(inf: Inference, only?: EdgeKind[]): string[] {
  const g = inf.graph;
  const out: string[] = [];
  for (let v = 0; v < g.n; v++) {
    for (let i = g.offsets[v]!; i < g.offsets[v + 1]!; i++) {
      for (const [kind, bit] of Object.entries(EDGE_BITS) as [EdgeKind, number][]) {
        if (g.kinds[i]! & bit && (!only || only.includes(kind))) out.push(`${v}->${g.targets[i]} ${kind}`);
      }
    }
  }
  return out.sort();
}

/** Whether the graph restricted to `kinds` has a cycle. */
export function hasCycle(inf: Inference, kinds: EdgeKind[]): boolean {
  const g = inf.graph;
  const mask = kinds.reduce((m, k) => m | EDGE_BITS[k], 0);
  const state = new Uint8Array(g.n); // 0 new, 1 on path, 2 done
  const visit = (v: number): boolean => {
    state[v] = 1;
    for (let i = g.offsets[v]!; i < g.offsets[v + 1]!; i++) {
      if (!(g.kinds[i]! & mask)) continue;
      const w = g.targets[i]!;
      if (state[w] === 1 || (state[w] === 0 && visit(w))) return true;
    }
    state[v] = 2;
    return false;
  };
  for (let v = 0; v < g.n; v++) if (state[v] === 0 && visit(v)) return true;
  return false;
}

export const T = (v: number): string => `T${v}`;
