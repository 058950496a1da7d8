import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cassandraAdapter } from '../../src/adapters/cassandra/index.js';
import { Coordinator } from '../../src/adapters/cassandra/coordinator.js';
import { WORKLOADS as CQL } from '../../src/adapters/cassandra/cql.js';
import { clients, timeLimit, WORKLOADS } from '../../src/generators/index.js';
import { HistoryWriter } from '../../src/history/writer.js';
import { interpret } from '../../src/run/interpreter.js';
import { localRuntime } from '../../src/runtime/local/index.js';
import type { BenchCase } from '../types.js';

const SECONDS = 5;

/**
 * The engine (generator, interpreter, history, adapter client with its timeout and error mapping) against
 * a raw loop of the same register CQL on one cassandra-driver Client (pinned to the node, no client-side
 * timestamps, as the adapter's), both at full speed on a one-node Cassandra (ONE/ONE) in a namespace.
 */
function engineCase(concurrency: number): BenchCase {
  return {
    name: `engine vs raw cassandra-driver loop, register, concurrency ${concurrency}`,
    async run(dir) {
      const why = (await localRuntime.unavailable()) ?? (await cassandraAdapter.unavailable());
      if (why) throw new Error(why);
      const work = mkdtempSync(join(tmpdir(), 'fl-bench-cass-'));
      chmodSync(work, 0o755);
      const cluster = await localRuntime.up({ runId: `bench-c-${process.pid}`, dir: work, nodes: 1 });
      try {
        const db = await cassandraAdapter.setup(cluster, { replication: 'one', reads: 'primary', workload: 'register' });
        try {
          const cql = CQL.register!;
          const coord = new Coordinator('n1', cluster.nodes[0]!.ip);
          const consistency = { read: 'one', write: 'one' } as const;
          let raw = 0;
          // The engine's key layout (10 threads per key, a fresh key after 100 ops of a group): a raw loop
          // spread over 100 keys would measure row contention, not the engine.
          const groupOps = new Array<number>(Math.ceil(concurrency / 10)).fill(0);
          const end = Date.now() + SECONDS * 1000;
          await Promise.all(Array.from({ length: concurrency }, async (_, i) => {
            let x = i + 1;
            const g = Math.floor(i / 10);
            const exec = (s: Parameters<Coordinator['execute']>[0]) => coord.execute(s, 5000, { sent: false });
            while (Date.now() < end) {
              x = (x * 1103515245 + 12345) & 0x7fffffff;
              const k = g * 1_000_000 + Math.floor(groupOps[g]!++ / 100);
              const pick = (x >> 8) % 3;
              if (pick === 0) await cql.run(exec, consistency, 'read', [k, null]);
              else if (pick === 1) await cql.run(exec, consistency, 'write', [k, x % 5]);
              else await cql.run(exec, consistency, 'cas', [k, [x % 5, (x >> 3) % 5]]);
              raw++;
            }
          }));
          await coord.close();
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
