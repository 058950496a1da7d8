import type { Op } from '../../src/history/op.js';
import { rng } from './rng.js';

export interface RegisterGenOptions {
  /** History lines (invocations + completions), approximately. */
  events: number;
  processes: number;
  keys: number;
  /** Fraction of ops whose outcome is unknown (info); half of those took effect. */
  infoRate?: number;
  /** Values written are drawn from 0..values-1 (Jepsen's register test uses 5). */
  values?: number;
  seed?: number;
}

/**
 * A linearizable history of independent registers (value [key, v]), as a real store would produce:
 * each process runs one op at a time, each op takes effect at a random instant between its
 * invocation and completion, reads return the value at that instant. Info ops retire their process
 * (the worker continues as process p + processes, Jepsen's convention).
 */
export function generateRegisterHistory(o: RegisterGenOptions): Op[] {
  const r = rng(o.seed ?? 42);
  const infoRate = o.infoRate ?? 0;
  const values = o.values ?? 5;
  const nOps = Math.floor(o.events / 2);
  interface G {
    proc: number;
    key: number;
    f: 'read' | 'write';
    v: number | null;
    inv: number;
    lin: number;
    ret: number;
    info: boolean;
    applies: boolean;
  }
  const ops: G[] = [];
  const clock = new Float64Array(o.processes);
  const procId = Array.from({ length: o.processes }, (_, i) => i);
  for (let i = 0; i < nOps; i++) {
    const w = Math.floor(r() * o.processes);
    const inv = clock[w] + r() * 200_000;
    const dur = 100_000 + r() * 2_000_000;
    const lin = inv + r() * dur;
    const ret = inv + dur;
    clock[w] = ret;
    const info = r() < infoRate;
    const f = r() < 0.5 ? 'read' : 'write';
    ops.push({
      proc: procId[w],
      key: Math.floor(r() * o.keys),
      f,
      v: f === 'write' ? Math.floor(r() * values) : null,
      inv,
      lin,
      ret,
      info,
      applies: !info || r() < 0.5,
    });
    if (info) procId[w] += o.processes;
  }
  const state = new Map<number, number | null>();
  for (const g of [...ops].sort((a, b) => a.lin - b.lin)) {
    if (!g.applies) continue;
    if (g.f === 'write') state.set(g.key, g.v);
    else g.v = state.get(g.key) ?? null;
  }
  const events: { t: number; op: Omit<Op, 'index'> }[] = [];
  for (const g of ops) {
    events.push({ t: g.inv, op: { time: 0, type: 'invoke', process: g.proc, f: g.f, value: [g.key, g.f === 'write' ? g.v : null] } });
    const value = [g.key, g.info && g.f === 'read' ? null : g.v];
    events.push({ t: g.ret, op: { time: 0, type: g.info ? 'info' : 'ok', process: g.proc, f: g.f, value } });
  }
  events.sort((a, b) => a.t - b.t);
  return events.map((e, index) => ({ ...e.op, index, time: Math.round(e.t) }));
}
