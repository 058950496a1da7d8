import { closeSync, openSync, writeSync } from 'node:fs';
import type { Op } from '../../src/history/op.js';
import { formatOpLine } from '../../src/history/writer.js';
import { rng } from './rng.js';

export interface AppendGenOptions {
  /** Client operations (each is two history lines: invocation and completion). */
  operations: number;
  /** Keys in all; the first `registerKeys` of them are register keys, the rest list (append) keys. */
  keys: number;
  registerKeys: number;
  /** Worker slots; each is bound to one node (sticky sessions) and owns the register keys k with k % workers === slot. */
  workers: number;
  nodes: number;
  /** Fraction of list-key ops that are appends (the rest are reads). */
  appendRate: number;
  /** Fraction of register-key ops that are writes (by the key's owner). */
  writeRate?: number;
  /** Fraction of writes whose outcome is unknown (info); half of those took effect. */
  infoRate: number;
  /** Partition windows, spread over the run; each isolates one node. */
  faults: number;
  seed?: number;
  /** Anomalies, for tests (all default 0, which leaves the valid history and its random sequence unchanged). */
  /** Fraction of ok appends/writes that never take effect (lost acknowledged writes). */
  lostRate?: number;
  /** Fraction of reads served from a replica lagging far behind: a random shorter prefix (stale reads). */
  staleRate?: number;
  /** Fraction of list reads that diverge: the last two elements swapped, or an element nobody wrote added. */
  divergentRate?: number;
  /** start-failover / stop-failover nemesis pairs whose completion says a standby was promoted without its quorum. */
  failovers?: number;
}

export interface AppendGenResult {
  lines: number;
  operations: number;
  windows: number;
  readElements: number;
}

/**
 * A replicated store under the append/register workloads, as faultline's checkers expect them:
 * one primary orders every write (an op takes effect at an instant between its invocation and
 * completion); node n applies the primary's log with a fixed lag, so a read on n returns what was
 * committed up to (instant - lag). Each worker always talks to its own node and carries an
 * explicit `session` (it survives the process renumbering after an info op). The lag is shorter
 * than any op, so the session guarantees hold outside faults.
 *
 * Faults: `start-partition` / `stop-partition` windows cut one node off: its applied log freezes,
 * its readers read stale data, its writers get fail (did not happen) or info (half of those took
 * effect on the primary). After the heal the node catches up. The run ends with reads well after
 * the final heal. So the history is valid for every checker, and the checkers do all their work.
 *
 * Written straight to a JSONL file (reads of long lists make the history large); returns counts.
 */
export function writeAppendHistory(file: string, o: AppendGenOptions): AppendGenResult {
  const r = rng(o.seed ?? 1);
  const writeRate = o.writeRate ?? 0.3;
  const lagNs = Array.from({ length: o.nodes }, (_, n) => 20_000 + n * 40_000); // 20..180 us, below any op's length
  const opMin = 400_000;

  interface G {
    w: number;
    proc: number;
    key: number;
    kind: 0 | 1 | 2 /* read, append/write, */;
    inv: number;
    lin: number;
    ret: number;
    outcome: 'ok' | 'fail' | 'info';
    applies: boolean;
    elem: number;
    readN: number;
    readV: number | null;
  }
  const nOps = o.operations;
  const ops: G[] = new Array(nOps);
  const clock = new Float64Array(o.workers);
  const proc = Array.from({ length: o.workers }, (_, i) => i);
  const listKeys = o.keys - o.registerKeys;
  // Register keys owned by each worker.
  const owned: number[][] = Array.from({ length: o.workers }, () => []);
  for (let k = 0; k < o.registerKeys; k++) owned[k % o.workers]!.push(k);
  for (let i = 0; i < nOps; i++) {
    const w = Math.floor(r() * o.workers);
    const inv = clock[w]! + r() * 100_000;
    const dur = opMin + r() * 1_600_000;
    const maxLag = lagNs[lagNs.length - 1]!;
    // Takes effect early enough that the worker's own node has applied it before the ok returns.
    const lin = inv + r() * (dur - maxLag - 1000);
    const ret = inv + dur;
    clock[w] = ret;
    let key: number;
    let kind: 0 | 1;
    if (r() < 0.1 && o.registerKeys > 0) {
      const mine = owned[w]!;
      if (mine.length > 0 && r() < writeRate) {
        key = mine[Math.floor(r() * mine.length)]!;
        kind = 1;
      } else {
        key = Math.floor(r() * o.registerKeys);
        kind = 0;
      }
    } else {
      key = o.registerKeys + Math.floor(r() * listKeys);
      kind = r() < o.appendRate ? 1 : 0;
    }
    ops[i] = { w, proc: proc[w]!, key, kind, inv, lin, ret, outcome: 'ok', applies: true, elem: 0, readN: 0, readV: null };
  }
  const end = Math.max(...clock);
  // Fault windows: evenly spaced over the first 85% of the run, each 4% of it long, nodes in turn.
  const windows: { node: number; from: number; to: number }[] = [];
  for (let i = 0; i < o.faults; i++) {
    const from = (end * 0.85 * (i + 0.3)) / o.faults;
    windows.push({ node: i % o.nodes, from, to: from + end * 0.04 });
  }
  const nodeOf = (w: number) => w % o.nodes;
  const cutAt = (node: number, t: number) => windows.find((x) => x.node === node && t >= x.from - lagNs[node]! && t < x.to);

  // Apply in effect order: the primary's log per key (elements and commit instants), register versions.
  const byLin = Array.from({ length: nOps }, (_, i) => i).sort((a, b) => ops[a]!.lin - ops[b]!.lin);
  const logT: number[][] = Array.from({ length: o.keys }, () => []);
  const logE: number[][] = Array.from({ length: o.keys }, () => []);
  const nextElem = new Int32Array(o.keys).fill(1);
  const regNext = new Int32Array(o.keys).fill(1);
  for (const i of byLin) {
    const g = ops[i]!;
    const node = nodeOf(g.w);
    const cut = cutAt(node, g.lin);
    if (g.kind === 1) {
      g.elem = g.key < o.registerKeys ? regNext[g.key]++ : nextElem[g.key]++;
      if (cut) {
        g.outcome = r() < 0.5 ? 'fail' : 'info';
        g.applies = g.outcome === 'info' && r() < 0.5;
      } else if (r() < o.infoRate) {
        g.outcome = 'info';
        g.applies = r() < 0.5;
      } else if (o.lostRate && r() < o.lostRate) g.applies = false;
      if (g.applies) {
        logT[g.key]!.push(g.lin);
        logE[g.key]!.push(g.elem);
      }
    } else {
      // What this node has applied: up to lin - lag, or frozen at the cut.
      const horizon = cut ? cut.from - lagNs[node]! : g.lin - lagNs[node]!;
      const ts = logT[g.key]!;
      let lo = 0;
      let hi = ts.length;
      while (lo < hi) {
        const m = (lo + hi) >> 1;
        if (ts[m]! <= horizon) lo = m + 1;
        else hi = m;
      }
      g.readN = o.staleRate && lo > 0 && r() < o.staleRate ? Math.floor(r() * lo) : lo;
      if (o.divergentRate && g.key >= o.registerKeys && r() < o.divergentRate) g.readV = r() < 0.5 ? -1 : -2;
      if (g.key < o.registerKeys) g.readV = g.readN === 0 ? null : logE[g.key]![g.readN - 1]!;
    }
  }
  // Processes: an info op retires its process; the worker's later ops run as the next number.
  const procNow = Array.from({ length: o.workers }, (_, i) => i);
  for (let i = 0; i < nOps; i++) {
    const g = ops[i]!;
    g.proc = procNow[g.w]!;
    if (g.outcome === 'info') procNow[g.w]! += o.workers;
  }

  // Events in time order: 2 per op, 4 per window (invoke + info of start and stop).
  type Nem = 'start-partition' | 'stop-partition' | 'start-failover' | 'stop-failover';
  type Ev = { t: number; i: number; done: boolean } | { t: number; nem: Nem; node: number; done: boolean };
  const evs: Ev[] = [];
  for (let i = 0; i < nOps; i++) {
    evs.push({ t: ops[i]!.inv, i, done: false });
    evs.push({ t: ops[i]!.ret, i, done: true });
  }
  for (const x of windows) {
    // The nemesis acts at `from` (its invocation a little before) and heals at `to`.
    evs.push({ t: x.from - lagNs[x.node]! - 2000, nem: 'start-partition', node: x.node, done: false });
    evs.push({ t: x.from - lagNs[x.node]! - 1000, nem: 'start-partition', node: x.node, done: true });
    evs.push({ t: x.to, nem: 'stop-partition', node: x.node, done: false });
    evs.push({ t: x.to + 1000, nem: 'stop-partition', node: x.node, done: true });
  }
  for (let i = 0; i < (o.failovers ?? 0); i++) {
    const t = (end * (i + 0.5)) / (o.failovers! + 1);
    evs.push({ t, nem: 'start-failover', node: i % o.nodes, done: false });
    evs.push({ t: t + 1000, nem: 'start-failover', node: i % o.nodes, done: true });
    evs.push({ t: t + end * 0.01, nem: 'stop-failover', node: i % o.nodes, done: false });
    evs.push({ t: t + end * 0.01 + 1000, nem: 'stop-failover', node: i % o.nodes, done: true });
  }
  evs.sort((a, b) => a.t - b.t);

  const fd = openSync(file, 'w');
  let buf = '';
  let readElements = 0;
  const flush = () => {
    writeSync(fd, buf);
    buf = '';
  };
  evs.forEach((e, index) => {
    let op: Op;
    const time = Math.round(e.t);
    if ('nem' in e) {
      let value: unknown = `n${e.node + 1}`;
      if (e.nem === 'start-failover' && e.done) {
        // As src/adapters/failover-choice.ts records it: promoted without the quorum (faultline's own decision).
        value = { policy: 'naive', chosen: value, unanswered: [], decision: 'promoted', quorum: false, sync: 'sync', required: 1, heard: 0 };
      }
      op = { index, time, type: e.done ? 'info' : 'invoke', process: 'nemesis', f: e.nem, value };
    } else {
      const g = ops[e.i]!;
      const node = `n${nodeOf(g.w) + 1}`;
      const session = g.w;
      const reg = g.key < o.registerKeys;
      if (g.kind === 1) {
        const f = reg ? 'write' : 'append';
        op = { index, time, type: e.done ? g.outcome : 'invoke', process: g.proc, f, value: [g.key, g.elem], node, session };
      } else if (!e.done) {
        op = { index, time, type: 'invoke', process: g.proc, f: 'read', value: [g.key, null], node, session };
      } else {
        let v: unknown;
        if (reg) v = g.readV;
        else {
          const l = logE[g.key]!.slice(0, g.readN);
          // Divergent reads (readV -1: swap the last two; -2: an element nobody wrote, then the rest).
          if (g.readV === -1 && l.length >= 2) [l[l.length - 1], l[l.length - 2]] = [l[l.length - 2]!, l[l.length - 1]!];
          else if (g.readV === -2) l.splice(Math.floor(l.length / 2), 0, 1_000_000 + e.i);
          v = l;
          readElements += g.readN;
        }
        op = { index, time, type: 'ok', process: g.proc, f: 'read', value: [g.key, v], node, session };
      }
    }
    buf += formatOpLine(op);
    if (buf.length > 1 << 20) flush();
  });
  flush();
  closeSync(fd);
  return { lines: evs.length, operations: nOps, windows: windows.length, readElements };
}
