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
 * completions and links it to each new invocation; a completion retires the frontier entries its own
 * invocation already saw. The frontier stays about as wide as the concurrency, so edges stay linear.
 */
import { fmtValue } from '../../history/op.js';
import { PROCESS, REALTIME, type EdgeKind, type EdgeWhy, type Txn, type TxnGraph } from './types.js';
import type { TxnTable } from './txns.js';

export class EdgeBuilder {
  private from: Uint32Array;
  private to: Uint32Array;
  private kind: Uint8Array;
  private m = 0;

  constructor(
    readonly n: number,
    capacity = 4 * n,
  ) {
    const c = Math.max(64, capacity);
    this.from = new Uint32Array(c);
    this.to = new Uint32Array(c);
    this.kind = new Uint8Array(c);
  }

  /** Number of edges added so far (before dedupe). */
  get size(): number {
    return this.m;
  }

  add(from: number, to: number, kind: number): void {
    if (from === to) return;
    if (this.m === this.from.length) this.grow();
    this.from[this.m] = from;
    this.to[this.m] = to;
    this.kind[this.m++] = kind;
  }

  private grow(): void {
    const c = this.from.length * 2;
    const f = new Uint32Array(c);
    f.set(this.from);
    this.from = f;
    const t = new Uint32Array(c);
    t.set(this.to);
    this.to = t;
    const k = new Uint8Array(c);
    k.set(this.kind);
    this.kind = k;
  }

  /** Compacts to CSR; the builder's buffers are released. */
  build(): TxnGraph {
    const n = this.n;
    if (n >= 2 ** 27) throw new RangeError(`a dependency graph of ${n} transactions is beyond this builder (2^27)`);
    const m = this.m;
    const counts = new Uint32Array(n + 1);
    for (let e = 0; e < m; e++) counts[this.from[e]! + 1]!++;
    for (let v = 0; v < n; v++) counts[v + 1]! += counts[v]!;
    // Bucket by source, each entry encoded (target << 5 | kinds) so a numeric sort groups targets.
    const enc = new Uint32Array(m);
    const fill = counts.slice(0, n);
    for (let e = 0; e < m; e++) enc[fill[this.from[e]!]!++] = ((this.to[e]! << 5) | this.kind[e]!) >>> 0;
    this.from = this.to = new Uint32Array(0);
    this.kind = new Uint8Array(0);
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
      // Entries completed before d's invocation were linked to d: d now stands for them.
      while (head < tail && queueAt[head]! < d.invokeIndex) head++;
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
