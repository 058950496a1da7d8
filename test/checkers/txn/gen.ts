import type { Op } from '../../../src/history/op.js';

/** mulberry32: the same seed gives the same history. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TxnGenOptions {
  txns: number;
  concurrency?: number;
  /** Keys in use at once; each is retired after `appendsPerKey` appends. */
  activeKeys?: number;
  appendsPerKey?: number;
  seed?: number;
}

/**
 * A strictly serializable list-append history: each transaction (1-4 micro-ops, appends or whole-list
 * reads of one of the active keys) takes effect atomically at an instant inside its interval, all ok.
 */
export function genListAppend(o: TxnGenOptions): Op[] {
  const r = rng(o.seed ?? 7);
  const W = o.concurrency ?? 10;
  const K = o.activeKeys ?? 10;
  const perKey = o.appendsPerKey ?? 32;
  const n = o.txns;
  const clock = new Float64Array(W);
  const worker = new Uint16Array(n);
  const inv = new Float64Array(n);
  const ret = new Float64Array(n);
  const lin = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const w = Math.floor(r() * W);
    worker[i] = w;
    inv[i] = clock[w]! + r() * 1000;
    const dur = 1000 + r() * 10_000;
    lin[i] = inv[i]! + r() * dur;
    ret[i] = inv[i]! + dur;
    clock[w] = ret[i]!;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => lin[a]! - lin[b]!);
  const active = Array.from({ length: K }, (_, i) => i);
  let nextKey = K;
  const lists = new Map<number, number[]>(active.map((k) => [k, []]));
  const invVal: unknown[][] = new Array(n);
  const okVal: unknown[][] = new Array(n);
  for (const i of order) {
    const len = 1 + Math.floor(r() * 4);
    const iv: unknown[] = [];
    const ov: unknown[] = [];
    for (let j = 0; j < len; j++) {
      const slot = Math.floor(r() * K);
      const k = active[slot]!;
      const list = lists.get(k)!;
      if (r() < 0.5) {
        const e = list.length + 1;
        list.push(e);
        iv.push(['append', k, e]);
        ov.push(['append', k, e]);
        if (list.length >= perKey) {
          active[slot] = nextKey;
          lists.set(nextKey++, []);
        }
      } else {
        iv.push(['r', k, null]);
        ov.push(['r', k, list.slice()]);
      }
    }
    invVal[i] = iv;
    okVal[i] = ov;
  }
  const ev: { t: number; i: number; done: boolean }[] = [];
  for (let i = 0; i < n; i++) ev.push({ t: inv[i]!, i, done: false }, { t: ret[i]!, i, done: true });
  ev.sort((a, b) => a.t - b.t);
  return ev.map((e, index) => ({
    index,
    time: Math.round(e.t),
    type: e.done ? 'ok' : 'invoke',
    process: worker[e.i]!,
    f: 'txn',
    value: e.done ? okVal[e.i] : invVal[e.i],
  }));
}
