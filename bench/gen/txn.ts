import { closeSync, openSync, writeSync } from 'node:fs';
import type { Op, OpType } from '../../src/history/op.js';
import { formatOpLine } from '../../src/history/writer.js';
import { rng } from './rng.js';

export type TxnWorkload = 'list-append' | 'rw-register';

/**
 * What the simulated database can do wrong, on purpose, so tests can check the checkers find it.
 * Two-transaction anomalies (A and B, concurrent, both ok, committed at one shared instant):
 * - G2-item (write skew): A = [r x, r y, w x], B = [r x, r y, w y]; both read the same snapshot, then both write.
 * - G1c: A = [w x, r y], B = [w y, r x]; both writes land first, so each reads the other's write.
 * - G-single (read skew): A = [r x, r y], B = [w x, w y]; A reads x before B, y after it.
 * - lost-update: A = [r x, w x], B = [r x, w x]; both read the same x, then both write.
 * - G0 (write cycle): A = [w x, w y], B = [w x, w y]; x gets A's then B's write, y gets B's then A's.
 * - G1b (intermediate read): A = [w x, w x], B = [r x]; B reads between A's two writes.
 * One-transaction anomalies (T):
 * - G1a (aborted read): T = [w x] completes :fail, yet its write is applied (later reads see it).
 * - internal: T = [w x, r x]; the read misses T's own write (the state before it).
 * - duplicate-elements (list-append): T = [append x] is applied twice.
 * - incompatible-order (list-append): T = [r x] returns x with its last two elements swapped.
 * - garbage-read: T = [r x] sees a value nobody wrote (list-append: one more element at the end).
 * - stale-read (realtime): T = [r x] misses the last write to x, whose transaction completed before T began
 *   (serializable, not strict-serializable).
 * "w" is `append` in list-append. One-transaction anomalies whose precondition does not hold when T
 * commits (x too short, the last writer still running) move on to the next transaction.
 */
export const TXN_ANOMALIES = [
  'G0',
  'G1a',
  'G1b',
  'G1c',
  'G-single',
  'G2-item',
  'lost-update',
  'internal',
  'duplicate-elements',
  'incompatible-order',
  'garbage-read',
  'stale-read',
] as const;
export type TxnAnomaly = (typeof TXN_ANOMALIES)[number];

const PAIRS: ReadonlySet<TxnAnomaly> = new Set(['G0', 'G1b', 'G1c', 'G-single', 'G2-item', 'lost-update']);
const LIST_ONLY: ReadonlySet<TxnAnomaly> = new Set(['duplicate-elements', 'incompatible-order']);

export interface TxnGenOptions {
  /** Default list-append. */
  workload?: TxnWorkload;
  /** Transactions to invoke (each is two history lines). */
  txns: number;
  /** Concurrent processes (Jepsen's concurrency); default 10. */
  processes?: number;
  /** Active keys at any time (Elle's key-count); default 10. */
  keyCount?: number;
  /** Elle's key-dist: 'exponential' (default; the pool's slot i is keyDistBase^i times as likely as slot 0) or 'uniform'. */
  keyDist?: 'exponential' | 'uniform';
  keyDistBase?: number;
  /** Micro-ops per transaction; default 1..4. */
  minTxnLength?: number;
  maxTxnLength?: number;
  /** A key is retired (replaced by a fresh one) after this many writes were issued to it; default 32. */
  maxWritesPerKey?: number;
  /** Probability that a micro-op is a read; default 0.5. */
  readRate?: number;
  /** Share of transactions that time out (:info; applied or not, at random; the process is retired); default 0.01. */
  infoRate?: number;
  /** Share of transactions that fail (:fail; not applied); default 0.02. */
  failRate?: number;
  /** Make the database misbehave this way, `anomalyCount` times (default 1), spread evenly over the run. */
  anomaly?: TxnAnomaly;
  anomalyCount?: number;
  /** Default 1. */
  seed?: number;
}

/**
 * One injected anomaly: its transactions' invocation and completion indices ([A, B] for the pairs,
 * [T] otherwise; empty when the run ended before a carrier's precondition held) and keys ([x] or [x, y]).
 */
export interface InjectedAnomaly {
  kind: TxnAnomaly;
  keys: number[];
  invokes: number[];
  completions: number[];
}

export interface TxnGenStats {
  lines: number;
  txns: number;
  ok: number;
  info: number;
  fail: number;
  /** Distinct keys used. */
  keys: number;
  /** Most transactions open at once. */
  maxOpen: number;
  injected: InjectedAnomaly[];
}

type MopF = 'append' | 'r' | 'w';
/** A micro-op as Jepsen writes it: [f, key, value]. */
type Mop = [MopF, number, unknown];

interface Txn {
  slot: number;
  process: number;
  mops: Mop[];
  /** Read results, filled at commit (same positions as mops). */
  out: Mop[] | undefined;
  inv: number;
  ret: number;
  type: OpType;
  applies: boolean;
  /** Injection this transaction carries, and its role. */
  rec?: InjectedAnomaly;
  role?: 'A' | 'B' | 'T';
  partner?: Txn;
}

interface Ev {
  t: number;
  seq: number;
  /** 0 invoke (slot), 1 commit (txn), 2 complete (txn). */
  kind: 0 | 1 | 2;
  slot: number;
  txn?: Txn;
}

/** A binary min-heap on (t, seq). */
class Heap {
  private a: Ev[] = [];
  get size(): number {
    return this.a.length;
  }
  push(e: Ev): void {
    const a = this.a;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): Ev {
    const a = this.a;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && less(a[l]!, a[m]!)) m = l;
        if (r < a.length && less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}
const less = (x: Ev, y: Ev) => x.t < y.t || (x.t === y.t && x.seq < y.seq);

/**
 * A simulated transactional database under Jepsen's list-append or rw-register workload, with
 * Elle's generator shape: `processes` clients, each running one transaction at a time; 1-4
 * micro-ops over a pool of `keyCount` active keys (exponentially skewed), each key retired after
 * `maxWritesPerKey` writes; values unique per key (1, 2, 3, ... in invocation order).
 *
 * Each transaction executes atomically at a random instant strictly between its invocation and
 * completion, so without `anomaly` the history is strict-serializable: every read of a key is a
 * prefix of that key's final list (list-append), or the latest value written (rw-register). Info
 * transactions (timeouts) took effect or not at random, and their process is retired (the client
 * continues as process p + processes, Jepsen's convention); fail transactions did not take effect.
 * Completions of info and fail transactions carry the invocation's value (reads nil).
 *
 * Deterministic for a seed. Streams: `emit` gets each op in history order and memory stays
 * proportional to the processes and the live keys, not to the history.
 */
export function simulateTxns(o: TxnGenOptions, emit: (op: Op) => void): TxnGenStats {
  const r = rng(o.seed ?? 1);
  const list = (o.workload ?? 'list-append') === 'list-append';
  const W: MopF = list ? 'append' : 'w';
  const N = o.processes ?? 10;
  const keyCount = o.keyCount ?? 10;
  const base = o.keyDistBase ?? 2;
  const expo = (o.keyDist ?? 'exponential') === 'exponential';
  const minLen = o.minTxnLength ?? 1;
  const maxLen = o.maxTxnLength ?? 4;
  const maxWrites = o.maxWritesPerKey ?? 32;
  const readRate = o.readRate ?? 0.5;
  const infoRate = o.infoRate ?? 0.01;
  const failRate = o.failRate ?? 0.02;
  const anomaly = o.anomaly;
  if (anomaly !== undefined) {
    if (!TXN_ANOMALIES.includes(anomaly)) throw new Error(`unknown anomaly ${String(anomaly)}; known: ${TXN_ANOMALIES.join(', ')}`);
    if (!list && LIST_ONLY.has(anomaly)) throw new Error(`${anomaly} is a list-append anomaly`);
    if (PAIRS.has(anomaly) && N < 2) throw new Error(`${anomaly} needs two processes`);
    if (keyCount < 2) throw new Error('anomalies need two active keys');
  }
  const anomalyCount = anomaly === undefined ? 0 : (o.anomalyCount ?? 1);
  // The k-th injection starts at the invocation numbered due[k] (never among the last two).
  const due = Array.from({ length: anomalyCount }, (_, k) => Math.min(Math.floor(((k + 0.5) * o.txns) / anomalyCount), Math.max(0, o.txns - 3)));

  // Key pool: slot i holds an active key; written[k] counts writes issued to key k.
  let nextKey = 0;
  const pool = Array.from({ length: keyCount }, () => nextKey++);
  const written = new Map<number, number>();
  const retired = new Set<number>();
  // Database state per key: the list (list-append) or [value] (rw-register, empty = nil), the values'
  // writers' completion times (for stale-read), and the transactions in flight naming the key (to free retired keys).
  const state = new Map<number, unknown[]>();
  const writerRet = new Map<number, number[]>();
  const inflight = new Map<number, number>();
  // rw-register stale-read needs the value before the last one: remembered per key.
  const prevReg = new Map<number, unknown>();
  const span = Math.pow(base, keyCount) - 1;
  const pickSlot = (): number => {
    if (!expo || base === 1) return Math.floor(r() * keyCount);
    // Inverse CDF of P(i) proportional to base^i (the hottest key is the last slot): the least i with
    // u * (base^n - 1) < base^(i+1) - 1.
    const i = Math.floor(Math.log(1 + r() * span) / Math.log(base));
    return Math.min(i, keyCount - 1);
  };
  const forget = (k: number) => {
    retired.delete(k);
    state.delete(k);
    writerRet.delete(k);
    written.delete(k);
    prevReg.delete(k);
  };
  /** Replaces the slot's key by a fresh one; the old key is forgotten once no transaction in flight names it. */
  const retire = (slot: number, unnamed: boolean) => {
    const k = pool[slot]!;
    retired.add(k);
    pool[slot] = nextKey++;
    if (unnamed && !inflight.has(k)) forget(k);
  };
  const issueWrite = (slot: number): [number, number] => {
    const k = pool[slot]!;
    const n = (written.get(k) ?? 0) + 1;
    written.set(k, n);
    // The transaction being built names k: it is forgotten when that one completes (hold).
    if (n >= maxWrites) retire(slot, false);
    return [k, n];
  };
  /** A slot whose key can take `n` more writes (retiring a full one if needed); not the key `not`. */
  const roomySlot = (n: number, not?: number): number => {
    for (let s = keyCount - 1; s >= 0; s--) if (pool[s] !== not && (written.get(pool[s]!) ?? 0) + n < maxWrites) return s;
    const s = pool[keyCount - 1] === not ? keyCount - 2 : keyCount - 1;
    retire(s, true);
    return s;
  };
  const hold = (t: Txn, d: 1 | -1) => {
    const seen = new Set<number>();
    for (const [, k] of t.mops) {
      if (seen.has(k)) continue;
      seen.add(k);
      const c = (inflight.get(k) ?? 0) + d;
      if (c > 0) inflight.set(k, c);
      else {
        inflight.delete(k);
        // A retired key nobody is using can be forgotten (memory stays bounded over long runs).
        if (retired.has(k)) forget(k);
      }
    }
  };

  const proc = Array.from({ length: N }, (_, i) => i);
  const heap = new Heap();
  let seq = 0;
  let invoked = 0;
  let open = 0;
  let index = 0;
  const stats: TxnGenStats = { lines: 0, txns: 0, ok: 0, info: 0, fail: 0, keys: 0, maxOpen: 0, injected: [] };
  let nextDue = 0;
  /** A two-transaction injection waiting for its B, or a one-transaction injection waiting for a carrier. */
  let waitingA: Txn | undefined;
  let pendingSingle: InjectedAnomaly | undefined;
  let singleCarrier = false;

  const dur = () => 200_000 + r() * 1_800_000; // 0.2 .. 2 ms
  const schedule = (t: Txn, commitAt: number | undefined) => {
    if (commitAt !== undefined) heap.push({ t: commitAt, seq: seq++, kind: 1, slot: t.slot, txn: t });
    heap.push({ t: t.ret, seq: seq++, kind: 2, slot: t.slot, txn: t });
  };

  const randomMops = (): Mop[] => {
    const len = minLen + Math.floor(r() * (maxLen - minLen + 1));
    const mops: Mop[] = [];
    for (let i = 0; i < len; i++) {
      const slot = pickSlot();
      if (r() < readRate) mops.push(['r', pool[slot]!, null]);
      else {
        const [k, v] = issueWrite(slot);
        mops.push([W, k, v]);
      }
    }
    return mops;
  };
  const write = (slot: number): Mop => {
    const [k, v] = issueWrite(slot);
    return [W, k, v];
  };

  const invoke = (slot: number, t0: number) => {
    invoked++;
    const txn: Txn = { slot, process: proc[slot]!, mops: [], out: undefined, inv: t0, ret: 0, type: 'ok', applies: true };
    if (waitingA) {
      // B of a two-transaction injection: both commit at one instant after B's invocation.
      const a = waitingA;
      waitingA = undefined;
      const [x, y] = a.rec!.keys as [number, number | undefined];
      const xs = pool.indexOf(x);
      const ys = y === undefined ? -1 : pool.indexOf(y);
      switch (a.rec!.kind) {
        case 'G2-item':
          txn.mops = [['r', x, null], ['r', y!, null], write(ys)];
          break;
        case 'G1c':
          txn.mops = [write(ys), ['r', x, null]];
          break;
        case 'G-single':
          txn.mops = [write(xs), write(ys)];
          break;
        case 'lost-update':
          txn.mops = [['r', x, null], write(xs)];
          break;
        case 'G0':
          txn.mops = [write(xs), write(ys)];
          break;
        default: // G1b
          txn.mops = [['r', x, null]];
      }
      txn.rec = a.rec;
      txn.role = 'B';
      txn.partner = a;
      a.partner = txn;
      const commit = t0 + 20_000 + r() * 200_000;
      a.ret = Math.max(a.inv + dur(), commit + 20_000 + r() * 500_000);
      txn.ret = commit + 20_000 + r() * 500_000;
      schedule(a, commit); // the pair commits in one event, carried by A
      schedule(txn, undefined);
    } else if (nextDue < due.length && invoked - 1 >= due[nextDue]!) {
      nextDue++;
      const kind = anomaly!;
      const rec: InjectedAnomaly = { kind, keys: [], invokes: [], completions: [] };
      stats.injected.push(rec);
      if (PAIRS.has(kind)) {
        // A: keys chosen with room for this pair's writes.
        const xs = roomySlot(2);
        const x = pool[xs]!;
        const ys = kind === 'lost-update' || kind === 'G1b' ? -1 : roomySlot(2, x);
        const y = ys < 0 ? undefined : pool[ys]!;
        rec.keys = y === undefined ? [x] : [x, y];
        switch (kind) {
          case 'G2-item':
            txn.mops = [['r', x, null], ['r', y!, null], write(xs)];
            break;
          case 'G1c':
            txn.mops = [write(xs), ['r', y!, null]];
            break;
          case 'G-single':
            txn.mops = [
              ['r', x, null],
              ['r', y!, null],
            ];
            break;
          case 'lost-update':
            txn.mops = [['r', x, null], write(xs)];
            break;
          case 'G0':
            txn.mops = [write(xs), write(ys)];
            break;
          default: // G1b: two writes to x
            txn.mops = [write(xs), write(xs)];
        }
        txn.rec = rec;
        txn.role = 'A';
        waitingA = txn;
      } else {
        pendingSingle = rec;
      }
    }
    if (txn.mops.length === 0 && pendingSingle && !singleCarrier) {
      const rec = pendingSingle;
      const kind = rec.kind;
      if (kind === 'G1a' || kind === 'internal' || kind === 'duplicate-elements') {
        const w = write(roomySlot(1));
        txn.mops = kind === 'internal' ? [w, ['r', w[1], null]] : [w];
        if (kind === 'G1a') txn.type = 'fail';
      } else {
        // Reads: the hottest key with at least one (incompatible-order: two) values.
        let s = keyCount - 1;
        for (; s > 0; s--) if ((state.get(pool[s]!)?.length ?? 0) >= (kind === 'incompatible-order' ? 2 : 1)) break;
        txn.mops = [['r', pool[s]!, null]];
      }
      rec.keys = [txn.mops[0]![1]];
      txn.rec = rec;
      txn.role = 'T';
      singleCarrier = true;
    }
    if (txn.mops.length === 0) {
      txn.mops = randomMops();
      txn.ret = t0 + dur();
      const u = r();
      if (u < infoRate) {
        txn.type = 'info';
        txn.applies = r() < 0.5;
      } else if (u < infoRate + failRate) {
        txn.type = 'fail';
        txn.applies = false;
      }
      schedule(txn, txn.applies ? t0 + (0.02 + 0.96 * r()) * (txn.ret - t0) : undefined);
    } else if (txn.role === 'T') {
      txn.ret = t0 + dur();
      schedule(txn, t0 + (0.02 + 0.96 * r()) * (txn.ret - t0));
    }
    hold(txn, 1);
    open++;
    if (open > stats.maxOpen) stats.maxOpen = open;
    if (txn.rec) txn.rec.invokes[txn.role === 'B' ? 1 : 0] = index;
    emit({ index: index++, time: Math.round(t0), type: 'invoke', process: txn.process, f: 'txn', value: txn.mops.map((m) => [...m]) });
  };

  // Database operations at the commit instant.
  const cur = (k: number): unknown[] => {
    let s = state.get(k);
    if (!s) {
      s = [];
      state.set(k, s);
      writerRet.set(k, []);
    }
    return s;
  };
  const apply = (t: Txn, m: Mop) => {
    const s = cur(m[1]);
    // Only an ok writer has a completion realtime can order before a later invocation.
    const ret = t.type === 'ok' ? t.ret : Infinity;
    if (list) {
      s.push(m[2]);
      writerRet.get(m[1])!.push(ret);
    } else {
      prevReg.set(m[1], s.length === 0 ? null : s[0]);
      s[0] = m[2];
      writerRet.get(m[1])![0] = ret;
    }
  };
  const snapshot = (k: number): unknown => {
    const s = cur(k);
    return list ? s.slice() : s.length === 0 ? null : s[0];
  };
  const runTxn = (t: Txn) => {
    t.out = t.mops.map((m) => {
      if (m[0] === 'r') return ['r', m[1], snapshot(m[1])];
      apply(t, m);
      return [m[0], m[1], m[2]];
    });
  };
  const commit = (t: Txn) => {
    if (t.role === 'A') {
      const a = t;
      const b = t.partner!;
      const read = (x: Txn, i: number) => {
        x.out![i] = ['r', x.mops[i]![1], snapshot(x.mops[i]![1])];
      };
      const wr = (x: Txn, i: number) => {
        apply(x, x.mops[i]!);
        x.out![i] = [...x.mops[i]!];
      };
      a.out = a.mops.map((m) => [...m]);
      b.out = b.mops.map((m) => [...m]);
      switch (a.rec!.kind) {
        case 'G2-item':
        case 'lost-update':
          // Both read the same snapshot, then both write.
          a.mops.forEach((m, i) => m[0] === 'r' && read(a, i));
          b.mops.forEach((m, i) => m[0] === 'r' && read(b, i));
          a.mops.forEach((m, i) => m[0] !== 'r' && wr(a, i));
          b.mops.forEach((m, i) => m[0] !== 'r' && wr(b, i));
          break;
        case 'G1c':
          wr(a, 0);
          wr(b, 0);
          read(a, 1);
          read(b, 1);
          break;
        case 'G-single':
          read(a, 0);
          wr(b, 0);
          wr(b, 1);
          read(a, 1);
          break;
        case 'G0':
          wr(a, 0);
          wr(b, 0);
          wr(b, 1);
          wr(a, 1);
          break;
        default: // G1b
          wr(a, 0);
          read(b, 0);
          wr(a, 1);
      }
      return;
    }
    if (t.role !== 'T') return runTxn(t);
    const kind = t.rec!.kind;
    const k = t.mops[0]![1];
    const s = cur(k);
    const wret = writerRet.get(k)!;
    let done = true;
    switch (kind) {
      case 'G1a':
        runTxn(t); // applied, though the client is told it failed
        break;
      case 'internal':
        t.out = [[...t.mops[0]!], ['r', k, snapshot(k)]];
        apply(t, t.mops[0]!);
        break;
      case 'duplicate-elements':
        runTxn(t);
        apply(t, t.mops[0]!);
        break;
      case 'incompatible-order':
        if (s.length >= 2) {
          const v = s.slice();
          [v[v.length - 2], v[v.length - 1]] = [v[v.length - 1], v[v.length - 2]];
          t.out = [['r', k, v]];
        } else done = false;
        break;
      case 'garbage-read': {
        const g = 1_000_000 + stats.injected.length; // per-key values never go past maxWritesPerKey + 1
        t.out = [['r', k, list ? [...s, g] : g]];
        break;
      }
      default: // stale-read: the state before the last write, whose writer completed before t began
        if (s.length >= 1 && wret[wret.length - 1]! < t.inv) t.out = [['r', k, list ? s.slice(0, -1) : prevReg.get(k)]];
        else done = false;
    }
    if (!done) {
      // Precondition not met: an ordinary read, and the next transaction carries the injection.
      runTxn(t);
      t.rec!.invokes.length = 0;
      t.rec = undefined;
      t.role = undefined;
      singleCarrier = false;
    } else {
      pendingSingle = undefined;
      singleCarrier = false;
    }
  };
  const complete = (t: Txn) => {
    open--;
    hold(t, -1);
    stats.txns++;
    if (t.type === 'ok') stats.ok++;
    else if (t.type === 'info') stats.info++;
    else stats.fail++;
    // Info and fail completions carry the invocation (reads unknown); ok ones what the database returned.
    const value = t.type === 'ok' ? t.out! : t.mops.map((m) => [...m]);
    if (t.rec) t.rec.completions[t.role === 'B' ? 1 : 0] = index;
    emit({ index: index++, time: Math.round(t.ret), type: t.type, process: t.process, f: 'txn', value });
    if (t.type === 'info') proc[t.slot]! += N;
    if (invoked < o.txns) heap.push({ t: t.ret + r() * 50_000, seq: seq++, kind: 0, slot: t.slot });
  };

  for (let s = 0; s < Math.min(N, o.txns); s++) heap.push({ t: r() * 100_000, seq: seq++, kind: 0, slot: s });
  while (heap.size > 0) {
    const e = heap.pop();
    if (e.kind === 0) {
      if (invoked < o.txns || waitingA) invoke(e.slot, e.t);
    } else if (e.kind === 1) commit(e.txn!);
    else complete(e.txn!);
  }
  stats.lines = index;
  stats.keys = nextKey;
  return stats;
}

/** The whole history in memory (tests, and benchmarks of the checker alone). */
export function generateTxnHistory(o: TxnGenOptions): { ops: Op[]; stats: TxnGenStats } {
  const ops: Op[] = [];
  const stats = simulateTxns(o, (op) => ops.push(op));
  return { ops, stats };
}

/** Streams the history to a JSONL file (the history writer's line format); holds no more than 1 MB of text. */
export function writeTxnHistory(file: string, o: TxnGenOptions): TxnGenStats {
  const fd = openSync(file, 'w');
  let buf = '';
  try {
    const stats = simulateTxns(o, (op) => {
      buf += formatOpLine(op);
      if (buf.length > 1 << 20) {
        writeSync(fd, buf);
        buf = '';
      }
    });
    writeSync(fd, buf);
    return stats;
  } finally {
    closeSync(fd);
  }
}
