// A hand-built Inference for the cycle search tests: n transactions (process i % 5, index 10 i),
// edges given as [from, to, kinds...], and an explain that returns fixed sentences.
import { EDGE_BITS, type EdgeKind, type Inference, type Txn, type TxnGraph } from '../../../src/checkers/txn/types.js';

export type E = [number, number, ...EdgeKind[]];

export function graph(n: number, edges: readonly E[]): TxnGraph {
  const merged = new Map<number, number>();
  for (const [a, b, ...ks] of edges) {
    const key = a * n + b;
    merged.set(key, (merged.get(key) ?? 0) | ks.reduce((m, k) => m | EDGE_BITS[k], 0));
  }
  const keys = [...merged.keys()].sort((x, y) => x - y);
  const offsets = new Uint32Array(n + 1);
  const targets = new Uint32Array(keys.length);
  const kinds = new Uint8Array(keys.length);
  keys.forEach((key, i) => {
    offsets[Math.floor(key / n) + 1]!++;
    targets[i] = key % n;
    kinds[i] = merged.get(key)!;
  });
  for (let v = 0; v < n; v++) offsets[v + 1]! += offsets[v]!;
  return { n, offsets, targets, kinds };
}

export function inference(n: number, edges: readonly E[], extra: Partial<Inference> = {}): Inference {
  const txns: Txn[] = Array.from({ length: n }, (_, i) => ({
    id: i,
    index: 10 * i + 1,
    invokeIndex: 10 * i,
    process: i % 5,
    type: 'ok',
    mops: [{ f: 'append', key: i, value: 1 }],
  }));
  return {
    txns,
    vertexTxn: Uint32Array.from(txns, (_, i) => i),
    graph: graph(n, edges),
    anomalies: [],
    explain: (from, to, kind, nameOf) => ({ kind, sentence: `${nameOf(from)} ${kind} ${nameOf(to)}` }),
    ...extra,
  };
}
