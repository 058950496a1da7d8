import type { Client, Completion } from '../adapters/types.js';
import type { Op } from '../history/op.js';
import type { HistoryWriter } from '../history/writer.js';
import { contextFactory, threadOfProcess, threadsFor, type ContextState } from '../generators/context.js';
import type { Generator, PendingOp } from '../generators/types.js';

/** The nemesis as the interpreter sees it: one call per fault op; a throw is recorded as info. */
export interface NemesisInvoker {
  invoke(f: string, value: unknown): Promise<{ type: 'ok' | 'fail' | 'info'; value: unknown; error?: string }>;
}

export interface InterpretOptions {
  generator: Generator;
  /** Opens the client of a client thread; called again for a thread whose process was retired by info. */
  clients: (thread: number) => Promise<Client>;
  nemesis?: NemesisInvoker;
  /** Client threads. */
  concurrency: number;
  writer: HistoryWriter;
  /** A client op not completed after this long is recorded as info (error 'timeout'). */
  opTimeoutMs: number;
  /** The same for nemesis ops (faults such as a restart can take long). Default max(opTimeoutMs, 60 s). */
  nemesisTimeoutMs?: number;
  /** process.hrtime.bigint() at the start of the run: op times are ns since then. */
  startNs: bigint;
  /** Seeds ctx.rng. Default 0. */
  seed?: number;
  /** When it fires: no new ops; in-flight ops complete or time out (info); then interpret returns. */
  signal?: AbortSignal;
  /** Called with every op right after it is written. */
  onOp?: (op: Op) => void;
}

export interface InterpretResult {
  /** Client ops invoked, and how they completed. */
  invoked: number;
  ok: number;
  fail: number;
  info: number;
  /** Client ops of `info` that were the interpreter's own timeout. */
  timedOut: number;
  /** Nemesis ops invoked. */
  nemesisOps: number;
  /** Ops written to the history (invocations and completions). */
  written: number;
  /** The signal stopped the run before the generator was exhausted. */
  aborted: boolean;
}

/** One op in flight on a thread slot (client threads 0..c-1, the nemesis at c). */
interface Flight {
  op: PendingOp;
  /** When it times out (ns since startNs). */
  deadline: number;
}

/** When a generator is pending with nothing in flight and no wake time, nothing can wake it but the clock. */
const IDLE_RECHECK_MS = 100;

/**
 * Runs a generator against clients and a nemesis (Jepsen's interpreter). Single-threaded: the
 * generator is asked for ops whenever a thread is free, the clock reached a time it asked for, or an
 * op completed, and is updated with every invocation and completion. An info completion retires the
 * process: the thread continues as process + concurrency with a freshly opened client. Timers: one
 * for the earliest timeout of the ops in flight (it completes the ops past their deadline and arms
 * itself for the next; not one timer per op, and clients are told not to arm their own) and one
 * for the earliest time the generator is waiting for; nothing polls.
 *
 * Writing: the ops of one event-loop turn go to the history in one write (a write per op cost more
 * than the rest of the engine), and every invocation is in the file before its call starts. So a
 * crash can lose only completions of the last turn, which then read as indeterminate: never an
 * effect the history does not know was attempted.
 */
export async function interpret(o: InterpretOptions): Promise<InterpretResult> {
  const c = o.concurrency;
  if (!(Number.isInteger(c) && c > 0)) throw new RangeError(`concurrency must be a positive integer, got ${c}`);
  const nemesisTimeoutMs = o.nemesisTimeoutMs ?? Math.max(o.opTimeoutMs, 60_000);
  const threadOf = threadOfProcess(c);
  const processes = Array.from({ length: c }, (_, i) => i);
  const busy = new Array<boolean>(c + 1).fill(false);
  const state: ContextState = { seed: o.seed ?? 0, concurrency: c, threads: threadsFor(c), processes, busy, emitted: 0 };
  const flights: (Flight | undefined)[] = new Array(c + 1).fill(undefined);
  const clientOf: (Client | undefined)[] = new Array(c).fill(undefined);
  const opening: (Promise<Client> | undefined)[] = new Array(c).fill(undefined);
  const closing: Promise<unknown>[] = [];
  const res: InterpretResult = { invoked: 0, ok: 0, fail: 0, info: 0, timedOut: 0, nemesisOps: 0, written: 0, aborted: false };
  let gen = o.generator;
  let index = o.writer.written;
  let free = c + 1;
  let inflight = 0;
  let exhausted = false;
  let stopping = false;
  let failure: unknown;
  let pumping = false;
  let pumpQueued = false;
  const batch: Op[] = [];
  let toStart: number[] = [];
  let spare: number[] = [];
  const ctxAt = contextFactory(state);
  let wakeTimer: NodeJS.Timeout | undefined;
  let wakeAt = Infinity;
  let timeoutTimer: NodeJS.Timeout | undefined;
  let timeoutAt = Infinity;
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));

  const now = (): number => Number(process.hrtime.bigint() - o.startNs);

  const record = (op: Op): void => {
    batch.push(op);
    res.written++;
    o.onOp?.(op);
    gen = gen.update(ctxAt(op.time, 1), op);
  };
  const flush = (): void => {
    if (batch.length === 0) return;
    // The batch is emptied even when the write throws, as before: its ops are never written twice.
    try {
      o.writer.appendAll(batch);
    } finally {
      batch.length = 0;
    }
  };

  const stop = (err?: unknown): void => {
    if (err !== undefined && failure === undefined) failure = err;
    stopping = true;
    if (wakeTimer) clearTimeout(wakeTimer);
    wakeTimer = undefined;
    maybeFinish();
  };

  const maybeFinish = (): void => {
    if (inflight === 0 && (stopping || exhausted)) finish();
  };
  // setImmediate, not a microtask: the completions of one poll phase share one pump and one write.
  // Pumping per completion (queueMicrotask) wrote 2 lines per write instead of 10 (c10) or 50 (c50)
  // and cost the engine 2-5x its CPU per op over a loopback fake client.
  const schedulePump = (): void => {
    if (pumpQueued) return;
    pumpQueued = true;
    setImmediate(() => {
      pumpQueued = false;
      pump();
    });
  };

  // --- clients: opened eagerly, reopened lazily after a retirement ---
  const open = (t: number): Promise<Client> => {
    const p = o.clients(t);
    opening[t] = p;
    p.then(
      (cl) => {
        if (opening[t] === p) clientOf[t] = cl;
        else closing.push(cl.close().catch(() => {}));
      },
      () => {
        if (opening[t] === p) opening[t] = undefined;
      },
    );
    return p;
  };
  const retireClient = (t: number): void => {
    const p = opening[t];
    opening[t] = undefined;
    clientOf[t] = undefined;
    if (p) closing.push(p.then((cl) => cl.close()).catch(() => {}));
  };

  // --- completing an op (by its call, by its timeout, or by a failure to start it) ---
  const complete = (slot: number, fl: Flight, r: Completion, timedOut = false): void => {
    if (flights[slot] !== fl) return; // already completed: a late answer after the timeout
    flights[slot] = undefined;
    const op = fl.op;
    try {
      const done: Op = {
        index: index++,
        time: now(),
        type: r.type,
        process: op.process,
        f: op.f,
        value: r.value === undefined ? op.value : r.value,
      };
      if (r.error !== undefined) done.error = r.error;
      if (r.node !== undefined) done.node = r.node;
      busy[slot] = false;
      free++;
      inflight--;
      if (slot !== c) {
        res[r.type]++;
        if (timedOut) res.timedOut++;
        if (r.type === 'info') {
          processes[slot]! += c;
          retireClient(slot);
        }
      }
      record(done);
      if (stopping) flush();
    } catch (e) {
      stop(e);
      return;
    }
    // Other completions of this turn may follow: ask the generator once for all of them.
    if (!stopping) schedulePump();
    else maybeFinish();
  };

  const failed = (e: unknown): Completion => ({ type: 'info', value: undefined, error: e instanceof Error ? e.message : String(e) });

  const startClient = (slot: number, fl: Flight): void => {
    const op = fl.op;
    const cl = clientOf[slot];
    const call = (client: Client): Promise<void> =>
      client.invoke(op.f, op.value, o.opTimeoutMs, true).then(
        (r) => complete(slot, fl, r),
        (e) => complete(slot, fl, failed(e)),
      );
    if (cl) {
      // The common case, without the closure above (this runs for every op).
      cl.invoke(op.f, op.value, o.opTimeoutMs, true).then(
        (r) => complete(slot, fl, r),
        (e) => complete(slot, fl, failed(e)),
      );
      return;
    }
    (opening[slot] ?? open(slot)).then(call, (e) => {
      // Never sent: the op certainly had no effect.
      complete(slot, fl, { type: 'fail', value: undefined, error: `no client: ${e instanceof Error ? e.message : String(e)}` });
    });
  };

  const startNemesis = (fl: Flight): void => {
    if (!o.nemesis) {
      queueMicrotask(() => complete(c, fl, { type: 'fail', value: undefined, error: 'no nemesis configured' }));
      return;
    }
    let p: Promise<Completion>;
    try {
      p = o.nemesis.invoke(fl.op.f, fl.op.value);
    } catch (e) {
      p = Promise.reject(e);
    }
    p.then(
      (r) => complete(c, fl, r),
      (e) => complete(c, fl, failed(e)),
    );
  };

  const dispatch = (op: PendingOp, time: number): void => {
    const thread = threadOf(op.process);
    const slot = thread === 'nemesis' ? c : thread;
    if (busy[slot] || (thread !== 'nemesis' && processes[thread] !== op.process)) {
      throw new Error(`generator chose process ${op.process}, which is busy or retired`);
    }
    busy[slot] = true;
    free--;
    inflight++;
    state.emitted++;
    const fl: Flight = { op, deadline: time + (slot === c ? nemesisTimeoutMs : o.opTimeoutMs) * 1e6 };
    flights[slot] = fl;
    if (fl.deadline < timeoutAt) armTimeouts(fl.deadline, time);
    if (slot === c) res.nemesisOps++;
    else res.invoked++;
    record({ index: index++, time, type: 'invoke', process: op.process, f: op.f, value: op.value });
    toStart.push(slot);
  };
  /** Starts the calls of the ops just invoked, once their invocations are written. */
  const startAll = (): void => {
    // Taken whole before any start (a start that throws must not be retried), without a copy per turn.
    const list = toStart;
    toStart = spare;
    spare = list;
    try {
      for (let i = 0; i < list.length; i++) {
        const slot = list[i]!;
        const fl = flights[slot];
        if (!fl) continue;
        if (slot === c) startNemesis(fl);
        else startClient(slot, fl);
      }
    } finally {
      list.length = 0;
    }
  };

  // --- timeouts: one timer, at the earliest deadline in flight ---
  const armTimeouts = (at: number, t: number): void => {
    if (timeoutTimer) clearTimeout(timeoutTimer);
    timeoutAt = at;
    timeoutTimer = setTimeout(onTimeouts, Math.max(1, Math.ceil((at - t) / 1e6)));
  };
  const onTimeouts = (): void => {
    timeoutTimer = undefined;
    timeoutAt = Infinity;
    const t = now();
    let next = Infinity;
    for (let slot = 0; slot <= c; slot++) {
      const fl = flights[slot];
      if (!fl) continue;
      if (fl.deadline <= t) complete(slot, fl, { type: 'info', value: undefined, error: 'timeout' }, true);
      else if (fl.deadline < next) next = fl.deadline;
    }
    // Ops the completions above let the generator invoke armed the timer for their own deadlines.
    if (next < timeoutAt) armTimeouts(next, t);
  };

  // --- the scheduler ---
  const arm = (at: number, t: number): void => {
    if (wakeTimer && wakeAt <= at) return;
    if (wakeTimer) clearTimeout(wakeTimer);
    wakeAt = at;
    wakeTimer = setTimeout(onWake, Math.max(0, (at - t) / 1e6));
  };
  const onWake = (): void => {
    wakeTimer = undefined;
    wakeAt = Infinity;
    pump();
  };

  const pump = (): void => {
    if (pumping || stopping) return;
    pumping = true;
    try {
      exhausted = false;
      while (free > 0) {
        const t = now();
        const step = gen.op(ctxAt(t, 0));
        if (step === null) {
          exhausted = true;
          break;
        }
        if ('pending' in step) {
          gen = step.gen;
          if (step.wakeAt !== undefined) arm(step.wakeAt, t);
          else if (inflight === 0) arm(t + IDLE_RECHECK_MS * 1e6, t);
          break;
        }
        if (step.op.time !== undefined && step.op.time > t) {
          arm(step.op.time, t);
          break;
        }
        gen = step.gen;
        dispatch(step.op, t);
      }
      flush();
      startAll();
    } catch (e) {
      pumping = false;
      // Ops already invoked still run; if their invocations could not be written they never
      // start, and their timeouts complete them.
      try {
        flush();
        startAll();
      } catch {
        toStart.length = 0;
      }
      stop(e);
      return;
    }
    pumping = false;
    maybeFinish();
  };

  const onAbort = (): void => {
    if (!exhausted || inflight > 0) res.aborted = true;
    stop();
  };

  try {
    // A client that takes longer than an op timeout to open is waited for by its thread's first op.
    await settledWithin(
      Array.from({ length: c }, (_, t) => open(t)),
      o.opTimeoutMs,
    );
    if (o.signal?.aborted) onAbort();
    else {
      o.signal?.addEventListener('abort', onAbort, { once: true });
      pump();
    }
    await finished;
  } finally {
    try {
      flush();
    } catch (e) {
      if (failure === undefined) failure = e;
    }
    o.signal?.removeEventListener('abort', onAbort);
    if (wakeTimer) clearTimeout(wakeTimer);
    if (timeoutTimer) clearTimeout(timeoutTimer);
    for (let t = 0; t < c; t++) retireClient(t);
    await settledWithin(closing, Math.max(o.opTimeoutMs, 1000));
  }
  if (failure !== undefined) throw failure;
  return res;
}

/** Waits for the promises to settle, but not longer than ms (a hung open or close must not hang the run). */
async function settledWithin(ps: Promise<unknown>[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled(ps),
    new Promise<void>((r) => {
      timer = setTimeout(r, ms);
    }),
  ]);
  clearTimeout(timer);
}
