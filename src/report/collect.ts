import type { Op } from '../history/op.js';
import { readHistory } from '../history/stream.js';
import { Column, Dictionary } from './columns.js';

/** Bar outcome codes, in the page and the charts: ok, fail, info (indeterminate, or never completed). */
export const OK = 0,
  FAIL = 1,
  INFO = 2;
export const TYPE_NAMES = ['ok', 'fail', 'info'] as const;

/**
 * One pass over a history (streamed, so a million ops never exist as objects at once): every
 * operation becomes a bar (invocation to completion) in flat columns; nemesis ops are kept for the
 * fault windows; the ops named in `wanted` (anomaly witnesses) are kept whole, with their partners.
 */
export interface Digest {
  bars: number;
  /** Invocation time and duration in ms; lane; outcome; f and node codes; history index of the invocation. */
  start: Float64Array;
  dur: Float32Array;
  lane: Uint16Array;
  type: Uint8Array;
  f: Uint8Array;
  node: Uint8Array;
  idx: Uint32Array;
  /** Whether the bar is a client op (nemesis bars are drawn in their own lane, and not charted). */
  client: Uint8Array;
  fs: string[];
  nodes: string[];
  laneNames: string[];
  nemesisOps: Op[];
  /** Kept ops by history index, and for each the bar it belongs to. */
  kept: Map<number, Op>;
  barOf: Map<number, number>;
  firstTime: number;
  lastTime: number;
  ops: number;
}

export async function digestHistory(file: string, wanted: Set<number>, concurrency?: number): Promise<Digest> {
  const start = new Column(Float64Array),
    dur = new Column(Float32Array),
    lane = new Column(Uint16Array);
  const type = new Column(Uint8Array),
    f = new Column(Uint8Array),
    node = new Column(Uint8Array),
    idx = new Column(Uint32Array);
  const client = new Column(Uint8Array);
  const fs = new Dictionary(256);
  const nodes = new Dictionary(256, '(other)', '');
  // Lanes are threads when the concurrency is known (process p is thread p mod c: faultline and Jepsen
  // renumber a process after an info op), else one lane per process. Lane 0 is the nemesis.
  const lanes = new Map<string, number>([['nemesis', 0]]);
  const laneNames = ['nemesis'];
  const laneOf = (p: Op['process']): number => {
    const name = p === 'nemesis' ? 'nemesis' : concurrency && concurrency > 0 ? `thread ${p % concurrency}` : `process ${p}`;
    let l = lanes.get(name);
    if (l === undefined) {
      l = laneNames.length;
      lanes.set(name, l);
      laneNames.push(name);
    }
    return l;
  };
  const pending = new Map<Op['process'], { bar: number; keep: boolean; op: Op }>();
  const nemesisOps: Op[] = [];
  const kept = new Map<number, Op>();
  const barOf = new Map<number, number>();
  let firstTime = Infinity,
    lastTime = 0,
    ops = 0;
  for await (const { op } of readHistory(file)) {
    ops++;
    const t = op.time / 1e6;
    if (t < firstTime) firstTime = t;
    if (t > lastTime) lastTime = t;
    if (op.process === 'nemesis') nemesisOps.push(op);
    const open = pending.get(op.process);
    if (op.type === 'invoke' || (op.process === 'nemesis' && op.type === 'info' && !open)) {
      const b = start.push(t);
      dur.push(NaN);
      lane.push(laneOf(op.process));
      type.push(INFO);
      f.push(fs.code(op.f));
      node.push(op.node ? nodes.code(op.node) : 0);
      idx.push(op.index);
      client.push(op.process === 'nemesis' ? 0 : 1);
      const keep = wanted.has(op.index);
      if (keep) {
        kept.set(op.index, op);
        barOf.set(op.index, b);
      }
      if (op.type === 'invoke') pending.set(op.process, { bar: b, keep, op });
      else dur.set(b, 0);
      continue;
    }
    if (!open) {
      if (wanted.has(op.index)) kept.set(op.index, op);
      continue;
    }
    pending.delete(op.process);
    const b = open.bar;
    dur.set(b, Math.max(0, t - start.get(b)));
    type.set(b, op.type === 'ok' ? OK : op.type === 'fail' ? FAIL : INFO);
    if (op.node) node.set(b, nodes.code(op.node));
    if (open.keep || wanted.has(op.index)) {
      kept.set(op.index, op);
      barOf.set(op.index, b);
      // A witness that names only the completion still shows its invocation.
      kept.set(open.op.index, open.op);
      barOf.set(open.op.index, b);
    }
  }
  // Never completed: indeterminate until the end of the history.
  for (const { bar } of pending.values()) dur.set(bar, Math.max(0, lastTime - start.get(bar)));
  sortLanes(laneNames, lane.view());
  const d: Digest = {
    bars: start.length,
    start: start.view(),
    dur: dur.view(),
    lane: lane.view(),
    type: type.view(),
    f: f.view(),
    node: node.view(),
    idx: idx.view(),
    client: client.view(),
    fs: fs.names,
    nodes: nodes.names,
    laneNames,
    nemesisOps,
    kept,
    barOf,
    firstTime: Number.isFinite(firstTime) ? firstTime : 0,
    lastTime,
    ops,
  };
  sortByStart(d);
  return d;
}

/** Bars in invocation-time order (the page binary-searches the visible range); usually already sorted. */
function sortByStart(d: Digest): void {
  let sorted = true;
  for (let i = 1; i < d.bars && sorted; i++) if (d.start[i]! < d.start[i - 1]!) sorted = false;
  if (sorted) return;
  const perm = new Uint32Array(d.bars).map((_, i) => i).sort((a, b) => d.start[a]! - d.start[b]! || a - b);
  const inverse = new Uint32Array(d.bars);
  perm.forEach((p, i) => {
    inverse[p] = i;
  });
  for (const k of ['start', 'dur', 'lane', 'type', 'f', 'node', 'idx', 'client'] as const) {
    const src = d[k];
    const out = new (src.constructor as { new (n: number): typeof src })(d.bars);
    for (let i = 0; i < d.bars; i++) out[i] = src[perm[i]!]!;
    (d as unknown as Record<string, unknown>)[k] = out;
  }
  for (const [i, b] of d.barOf) d.barOf.set(i, inverse[b]!);
}

/** Lanes in a reader's order: the nemesis, then threads (or processes) by number. */
function sortLanes(names: string[], lane: Uint16Array): void {
  const num = (s: string) => (s === 'nemesis' ? -1 : Number(s.replace(/^\D+/, '')));
  const order = names.map((n, i) => i).sort((a, b) => num(names[a]!) - num(names[b]!));
  const to = new Uint16Array(names.length);
  order.forEach((old, i) => {
    to[old] = i;
  });
  const sorted = order.map((i) => names[i]!);
  names.splice(0, names.length, ...sorted);
  for (let i = 0; i < lane.length; i++) lane[i] = to[lane[i]!]!;
}
