import type { Op } from '../../src/history/op.js';
import { rng } from './rng.js';

export interface HardKeyOptions {
  /** Client operations (each an invocation and a completion). */
  ops: number;
  processes: number;
  seed: number;
  /** Fraction of ops whose outcome is unknown (info); half of those took effect. Default 0.01. */
  infoRate?: number;
  /**
   * Make it non-linearizable with one change: 'stale-read' makes one read return a value overwritten
   * (by an op that completed) before the read was invoked; 'stale-cas' makes one successful cas
   * succeed from such a value.
   */
  mutation?: 'stale-read' | 'stale-cas';
}

export interface HardKeyHistory {
  ops: Op[];
  /** For a mutated history: the history index of the mutated op's invocation. */
  mutatedAt?: number;
}

interface G {
  proc: number;
  f: 'read' | 'write' | 'cas';
  value: unknown;
  inv: number;
  lin: number;
  ret: number;
  info: boolean;
  applies: boolean;
  failed: boolean;
}

const SECOND = 1e9;

/**
 * One cas-register (unkeyed), values unique, that is hard for a Wing-Gong search: a simulated
 * register where every op takes effect at one instant inside its interval, and every op lasts 1-4 s
 * while each of the 20-30 processes invokes its next op right away, so about as many ops are in
 * flight as there are processes. Mix: 35% reads, 25% writes, 40% cas (about two thirds from the
 * current value, so they succeed; the rest from a recent older value, so they fail and are recorded
 * as fail). Info ops retire their process (Jepsen's convention). Times are nanoseconds.
 */
export function generateHardKeyHistory(o: HardKeyOptions): HardKeyHistory {
  const r = rng(o.seed);
  const infoRate = o.infoRate ?? 0.01;
  const clock = new Float64Array(o.processes);
  for (let p = 0; p < o.processes; p++) clock[p] = r() * SECOND;
  const procId = Array.from({ length: o.processes }, (_, i) => i);
  const gs: G[] = [];
  for (let i = 0; i < o.ops; i++) {
    // The process that is free first invokes next: every process always has an op in flight.
    let w = 0;
    for (let p = 1; p < o.processes; p++) if (clock[p] < clock[w]) w = p;
    const inv = clock[w] + r() * 0.05 * SECOND;
    const dur = (1 + r() * 3) * SECOND;
    const x = r();
    const f = x < 0.35 ? 'read' : x < 0.6 ? 'write' : 'cas';
    const info = r() < infoRate;
    gs.push({ proc: procId[w], f, value: null, inv, lin: inv + r() * dur, ret: inv + dur, info, applies: !info || r() < 0.5, failed: false });
    clock[w] = inv + dur;
    if (info) procId[w] += o.processes;
  }
  let cur: number | null = null;
  let next = 1;
  const recent: number[] = [];
  for (const g of [...gs].sort((a, b) => a.lin - b.lin)) {
    if (g.f === 'read') {
      g.value = cur;
    } else if (g.f === 'write') {
      g.value = next++;
      if (g.applies) {
        cur = g.value as number;
        recent.push(cur);
      }
    } else {
      const from: number | null = r() < 0.67 || recent.length < 2 ? cur : recent[recent.length - 2 - Math.floor(r() * Math.min(5, recent.length - 1))];
      const to = next++;
      g.value = [from, to];
      if (from === cur) {
        if (g.applies) {
          cur = to;
          recent.push(to);
        }
      } else {
        g.applies = false;
        if (!g.info) g.failed = true;
      }
    }
  }
  let mutatedAt: G | undefined;
  if (o.mutation) mutatedAt = mutate(gs, o.mutation, r);

  const events: { t: number; g: G; op: Omit<Op, 'index'> }[] = [];
  for (const g of gs) {
    events.push({ t: g.inv, g, op: { time: 0, type: 'invoke', process: g.proc, f: g.f, value: g.f === 'read' ? null : g.value } });
    const type = g.info ? 'info' : g.failed ? 'fail' : 'ok';
    events.push({ t: g.ret, g, op: { time: 0, type, process: g.proc, f: g.f, value: g.info && g.f === 'read' ? null : g.value } });
  }
  events.sort((a, b) => a.t - b.t);
  const ops = events.map((e, index) => ({ ...e.op, index, time: Math.round(e.t) }));
  const at = mutatedAt ? events.findIndex((e) => e.g === mutatedAt && e.op.type === 'invoke') : -1;
  return { ops, mutatedAt: at >= 0 ? at : undefined };
}

/**
 * Picks an ok op (a read, or a successful cas) in the middle of the history and makes it return (or
 * change from) a value v that is certainly gone: v's writer completed before another value's ok
 * writer was invoked, and that writer completed before the mutated op was invoked. Values are written
 * once, so the register can never hold v again: the history is not linearizable.
 */
function mutate(gs: G[], kind: 'stale-read' | 'stale-cas', r: () => number): G {
  const writers = gs.filter((g) => !g.info && !g.failed && g.f !== 'read');
  const valueOf = (g: G) => (g.f === 'write' ? (g.value as number) : (g.value as number[])[1]);
  const start = Math.floor(gs.length / 2 + r() * (gs.length / 4));
  for (let i = start; i < gs.length; i++) {
    const g = gs[i];
    if (g.info || g.failed || (kind === 'stale-read' ? g.f !== 'read' || g.value === null : g.f !== 'cas')) continue;
    // A writer x that completed before g was invoked, and a writer v that completed before x was invoked.
    const xs = writers.filter((x) => x.ret < g.inv);
    const x = xs[xs.length - 1];
    if (!x) continue;
    const vs = writers.filter((v) => v.ret < x.inv && v.f === 'write');
    const v = vs[vs.length - 1 - Math.floor(r() * Math.min(3, vs.length))];
    if (!v) continue;
    if (kind === 'stale-read') g.value = valueOf(v);
    else g.value = [valueOf(v), (g.value as number[])[1]];
    return g;
  }
  throw new Error('no op to mutate');
}
