/**
 * The dependency graph's builder, and the two orders that come from the history itself.
 *
 * Edges are collected as (from, to, kind bits) in growable typed arrays (no object per edge) and
 * compacted once to the CSR TxnGraph: rows by source, targets sorted, one entry per ordered pair with
 * the kinds OR-ed, no self-loops.
 *
 * process: each process's transactions in order, from every ok one to the next ok or info one (a
 * fail one did not happen; an info one may take effect any time later, so nothing is ordered after
 * it). realtime: T1 -> T2 when T1 completed ok before T2 was invoked (history index order). Both are
 * transitive, so only a reduction is emitted, as Elle does: realtime keeps a frontier of ok
 * completions and links it to each new invocation. Elle retires the entries that completed before the
 * invocation of the transaction now completing; we retire those that completed before the latest
 * invocation of any ok transaction completed so far (a superset: each of them reaches that one, which
 * reaches every later invocation), so the transitive closure is the same with fewer edges. The
 * frontier stays narrower than the concurrency, so edges stay linear.
 */
import { fmtValue } from '../../history/op.js';
import { PROCESS, REALTIME, type EdgeKind, type EdgeWhy, type Txn, type TxnGraph } from './types.js';
import type { TxnTable } from './txns.js';

const CHUNK = 1 << 20;

export class EdgeBuilder {
  // Edges in fixed-size chunks: growing never copies, and the peak stays near the edge count.
  private from: Uint32Array[] = [];
  private to: Uint32Array[] = [];
  private kind: Uint8Array[] = [];
  private m = 0;

  constructor(readonly n: number) {}

  /** Number of edges added so far (before dedupe). */
  get size(): number {
    return this.m;
  }

  add(from: number, to: number, kind: number): void {
    if (from === to) return;
    const c = this.m >>> 20;
    const i = this.m & (CHUNK - 1);
    if (i === 0 && c === this.from.length) {
      this.from.push(new Uint32Array(CHUNK));
      this.to.push(new Uint32Array(CHUNK));
      this.kind.push(new Uint8Array(CHUNK));
    }
    this.from[c]![i] = from;
    this.to[c]![i] = to;
    this.kind[c]![i] = kind;
    this.m++;
  }

  /** Compacts to CSR; the builder's chunks are released as they are consumed. */
  build(): TxnGraph {
    const n = this.n;
    if (n >= 2 ** 27) throw new RangeError(`a dependency graph of ${n} transactions is beyond this builder (2^27)`);
    const m = this.m;
    const counts = new Uint32Array(n + 1);
    for (const f of this.from) {
      const len = f === this.from[this.from.length - 1] ? m - (this.from.length - 1) * CHUNK : CHUNK;
      for (let i = 0; i < len; i++) counts[f[i]! + 1]!++;
    }
    for (let v = 0; v < n; v++) counts[v + 1]! += counts[v]!;
    // Bucket by source, each entry encoded (target << 5 | kinds) so a numeric sort groups targets.
    const enc = new Uint32Array(m);
    const fill = counts.slice(0, n);
    for (let c = 0; c < this.from.length; c++) {
      const f = this.from[c]!;
      const t = this.to[c]!;
      const k = this.kind[c]!;
      const len = c === this.from.length - 1 ? m - c * CHUNK : CHUNK;
      for (let i = 0; i < len; i++) enc[fill[f[i]!]!++] = ((t[i]! << 5) | k[i]!) >>> 0;
      this.from[c] = this.to[c] = new Uint32Array(0);
      this.kind[c] = new Uint8Array(0);
    }
    this.from = [];
    this.to = [];
    this.kind = [];
    this.m = 0;
    const offsets = new Uint32Array(n + 1);
    let w = 0;
    for (let v = 0; v < n; v++) {
      const lo = counts[v]!;
      const hi = counts[v + 1]!;
      offsets[v] = w;
      if (hi - lo > 1) enc.subarray(lo, hi).sort();
      for (let i = lo; i < hi; i++) {
        const x = enc[i]!;
        if (w > offsets[v]! && enc[w - 1]! >>> 5 === x >>> 5) enc[w - 1] = (enc[w - 1]! | (x & 31)) >>> 0;
        else enc[w++] = x;
      }
    }
    offsets[n] = w;
    const targets = new Uint32Array(w);
    const kinds = new Uint8Array(w);
    for (let i = 0; i < w; i++) {
      targets[i] = enc[i]! >>> 5;
      kinds[i] = enc[i]! & 31;
    }
    return { n, offsets, targets, kinds };
  }
}

/** The kind bits of from -> to in g (0 when there is no edge); rows are sorted, so a binary search. */
export function edgeKinds(g: TxnGraph, from: number, to: number): number {
  let lo = g.offsets[from]!;
  let hi = g.offsets[from + 1]!;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const t = g.targets[mid]!;
    if (t === to) return g.kinds[mid]!;
    if (t < to) lo = mid + 1;
    else hi = mid;
  }
  return 0;
}

/** Process order: each ok transaction -> the process's next ok or info one. */
export function addProcessEdges(b: EdgeBuilder, t: TxnTable): void {
  const lastOk = new Map<unknown, number>();
  for (const txn of t.txns) {
    if (txn.type === 'fail') continue;
    const prev = lastOk.get(txn.process);
    if (prev !== undefined) b.add(prev, txn.id, PROCESS);
    if (txn.type === 'ok') lastOk.set(txn.process, txn.id);
  }
}

/**
 * Realtime order, reduced: walks invocations and ok completions in history order with a frontier
 * (a queue of ok transactions by completion); see the file comment.
 */
export function addRealtimeEdges(b: EdgeBuilder, t: TxnTable): void {
  const txns = t.txns;
  const oks = t.okByCompletion;
  const queue = new Uint32Array(oks.length); // txn positions, in completion order
  const queueAt = new Float64Array(oks.length); // their completion indices
  let head = 0;
  let tail = 0;
  let newest = -1; // the latest invocation index of a completed ok transaction
  let i = 0; // next invocation (txns are in invocation order)
  let j = 0; // next ok completion
  while (i < txns.length || j < oks.length) {
    const inv = i < txns.length ? txns[i]!.invokeIndex : Infinity;
    const done = j < oks.length ? txns[oks[j]!]!.index : Infinity;
    if (inv < done) {
      const txn = txns[i++]!;
      if (txn.type === 'fail') continue;
      for (let q = head; q < tail; q++) b.add(txns[queue[q]!]!.id, txn.id, REALTIME);
    } else {
      const d = txns[oks[j++]!]!;
      // Entries completed before the invocation of any ok transaction completed so far (d or an
      // earlier one) reach every later invocation through it: drop them.
      if (d.invokeIndex > newest) newest = d.invokeIndex;
      while (head < tail && queueAt[head]! < newest) head++;
      queue[tail] = d.at;
      queueAt[tail++] = d.index;
    }
  }
}

/** The sentence for a process or realtime edge a -> c (named A and C), or undefined when it does not hold. */
export function explainOrder(a: Txn, c: Txn, kind: EdgeKind, A: string, C: string): EdgeWhy | undefined {
  if (a.type !== 'ok' || a.index >= c.invokeIndex) return undefined;
  if (kind === 'process' && a.process === c.process) return { kind, sentence: `${A} completed before ${C} on process ${fmtValue(a.process)}` };
  if (kind === 'realtime') return { kind, sentence: `${A} completed (index ${a.index}) before ${C} began (index ${c.invokeIndex})` };
  return undefined;
}
