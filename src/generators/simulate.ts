import type { Op, OpType } from '../history/op.js';
import { contextFactory, threadOfProcess, threadsFor, type ContextState } from './context.js';
import type { Generator, GenStep, PendingOp, Thread } from './types.js';

export interface SimulateOptions {
  concurrency: number;
  seed: number;
  /** How long each op takes, in ns. Default 1 ms. */
  latencyNs?: number | ((op: PendingOp) => number);
  /** How each op completes. Default ok with the invoked value. */
  complete?: (op: PendingOp) => { type: Exclude<OpType, 'invoke'>; value?: unknown };
  /** Stop after this many invocations (a guard for infinite generators). Default 100,000. */
  maxOps?: number;
}

/**
 * Runs a generator in virtual time, with no I/O: what the interpreter would do if every op took
 * latencyNs. Deterministic, so it previews a seed's schedule (e.g. a fault schedule) and is how the
 * generator tests run. Returns the history.
 */
export function simulate(gen: Generator, opts: SimulateOptions): Op[] {
  const c = opts.concurrency;
  const threads = threadsFor(c);
  const threadOf = threadOfProcess(c);
  const processes = Array.from({ length: c }, (_, i) => i);
  const busy = new Array<boolean>(c + 1).fill(false);
  const state: ContextState = { seed: opts.seed, concurrency: c, threads, processes, busy, emitted: 0 };
  const ctxAt = contextFactory(state);
  const latency = opts.latencyNs ?? 1e6;
  const maxOps = opts.maxOps ?? 100_000;
  const history: Op[] = [];
  const inflight: { at: number; op: PendingOp; thread: Thread }[] = [];
  const slot = (t: Thread): number => (t === 'nemesis' ? c : t);
  let time = 0;
  for (;;) {
    let wake: number | undefined;
    let done = false;
    while (state.emitted < maxOps) {
      const step: GenStep = gen.op(ctxAt(time, 0));
      if (step === null) {
        done = true;
        break;
      }
      if ('pending' in step) {
        gen = step.gen;
        wake = step.wakeAt;
        break;
      }
      if (step.op.time !== undefined && step.op.time > time) {
        wake = step.op.time;
        break;
      }
      gen = step.gen;
      const op = step.op;
      const thread = threadOf(op.process);
      if (busy[slot(thread)]) throw new Error(`generator chose process ${op.process}, whose thread is busy`);
      busy[slot(thread)] = true;
      state.emitted++;
      const inv: Op = { index: history.length, time, type: 'invoke', process: op.process, f: op.f, value: op.value };
      history.push(inv);
      gen = gen.update(ctxAt(time, 1), inv);
      const d = typeof latency === 'number' ? latency : latency(op);
      inflight.push({ at: time + d, op, thread });
    }
    if (inflight.length === 0 && (done || wake === undefined || state.emitted >= maxOps)) return history;
    let next = wake ?? Infinity;
    for (const f of inflight) if (f.at < next) next = f.at;
    if (next === Infinity) return history;
    if (next <= time && !inflight.some((f) => f.at <= time)) {
      throw new Error(`generator is pending until ${next} ns but gives no op at ${time} ns`);
    }
    time = next;
    inflight.sort((a, b) => a.at - b.at);
    while (inflight.length > 0 && inflight[0]!.at <= time) {
      const f = inflight.shift()!;
      const r = opts.complete ? opts.complete(f.op) : { type: 'ok' as const, value: f.op.value };
      busy[slot(f.thread)] = false;
      if (r.type === 'info' && typeof f.thread === 'number') processes[f.thread]! += c;
      const comp: Op = { index: history.length, time, type: r.type, process: f.op.process, f: f.op.f, value: r.value === undefined ? f.op.value : r.value };
      history.push(comp);
      gen = gen.update(ctxAt(time, 1), comp);
    }
  }
}
