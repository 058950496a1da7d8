import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mysqlAdapter, type MultiLeaderDb } from '../../src/adapters/mysql/index.js';
import { writeLeader } from '../../src/adapters/topology.js';
import type { Completion, DbOptions, WritesTo } from '../../src/adapters/types.js';
import { runtimeByName } from '../../src/runtime/index.js';
import { readJson } from '../../src/run/store.js';
import { clusterPerTest, requireRuntime, runsOf, RUNTIMES } from './support.js';

// Issue 16: --topology multi-leader on MariaDB. Every node takes writes and replicates from every other node
// (multi-source, one connection per node); nothing resolves conflicts, and the run must show them.

const T = 3000;

describe.each(RUNTIMES)('mysql multi-leader (MariaDB multi-source) on %s', (runtime) => {
  const two = clusterPerTest('myml2', { runtime, image: 'mysql', nodes: 2 });
  const three = clusterPerTest('myml3', { runtime, image: 'mysql', nodes: 3 });
  const runs = runsOf(mysqlAdapter, { runtime, nodes: 2, timeLimitS: 5 });
  const opts = (writesTo: WritesTo, workload = 'register'): DbOptions => ({
    replication: 'async',
    reads: 'primary',
    workload,
    topology: 'multi-leader',
    writesTo,
  });
  const setup = (writesTo: WritesTo, workload?: string) => (c: Parameters<typeof mysqlAdapter.setup>[0]) =>
    mysqlAdapter.setup(c, opts(writesTo, workload)) as Promise<MultiLeaderDb>;

  it('is offered, and the machine can run it', async () => {
    expect(mysqlAdapter.description.topologies).toEqual(['single-leader', 'multi-leader']);
    const rt = runtimeByName(runtime);
    await requireRuntime(async () => (await rt.unavailable('mysql')) ?? (await mysqlAdapter.unavailable(rt.probe('mysql'))));
  });

  /** Every key's value as node `n` alone reads it (ClientOptions.node). */
  async function readAll(db: MultiLeaderDb, n: string, keys: number[]): Promise<Map<number, unknown>> {
    const c = await db.client(0, { node: n });
    const out = new Map<number, unknown>();
    for (const k of keys) {
      const r = await c.invoke('read', [k, null], T);
      expect(r, `read ${k} on ${n}`).toMatchObject({ type: 'ok', node: n });
      out.set(k, (r.value as [number, unknown])[1]);
    }
    await c.close();
    return out;
  }

  it('writes through each leader to different keys reach every node; waitHealthy passes; every node reads the same', async () => {
    const { db } = await two(setup('key'));
    expect(Object.fromEntries(db.roles())).toEqual({ n1: 'primary', n2: 'primary' });
    expect(db.primary().name).toBe('n1');
    const keys = Array.from({ length: 20 }, (_, i) => i);
    const c = await db.client(0);
    for (const k of keys) {
      const w = await c.invoke('write', [k, 100 + k], T);
      expect(w).toMatchObject({ type: 'ok', node: writeLeader(['n1', 'n2'], 'key', 0, [k, 0]) });
    }
    // Both leaders took writes: keys spread over them.
    expect(new Set(keys.map((k) => writeLeader(['n1', 'n2'], 'key', 0, [k, 0])))).toEqual(new Set(['n1', 'n2']));
    // A read goes to the session's own node.
    expect(await c.invoke('read', [0, null], T)).toMatchObject({ type: 'ok', node: 'n1' });
    const c1 = await db.client(1);
    expect(await c1.invoke('read', [0, null], T)).toMatchObject({ type: 'ok', node: 'n2' });
    await db.waitHealthy(20_000);
    const want = new Map(keys.map((k) => [k, 100 + k]));
    expect(await readAll(db, 'n1', keys)).toEqual(want);
    expect(await readAll(db, 'n2', keys)).toEqual(want);
    const d = db.describe();
    expect(d).toMatchObject({ topology: 'multi-leader', slaveExecMode: 'STRICT' });
    const nodes = d.nodes as { name: string; domain: number; connections: { connection: string; io: string; sql: string }[] }[];
    expect(nodes.map((n) => [n.name, n.domain])).toEqual([
      ['n1', 1],
      ['n2', 2],
    ]);
    expect(nodes[0]!.connections).toMatchObject([{ connection: 'n2', io: 'Yes', sql: 'Yes' }]);
    expect(nodes[1]!.connections).toMatchObject([{ connection: 'n1', io: 'Yes', sql: 'Yes' }]);
    await expect(db.failover()).rejects.toThrow(/no standby/);
  }, 60_000);

  it('concurrent writes of one key through two leaders: the nodes disagree, or a SQL thread stops and waitHealthy says so at once', async () => {
    const { db } = await two(setup('session'));
    const [a, b] = [await db.client(0), await db.client(1)];
    const keys = Array.from({ length: 50 }, (_, i) => i);
    const done: Completion[] = [];
    for (let round = 0; round < 3; round++) {
      const r = await Promise.all(keys.flatMap((k) => [a.invoke('write', [k, round * 1000 + k], T), b.invoke('write', [k, round * 1000 + 500 + k], T)]));
      done.push(...r);
    }
    expect(new Set(done.map((x) => x.node))).toEqual(new Set(['n1', 'n2']));
    expect(done.filter((x) => x.type !== 'ok')).toEqual([]);
    const budget = 20_000;
    const t0 = Date.now();
    const health = await db.waitHealthy(budget).then(
      () => undefined,
      (e: Error) => e.message,
    );
    const waited = Date.now() - t0;
    expect(waited).toBeLessThan(budget / 2);
    const status = await db.status();
    if (health !== undefined) {
      // The apply thread that met the other leader's row stopped, named with its error.
      expect(health).toMatch(/n[12]: replication connection 'n[12]' stopped applying \(SQL thread\): (1062|1032)/);
      console.log(`mysql multi-leader on ${runtime}: conflict stopped replication after ${waited} ms: ${health}`);
      const conns = (status.nodes as { connections: { sql: string; sqlError: string }[] }[]).flatMap((n) => n.connections);
      expect(conns.some((x) => x.sql === 'No' && /^(1062|1032):/.test(x.sqlError))).toBe(true);
    } else {
      const [r1, r2] = [await readAll(db, 'n1', keys), await readAll(db, 'n2', keys)];
      const differ = keys.filter((k) => r1.get(k) !== r2.get(k));
      console.log(`mysql multi-leader on ${runtime}: healthy after ${waited} ms, ${differ.length} of ${keys.length} keys differ`);
      expect(differ.length).toBeGreaterThan(0);
    }
  }, 60_000);

  it('kill -9 of one of three leaders and a restart: its connections resume and it catches up with what the others took meanwhile', async () => {
    const { db, cluster } = await three(setup('key', 'set'));
    const c = await db.client(0);
    for (let e = 0; e < 9; e++) expect(await c.invoke('add', e, T)).toMatchObject({ type: 'ok' });
    const n2 = cluster.nodes[1]!;
    await db.kill(n2);
    expect(db.roles().get('n2')).toBe('down');
    await expect(db.waitHealthy(5000)).rejects.toThrow(/n2 is down/);
    // With writesTo key a set's element has no key: it follows the session. Sessions 0 and 2 write to n1 and n3.
    const c2 = await db.client(2);
    for (let e = 9; e < 15; e++) expect(await c.invoke('add', e, T)).toMatchObject({ type: 'ok', node: 'n1' });
    for (let e = 15; e < 20; e++) expect(await c2.invoke('add', e, T)).toMatchObject({ type: 'ok', node: 'n3' });
    const c1 = await db.client(1);
    expect(await c1.invoke('add', 99, T)).toMatchObject({ type: 'fail', node: 'n2' });
    await db.restart(n2);
    expect(await c1.invoke('add', 20, T)).toMatchObject({ type: 'ok', node: 'n2' });
    await db.waitHealthy(30_000);
    const all = Array.from({ length: 21 }, (_, i) => i);
    for (const n of ['n1', 'n2', 'n3']) {
      const rc = await db.client(0, { node: n });
      expect(await rc.invoke('read', null, T), n).toMatchObject({ type: 'ok', node: n, value: all });
      await rc.close();
    }
    const nodes = (await db.status()).nodes as { name: string; connections: { connection: string; io: string; sql: string }[] }[];
    expect(nodes.find((x) => x.name === 'n2')!.connections.map((x) => [x.connection, x.io, x.sql])).toEqual([
      ['n1', 'Yes', 'Yes'],
      ['n3', 'Yes', 'Yes'],
    ]);
  }, 60_000);

  it('a run with --topology multi-leader --writes-to key: every op names its node, and the cluster is healthy at the end', async () => {
    const r = await runs.run({ workload: 'register', topology: 'multi-leader', writesTo: 'key' });
    const info = readJson<{ cluster: { topology: string }; healthAfterHeal: { healthy: boolean } }>(join(r.dir, 'run.json'));
    expect(info.cluster.topology).toBe('multi-leader');
    expect(info.healthAfterHeal).toMatchObject({ supported: true, healthy: true });
    const done = r.history.filter((op) => op.process !== 'nemesis' && op.type !== 'invoke');
    expect(done.length).toBeGreaterThan(50);
    expect(done.filter((op) => op.type === 'ok' && !op.node)).toEqual([]);
    expect(new Set(done.map((op) => op.node))).toEqual(new Set(['n1', 'n2']));
  }, 60_000);
});
