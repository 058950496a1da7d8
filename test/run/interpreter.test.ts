import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Client, Completion } from '../../src/adapters/types.js';
import { checkLinearizability } from '../../src/checkers/linearizability/index.js';
import { casRegister } from '../../src/checkers/linearizability/models/index.js';
import {
  any,
  clients,
  fromFn,
  limit,
  nemesis,
  nemesisCycle,
  once,
  phases,
  registerWorkload,
  stagger,
  timeLimit,
  type Generator,
} from '../../src/generators/index.js';
import { lintHistory } from '../../src/history/lint.js';
import { loadHistory } from '../../src/history/load.js';
import type { Op } from '../../src/history/op.js';
import { HistoryWriter } from '../../src/history/writer.js';
import { interpret, type InterpretOptions } from '../../src/run/interpreter.js';

/**
 * An in-memory register store behind real asynchronous calls: each op takes `delayMs` (0: the next
 * turn of the event loop). f 'hang' never answers; f 'crash' answers info. Counts opens and closes.
 */
class Store {
  readonly data = new Map<unknown, unknown>();
  opened = 0;
  closed = 0;
  constructor(readonly delayMs: (f: string) => number = () => 0) {}

  client(): Client {
    this.opened++;
    return {
      invoke: (f, value) => this.invoke(f, value),
      close: async () => {
        this.closed++;
      },
    };
  }

  private invoke(f: string, value: unknown): Promise<Completion> {
    if (f === 'hang') return new Promise(() => {});
    const d = this.delayMs(f);
    return new Promise((resolve) => {
      const answer = (): void => resolve(this.apply(f, value));
      if (d > 0) setTimeout(answer, d);
      else setImmediate(answer);
    });
  }

  private apply(f: string, value: unknown): Completion {
    if (f === 'crash') return { type: 'info', value, error: 'connection reset' };
    if (f === 'noop') return { type: 'ok', value };
    const [k, v] = value as [unknown, unknown];
    switch (f) {
      case 'read':
        return { type: 'ok', value: [k, this.data.get(k) ?? null] };
      case 'write':
        this.data.set(k, v);
        return { type: 'ok', value };
      case 'cas': {
        const [from, to] = v as [unknown, unknown];
        if ((this.data.get(k) ?? null) !== from) return { type: 'fail', value, error: 'cas mismatch' };
        this.data.set(k, to);
        return { type: 'ok', value };
      }
      default:
        return { type: 'fail', value, error: `unknown f ${f}` };
    }
  }
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-interp-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

let runs = 0;
async function run(generator: Generator, store: Store, extra: Partial<InterpretOptions> = {}) {
  const file = join(dir, `history-${runs++}.jsonl`);
  const writer = new HistoryWriter(file);
  const live: Op[] = [];
  try {
    const result = await interpret({
      generator,
      clients: async () => store.client(),
      concurrency: 5,
      writer,
      opTimeoutMs: 1000,
      startNs: process.hrtime.bigint(),
      seed: 1,
      onOp: (op) => live.push(op),
      ...extra,
    });
    const h = await loadHistory(file);
    return { result, h, ops: h.ops, live };
  } finally {
    writer.close();
  }
}

const always = (f: string, value: unknown = null) => fromFn(() => ({ f, value }));
const invokes = (ops: readonly Op[]) => ops.filter((o) => o.type === 'invoke');

describe('interpret', () => {
  it('runs a register workload: every op written as it happens, the history lints clean and is linearizable', async () => {
    const store = new Store(() => 1);
    const { result, h, ops, live } = await run(clients(limit(600, registerWorkload({ opsPerKey: 60 }).generator)), store);
    expect(lintHistory(h)).toEqual([]);
    expect(result.invoked).toBe(600);
    expect(result.ok + result.fail + result.info).toBe(600);
    expect(result.fail).toBeGreaterThan(0); // cas mismatches
    expect(result.written).toBe(1200);
    expect(ops.map((o) => o.index)).toEqual([...Array(1200).keys()]);
    for (let i = 1; i < ops.length; i++) expect(ops[i]!.time).toBeGreaterThanOrEqual(ops[i - 1]!.time);
    expect(live).toEqual(ops);
    expect(new Set(invokes(ops).map((o) => o.process))).toEqual(new Set([0, 1, 2, 3, 4]));
    const v = checkLinearizability(ops, { model: casRegister });
    expect(v.valid).toBe(true);
    expect(store.opened).toBe(5);
    expect(store.closed).toBe(5);
  });

  it('keeps every thread busy: at most one op in flight per process, up to concurrency at once', async () => {
    const { ops } = await run(clients(limit(300, always('noop'))), new Store(() => 2));
    let open = 0;
    let most = 0;
    for (const o of ops) {
      open += o.type === 'invoke' ? 1 : -1;
      most = Math.max(most, open);
    }
    expect(most).toBe(5);
  });

  it('times an op out as info, retires its process, and reopens the client of its thread', async () => {
    const store = new Store();
    const gen = clients(phases(once({ f: 'hang' }), limit(20, always('noop'))));
    const t0 = Date.now();
    const { result, h, ops } = await run(gen, store, { opTimeoutMs: 150, concurrency: 2 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect(lintHistory(h)).toEqual([]);
    const hang = ops.find((o) => o.f === 'hang' && o.type !== 'invoke')!;
    expect(hang).toMatchObject({ type: 'info', error: 'timeout' });
    expect(hang.time - ops.find((o) => o.f === 'hang')!.time).toBeGreaterThanOrEqual(140e6);
    expect(result).toMatchObject({ invoked: 21, info: 1, timedOut: 1, ok: 20 });
    const retired = hang.process as number;
    const later = new Set(
      invokes(ops)
        .filter((o) => o.f === 'noop')
        .map((o) => o.process),
    );
    expect(later.has(retired)).toBe(false);
    expect(later.has(retired + 2)).toBe(true);
    expect(store.opened).toBe(3);
    expect(store.closed).toBe(3);
  });

  it('an info answer retires the process too (Jepsen: process + concurrency)', async () => {
    const store = new Store();
    const gen = clients(
      limit(
        30,
        fromFn((ctx) => ({ f: ctx.rng.float() < 0.3 ? 'crash' : 'noop' })),
      ),
    );
    const { result, h, ops } = await run(gen, store, { concurrency: 3 });
    expect(lintHistory(h)).toEqual([]);
    expect(result.info).toBeGreaterThan(0);
    const seen = new Set<unknown>();
    for (const o of ops) {
      if (o.type === 'invoke') expect(seen.has(o.process)).toBe(false);
      if (o.type === 'info') seen.add(o.process);
    }
    expect(Math.max(...invokes(ops).map((o) => o.process as number))).toBeGreaterThanOrEqual(3);
    // A retired thread opens a new client for its next op only.
    expect(store.opened).toBeGreaterThan(3);
    expect(store.opened).toBeLessThanOrEqual(3 + result.info);
    expect(store.closed).toBe(store.opened);
  });

  it('on abort stops issuing, lets in-flight ops finish, and returns', async () => {
    const store = new Store(() => 30);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const t0 = Date.now();
    const { result, h, ops } = await run(clients(always('noop')), store, { signal: ac.signal });
    // The generator never ends: only the abort can end the run (the bound is loose for a loaded machine).
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(result.aborted).toBe(true);
    expect(lintHistory(h)).toEqual([]);
    expect(ops.filter((o) => o.type === 'ok')).toHaveLength(result.invoked);
    expect(result.invoked).toBeGreaterThan(10);
    expect(store.closed).toBe(store.opened);
  });

  it('on abort an op that never answers is recorded info at its timeout', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const { result, h, ops } = await run(clients(phases(limit(5, always('noop')), once({ f: 'hang' }), always('noop'))), new Store(), {
      signal: ac.signal,
      opTimeoutMs: 200,
    });
    expect(lintHistory(h)).toEqual([]);
    expect(ops.at(-1)).toMatchObject({ f: 'hang', type: 'info', error: 'timeout' });
    expect(result.aborted).toBe(true);
  });

  it('an already aborted signal runs nothing', async () => {
    const ac = new AbortController();
    ac.abort();
    const { result, ops } = await run(clients(always('noop')), new Store(), { signal: ac.signal });
    expect(ops).toHaveLength(0);
    expect(result.invoked).toBe(0);
  });

  it('waits for op times with one timer: a staggered stream runs at its rate', async () => {
    const { result, ops } = await run(clients(timeLimit(500e6, stagger(200, always('noop')))), new Store());
    expect(result.invoked).toBeGreaterThan(60);
    expect(result.invoked).toBeLessThan(140);
    expect(Math.max(...ops.map((o) => o.time))).toBeLessThan(700e6);
  });

  it('runs the nemesis on its own worker, as process nemesis, between client ops', async () => {
    const faults: string[] = [];
    const nem = {
      invoke: async (f: string, value: unknown) => {
        faults.push(f);
        await new Promise((r) => setTimeout(r, 5));
        return { type: 'ok' as const, value };
      },
    };
    const gen = any(clients(timeLimit(400e6, always('noop'))), nemesis(timeLimit(400e6, nemesisCycle([{ f: 'start' }, { f: 'stop' }], 100e6))));
    const { result, h, ops } = await run(gen, new Store(() => 1), { nemesis: nem });
    expect(lintHistory(h)).toEqual([]);
    expect(faults).toEqual(['start', 'stop', 'start']);
    const nops = ops.filter((o) => o.process === 'nemesis');
    expect(nops.map((o) => `${o.f}:${o.type}`)).toEqual(['start:invoke', 'start:ok', 'stop:invoke', 'stop:ok', 'start:invoke', 'start:ok']);
    expect(nops[0]!.time).toBeGreaterThanOrEqual(100e6);
    expect(result.nemesisOps).toBe(3);
  });

  it('a nemesis op with no nemesis configured fails; one that throws is info', async () => {
    const a = await run(nemesis(once({ f: 'start' })), new Store());
    expect(a.ops.map((o) => o.type)).toEqual(['invoke', 'fail']);
    const b = await run(nemesis(once({ f: 'start' })), new Store(), {
      nemesis: {
        invoke: async () => {
          throw new Error('iptables: boom');
        },
      },
    });
    expect(b.ops[1]).toMatchObject({ type: 'info', error: 'iptables: boom' });
  });

  it('a client that cannot open fails its op (never sent) and is retried on the next', async () => {
    // The first open is the eager one before the run; the first op opens again, and fails too.
    const store = new Store();
    let calls = 0;
    const { result, h } = await run(clients(limit(4, always('noop'))), store, {
      concurrency: 1,
      clients: async () => {
        if (calls++ < 2) throw new Error('connection refused');
        return store.client();
      },
    });
    expect(lintHistory(h)).toEqual([]);
    expect(result).toMatchObject({ fail: 1, ok: 3 });
    expect(h.ops[1]).toMatchObject({ type: 'fail', error: 'no client: connection refused' });
  });

  it('a generator that throws ends the run with its error after in-flight ops complete', async () => {
    let n = 0;
    const bad = fromFn(() => {
      if (n++ === 10) throw new Error('generator bug');
      return { f: 'noop' };
    });
    await expect(run(clients(bad), new Store(() => 5))).rejects.toThrow('generator bug');
  });
});
