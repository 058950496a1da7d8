import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostPortsOf } from '../../src/adapters/index.js';
import type { Adapter, Client } from '../../src/adapters/types.js';
import { clients, timeLimit, WORKLOADS, type Generator } from '../../src/generators/index.js';
import { HistoryWriter } from '../../src/history/writer.js';
import { interpret, type InterpretResult } from '../../src/run/interpreter.js';
import { runtimeByName } from '../../src/runtime/index.js';
import type { Cluster } from '../../src/runtime/types.js';
import type { BenchCase } from '../types.js';

const SECONDS = 5;

/** A raw driver loop: one register op (read, write or cas, the adapter's own statements) per call, no engine. */
export interface RawLoop {
  /** Per worker: a function running one op; resolves when it is done. */
  worker(i: number): Promise<(f: 'read' | 'write' | 'cas', value: unknown) => Promise<unknown>>;
  close(): Promise<void> | void;
}

export interface EngineCaseOptions {
  /** For the case name: "raw pg loop". */
  raw: string;
  adapter: Adapter;
  replication: string;
  concurrency: number;
  /** Where the node runs (default local). */
  runtime?: string;
  openRaw(cluster: Cluster, concurrency: number): Promise<RawLoop>;
}

/**
 * The engine (generator, interpreter, history written op by op, the adapter's client with its timeout
 * and error mapping) against a raw driver loop doing the same register ops on the same keys, both at
 * full speed for 5 s on one node (a namespace, or a container with the docker runtime). The raw loop uses the engine's key layout (10 threads
 * per key, a fresh key after 100 ops of a group): spread over other keys it would measure row
 * contention, not the engine. Prints both rates and their ratio, and the CPU this process spent per op
 * on each side (process.cpuUsage around each, user + system, all threads): the engine's own CPU per op is
 * the engine's figure minus the raw loop's (both include the driver's work for the same ops).
 */
export function engineCase(o: EngineCaseOptions): BenchCase {
  return {
    name: `engine vs ${o.raw}, register, concurrency ${o.concurrency}, ${o.runtime ?? 'local'} runtime`,
    async run(dir) {
      const runtime = runtimeByName(o.runtime ?? 'local');
      const why = (await runtime.unavailable(o.adapter.name)) ?? (await o.adapter.unavailable(runtime.probe(o.adapter.name)));
      if (why) throw new Error(why);
      const work = mkdtempSync(join(tmpdir(), `fl-bench-${o.adapter.name}-`));
      chmodSync(work, 0o755);
      const t0 = performance.now();
      const cluster = await runtime.up({
        runId: `bench-${o.adapter.name}-${process.pid}`,
        dir: work,
        nodes: 1,
        image: o.adapter.name,
        ports: hostPortsOf(o.adapter.description),
      });
      try {
        const db = await o.adapter.setup(cluster, { replication: o.replication, reads: 'primary', workload: 'register' });
        const startS = (performance.now() - t0) / 1000;
        try {
          const loop = await o.openRaw(cluster, o.concurrency);
          const rawCpu0 = process.cpuUsage();
          const rawOps = await rawLoop(loop, o.concurrency);
          const rawCpu = cpuUs(process.cpuUsage(rawCpu0));
          await loop.close();
          const raw = rawOps / SECONDS;
          const writer = new HistoryWriter(join(dir, 'history.jsonl'));
          const writes = countWrites(writer);
          const { r, cpu: engineCpu } = await timeEngine(timeLimit(SECONDS * 1e9, WORKLOADS.register!().generator), (t) => db.client(t), o.concurrency, writer);
          writer.close();
          const engine = r.invoked / SECONDS;
          const rawPerOp = rawCpu / rawOps;
          const enginePerOp = engineCpu / r.invoked;
          return {
            ops: r.written,
            note:
              `engine ${engine.toFixed(0)} ops/s, raw ${raw.toFixed(0)} ops/s, ratio ${((engine / raw) * 100).toFixed(0)}%; ` +
              `CPU per op: engine ${enginePerOp.toFixed(1)} us, raw ${rawPerOp.toFixed(1)} us, engine's own ${(enginePerOp - rawPerOp).toFixed(1)} us; ${(r.written / writes.n).toFixed(1)} lines per write; ` +
              `1 node up ${startS.toFixed(1)} s`,
          };
        } finally {
          await db.teardown();
        }
      } finally {
        await cluster.down();
        rmSync(work, { recursive: true, force: true });
      }
    },
  };
}

/** User + system CPU of this process (all its threads), in microseconds. */
export const cpuUs = (u: NodeJS.CpuUsage): number => u.user + u.system;

/** Runs the raw loop for SECONDS; returns the ops it completed. */
export async function rawLoop(loop: RawLoop, concurrency: number, seconds = SECONDS): Promise<number> {
  let n = 0;
  const groupOps = new Array<number>(Math.ceil(concurrency / 10)).fill(0);
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      const op = await loop.worker(i);
      let x = i + 1;
      const g = Math.floor(i / 10);
      while (Date.now() < end) {
        x = (x * 1103515245 + 12345) & 0x7fffffff;
        const k = g * 1_000_000 + Math.floor(groupOps[g]!++ / 100);
        const pick = (x >> 8) % 3;
        if (pick === 0) await op('read', [k, null]);
        else if (pick === 1) await op('write', [k, x % 5]);
        else await op('cas', [k, [x % 5, (x >> 3) % 5]]);
        n++;
      }
    }),
  );
  return n;
}

/** Counts the writer's write calls (appendAll and append), for the lines-per-write figure. */
export function countWrites(w: HistoryWriter): { n: number } {
  const c = { n: 0 };
  const all = w.appendAll.bind(w);
  const one = w.append.bind(w);
  w.appendAll = (ops) => {
    if (ops.length > 0) c.n++;
    all(ops);
  };
  w.append = (op) => {
    c.n++;
    one(op);
  };
  return c;
}

/**
 * The engine on Jepsen's register workload (`gen` bounds it: a time or op limit), its clients from `client`,
 * the history written to `writer`: the interpreter's result and this process's CPU (us) it took. One seed, so
 * every engine figure runs the same schedule.
 */
export async function timeEngine(
  gen: Generator,
  client: (thread: number) => Promise<Client>,
  concurrency: number,
  writer: HistoryWriter,
): Promise<{ r: InterpretResult; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const r = await interpret({ generator: clients(gen), clients: client, concurrency, writer, opTimeoutMs: 5000, startNs: process.hrtime.bigint(), seed: 1 });
  return { r, cpu: cpuUs(process.cpuUsage(cpu0)) };
}
