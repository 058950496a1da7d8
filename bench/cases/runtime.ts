import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adapterByName, hostPortsOf } from '../../src/adapters/index.js';
import { runtimeByName, runtimeNames } from '../../src/runtime/index.js';
import type { RuntimeNode } from '../../src/runtime/types.js';
import type { BenchCase } from '../types.js';

const ms = (t0: number) => performance.now() - t0;
const f = (x: number) => (x < 1000 ? `${x.toFixed(x < 10 ? 1 : 0)} ms` : `${(x / 1000).toFixed(2)} s`);

/** Polls until f() holds; the bench's own bound, 5 s. */
async function until(what: string, f: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + 5000;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * A runtime's own speed (ARCHITECTURE.md: a 3-node cluster starts in about a second; a kill -9 is seen at
 * once), through the RuntimeNode API only so every runtime is measured the same way: up(3 nodes), the
 * first partition (creates the chain) and its heal, how soon a kill -9 resolves `exited`, stop() of a
 * paused service, and down(). Printed, never asserted: test/integration/runtime-contract.test.ts asserts
 * the behaviour.
 */
const runtimeCase = (kind: string): BenchCase => ({
  name: `${kind} runtime: up, partition, heal, kill -9, stop paused, down (3 nodes)`,
  async run() {
    const runtime = runtimeByName(kind);
    const why = await runtime.unavailable('postgres');
    if (why) throw new Error(why);
    const dir = mkdtempSync(join(tmpdir(), 'fl-bench-runtime-'));
    try {
      let t0 = performance.now();
      const cluster = await runtime.up({ runId: `bench-runtime-${kind}-${process.pid}`, dir, nodes: 3, image: 'postgres' });
      const upMs = ms(t0);
      try {
        const [n1, n2] = cluster.nodes as [RuntimeNode, RuntimeNode];
        t0 = performance.now();
        await n1.partition([n2.ip]);
        const partMs = ms(t0);
        t0 = performance.now();
        await n1.healPartition();
        const healMs = ms(t0);

        const k = await n1.spawn({ name: 'sleep', argv: ['sleep', '1000'], logFile: join(n1.dir, 'k.log') });
        await until('sleep to start', async () => (await n1.running([k.pid])).length === 1);
        t0 = performance.now();
        await n1.signal([k.pid], 'SIGKILL');
        await k.exited;
        const killMs = ms(t0);

        const p = await n2.spawn({ name: 'sleep', argv: ['sleep', '1000'], logFile: join(n2.dir, 'p.log') });
        await until('sleep to start', async () => (await n2.running([p.pid])).length === 1);
        await n2.signal([p.pid], 'SIGSTOP');
        t0 = performance.now();
        await p.stop(10_000);
        const stopMs = ms(t0);

        t0 = performance.now();
        await cluster.down();
        const downMs = ms(t0);
        return {
          ops: 0,
          note: `up ${f(upMs)}, partition ${f(partMs)}, heal ${f(healMs)}, kill -9 seen ${f(killMs)}, stop paused ${f(stopMs)}, down ${f(downMs)}`,
        };
      } finally {
        await cluster.down();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
});

/** A 3-node database cluster from nothing to serving (runtime up + the adapter's setup), and its teardown. */
const clusterStartCase = (kind: string, db: string): BenchCase => ({
  name: `${kind} runtime: ${db} 3-node cluster start (up + setup), teardown`,
  async run() {
    const runtime = runtimeByName(kind);
    const adapter = await adapterByName(db);
    const why = (await runtime.unavailable(db)) ?? (await adapter.unavailable(runtime.probe(db)));
    if (why) throw new Error(why);
    const dir = mkdtempSync(join(tmpdir(), 'fl-bench-start-'));
    chmodSync(dir, 0o755);
    try {
      const t0 = performance.now();
      const cluster = await runtime.up({
        runId: `bench-start-${kind}-${db}-${process.pid}`,
        dir,
        nodes: 3,
        image: db,
        ports: hostPortsOf(adapter.description),
      });
      try {
        const database = await adapter.setup(cluster, { replication: adapter.description.defaultReplication, reads: 'primary', workload: 'register' });
        const startMs = ms(t0);
        const t1 = performance.now();
        await database.teardown();
        await cluster.down();
        return { ops: 0, note: `start ${f(startMs)}, teardown ${f(ms(t1))}` };
      } finally {
        await cluster.down();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
});

export const cases: BenchCase[] = runtimeNames.flatMap((k) => [runtimeCase(k), clusterStartCase(k, 'postgres'), clusterStartCase(k, 'redis')]);
