import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisAdapter } from '../../src/adapters/redis/index.js';
import { connect } from '../../src/adapters/redis/conn.js';
import { PORT } from '../../src/adapters/redis/settings.js';
import { WORKLOADS as REDIS_OPS } from '../../src/adapters/redis/workloads.js';
import { clients, timeLimit, WORKLOADS } from '../../src/generators/index.js';
import { HistoryWriter } from '../../src/history/writer.js';
import { interpret } from '../../src/run/interpreter.js';
import { localRuntime } from '../../src/runtime/local/index.js';
import type { BenchCase } from '../types.js';

const SECONDS = 5;

/**
 * The engine (generator, interpreter, history written op by op, adapter client with its timeout and
 * error mapping) against a raw ioredis loop running the same register commands (GET, SET, the cas
 * script) on plain connections, both at full speed on one Redis node in a namespace. Redis answers in
 * microseconds, so this ratio shows faultline's own cost per op more starkly than Postgres does.
 */
function engineCase(concurrency: number): BenchCase {
  return {
    name: `engine vs raw ioredis loop, register, concurrency ${concurrency}`,
    async run(dir) {
      const why = (await localRuntime.unavailable()) ?? (await redisAdapter.unavailable());
      if (why) throw new Error(why);
      const work = mkdtempSync(join(tmpdir(), 'fl-bench-redis-'));
      chmodSync(work, 0o755);
      const cluster = await localRuntime.up({ runId: `bench-redis-${process.pid}`, dir: work, nodes: 1 });
      try {
        const db = await redisAdapter.setup(cluster, { replication: 'async', reads: 'primary', workload: 'register' });
        try {
          const ip = cluster.nodes[0]!.ip;
          const ops = REDIS_OPS.register!;
          const conns = await Promise.all(Array.from({ length: concurrency }, () => connect(ip, PORT, 5000)));
          let raw = 0;
          // The engine's key layout (10 threads per key, a fresh key after 100 ops of a group): a raw loop
          // spread over 100 keys would measure row contention, not the engine.
          const groupOps = new Array<number>(Math.ceil(concurrency / 10)).fill(0);
          const end = Date.now() + SECONDS * 1000;
          await Promise.all(conns.map(async (c, i) => {
            let x = i + 1;
            const g = Math.floor(i / 10);
            while (Date.now() < end) {
              x = (x * 1103515245 + 12345) & 0x7fffffff;
              const k = g * 1_000_000 + Math.floor(groupOps[g]!++ / 100);
              const pick = (x >> 8) % 3;
              if (pick === 0) await ops.run(c, 'read', [k, null]);
              else if (pick === 1) await ops.run(c, 'write', [k, x % 5]);
              else await ops.run(c, 'cas', [k, [x % 5, (x >> 3) % 5]]);
              raw++;
            }
          }));
          conns.forEach((c) => c.disconnect());
          const writer = new HistoryWriter(join(dir, 'history.jsonl'));
          const r = await interpret({
            generator: clients(timeLimit(SECONDS * 1e9, WORKLOADS.register!().generator)),
            clients: (t) => db.client(t), concurrency, writer, opTimeoutMs: 5000,
            startNs: process.hrtime.bigint(), seed: 1,
          });
          writer.close();
          const ratio = r.invoked / raw;
          return { ops: r.written, note: `engine ${(r.invoked / SECONDS).toFixed(0)} ops/s, raw ${(raw / SECONDS).toFixed(0)} ops/s, ratio ${(ratio * 100).toFixed(0)}%` };
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

export const cases: BenchCase[] = [engineCase(10), engineCase(50)];
