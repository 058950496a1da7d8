import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DbOptions } from '../../src/adapters/types.js';
import { postgresAdapter, type PgDb } from '../../src/adapters/postgres/index.js';
import { PgClient } from '../../src/adapters/postgres/client.js';
import { WORKLOADS } from '../../src/adapters/postgres/workloads.js';
import { alive } from '../../src/runtime/local/procs.js';
import { adminQuery } from '../../src/adapters/postgres/sql.js';
import { PORT } from '../../src/adapters/postgres/settings.js';
import { localRuntime } from '../../src/runtime/local/index.js';
import type { Cluster } from '../../src/runtime/types.js';
import { requireRuntime, tearDown } from './support.js';

// CI runs these as root with Postgres installed by the setup script: a machine that cannot is a failure, never a skip.
await requireRuntime(async () => (await localRuntime.unavailable()) ?? (await postgresAdapter.unavailable(localRuntime.probe())));

interface Started {
  cluster: Cluster;
  db: PgDb;
  dir: string;
}
let live: Started | undefined;
let seq = 0;

async function start(opts: Partial<DbOptions> = {}, nodes = 3): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), 'fl-pg-'));
  chmodSync(dir, 0o755); // the postgres user must reach its node directories
  const cluster = await localRuntime.up({ runId: `pgtest-${process.pid}-${seq++}`, dir, nodes });
  live = { cluster, dir, db: undefined as unknown as PgDb };
  const db = (await postgresAdapter.setup(cluster, { replication: 'async', reads: 'primary', workload: 'register', ...opts })) as PgDb;
  live.db = db;
  return live;
}

afterEach(async () => {
  if (!live) return;
  const started = live;
  live = undefined;
  await tearDown(started);
});

const T = 2000;

describe('postgres adapter on the local runtime (3 nodes)', () => {
  it('sets up, does register write/read/cas, and tears down leaving no process or namespace', async () => {
    const { db, cluster } = await start();
    expect([...db.roles()]).toEqual([
      ['n1', 'primary'],
      ['n2', 'standby'],
      ['n3', 'standby'],
    ]);
    const c = await db.client(0);
    expect(await c.invoke('write', [1, 3], T)).toMatchObject({ type: 'ok', value: [1, 3], node: 'n1' });
    expect(await c.invoke('read', [1, null], T)).toMatchObject({ type: 'ok', value: [1, 3], node: 'n1' });
    expect(await c.invoke('read', [2, null], T)).toMatchObject({ type: 'ok', value: [2, null] });
    expect(await c.invoke('cas', [1, [3, 4]], T)).toMatchObject({ type: 'ok', value: [1, [3, 4]] });
    expect(await c.invoke('cas', [1, [3, 0]], T)).toMatchObject({ type: 'fail' });
    expect(await c.invoke('read', [1, null], T)).toMatchObject({ type: 'ok', value: [1, 4] });
    const pids = await db.pids();
    expect(pids.length).toBeGreaterThan(6); // 3 postmasters and their children
    const runId = cluster.runId;
    await db.teardown();
    await cluster.down();
    rmSync(live!.dir, { recursive: true, force: true });
    live = undefined;
    expect(pids.filter(alive)).toEqual([]);
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(runId);
  });

  /** Write [k, i] on the primary, then at once read k from the session's replica; counts reads that miss it. */
  async function staleReads(db: PgDb, tries: number): Promise<{ stale: number; nodes: Set<string> }> {
    const c = await db.client(0);
    let stale = 0;
    const nodes = new Set<string>();
    for (let i = 1; i <= tries; i++) {
      const w = await c.invoke('write', [7, i], T);
      expect(w).toMatchObject({ type: 'ok', node: 'n1' });
      const r = await c.invoke('read', [7, null], T);
      expect(r.type).toBe('ok');
      nodes.add(r.node!);
      if ((r.value as [number, number | null])[1] !== i) stale++;
    }
    await c.close();
    return { stale, nodes };
  }

  it('async + reads from replicas: some immediate reads miss the write just acknowledged', async () => {
    const { db } = await start({ replication: 'async', reads: 'replicas' });
    const { stale, nodes } = await staleReads(db, 200);
    expect([...nodes]).toEqual(['n2']);
    expect(stale).toBeGreaterThan(0);
  });

  it('remote-apply + reads from replicas: no stale read', async () => {
    const { db } = await start({ replication: 'remote-apply', reads: 'replicas' });
    expect(db.describe()).toMatchObject({ synchronous_standby_names: 'ANY 2 ("n2", "n3")', synchronous_commit: 'remote_apply' });
    const a = await staleReads(db, 200);
    // Session 1 reads from the other standby: remote-apply waits for every standby.
    const c1 = await db.client(1);
    const w = await c1.invoke('write', [8, 1], T);
    const r = await c1.invoke('read', [8, null], T);
    expect(a.stale).toBe(0);
    expect([w.type, r.node, r.value]).toEqual(['ok', 'n3', [8, 1]]);
  });

  it('a write sent to a standby fails with 25006 (certainly not applied)', async () => {
    const { db } = await start();
    const routing = { primary: () => 'n2', readable: () => ['n2'], ip: (n: string) => db.server(n).node.ip };
    const c = new PgClient(routing, WORKLOADS.register!, 'primary', 0, () => {});
    const w = await c.invoke('write', [1, 1], T);
    expect(w).toMatchObject({ type: 'fail', node: 'n2' });
    expect(w.error).toMatch(/^25006/);
    await c.close();
  });

  it('connection refused is fail; a write that times out on a paused primary is info; resume recovers', async () => {
    const { db } = await start();
    const c = await db.client(0);
    expect((await c.invoke('write', [1, 1], 500)).type).toBe('ok'); // same timeout as below: no SET in between
    await db.pause(db.primary());
    const t0 = Date.now();
    const w = await c.invoke('write', [1, 2], 500);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(w).toMatchObject({ type: 'info', node: 'n1' });
    await db.resume(db.primary());
    expect(await c.invoke('write', [1, 3], T)).toMatchObject({ type: 'ok', node: 'n1' });
    await db.kill(db.primary());
    expect([...db.roles()][0]).toEqual(['n1', 'down']);
    const f = await c.invoke('write', [1, 4], T);
    expect(f.type).toBe('fail'); // the old connection broke earlier or now; reconnecting is refused
    await db.restart(db.primary());
    expect(await c.invoke('read', [1, null], T)).toMatchObject({ type: 'ok', value: [1, 3] });
  });

  it('kill -9 and restart of a standby: its reads fail while down, then it catches up', async () => {
    const { db, cluster } = await start({ reads: 'replicas' });
    const n2 = cluster.nodes[1]!;
    const c = await db.client(0); // session 0 reads from n2
    expect((await c.invoke('write', [1, 1], T)).type).toBe('ok');
    const before = await db.server('n2').pids();
    const shmid = readFileSync(join(db.server('n2').data, 'postmaster.pid'), 'utf8')
      .split('\n')[6]!
      .trim()
      .split(/\s+/)[1]!;
    expect(shmExists(shmid)).toBe(true);
    await db.kill(n2);
    expect(before.filter(alive)).toEqual([]);
    expect(shmExists(shmid)).toBe(false); // no SysV segment left behind
    expect(db.roles().get('n2')).toBe('down');
    expect(await c.invoke('write', [1, 2], T)).toMatchObject({ type: 'ok', node: 'n1' });
    expect(await c.invoke('read', [1, null], T)).toMatchObject({ type: 'fail', node: 'n2' });
    await db.restart(n2);
    expect(db.roles().get('n2')).toBe('standby');
    let seen: unknown;
    for (let i = 0; i < 100 && ((seen = (await c.invoke('read', [1, null], T)).value), JSON.stringify(seen) !== '[1,2]'); i++) await sleep(50);
    expect(seen).toEqual([1, 2]);
  });

  it('failover promotes a standby, fences the old primary, clients write to the new one; restart rebuilds the old one', async () => {
    const { db, cluster } = await start({ replication: 'sync', reads: 'any' });
    const c = await db.client(0);
    for (let i = 1; i <= 20; i++) expect((await c.invoke('write', [1, i], T)).type).toBe('ok');
    const { promoted, old } = await db.failover({ fence: true });
    expect(old).toBe('n1');
    expect(['n2', 'n3']).toContain(promoted);
    expect(db.primary().name).toBe(promoted);
    expect(db.roles().get('n1')).toBe('fenced');
    const w = await c.invoke('write', [1, 21], T);
    if (w.type !== 'ok') expect(await c.invoke('write', [1, 21], T)).toMatchObject({ type: 'ok', node: promoted });
    else expect(w.node).toBe(promoted);
    // sync: no acknowledged write lost; the remaining standby follows the new primary.
    const other = promoted === 'n2' ? 'n3' : 'n2';
    const direct = await adminQuery(cluster.nodes.find((n) => n.name === promoted)!.endpoint(PORT), 'SELECT v FROM registers WHERE k = 1');
    expect(direct.rows[0].v).toBe(21);
    await eventually(async () => {
      const r = await adminQuery(db.server(other).node.endpoint(PORT), 'SELECT v FROM registers WHERE k = 1');
      return r.rows[0]?.v === 21;
    });
    // The fenced node comes back as a standby of the new primary.
    await db.restart(cluster.nodes[0]!);
    expect(db.roles().get('n1')).toBe('standby');
    expect((await c.invoke('write', [1, 22], T)).type).toBe('ok');
    await eventually(async () => (await adminQuery(db.server('n1').node.endpoint(PORT), 'SELECT v FROM registers WHERE k = 1')).rows[0]?.v === 22);
  });

  it('sync + concurrent adds + fenced failover: every acknowledged add is on the new primary', async () => {
    const { db } = await start({ replication: 'sync', workload: 'set' });
    const clients = await Promise.all(Array.from({ length: 8 }, (_, i) => db.client(i)));
    const acked = new Set<number>();
    const counts = { ok: 0, fail: 0, info: 0 };
    let stop = false;
    let next = 0;
    const workers = clients.map(async (c) => {
      while (!stop) {
        const e = next++;
        const r = await c.invoke('add', e, 1000);
        counts[r.type]++;
        if (r.type === 'ok') acked.add(e);
      }
    });
    await sleep(700);
    const { promoted } = await db.failover({ fence: true });
    await sleep(700);
    stop = true;
    await Promise.all(workers);
    const final = await clients[0]!.invoke('read', null, 5000);
    expect(final).toMatchObject({ type: 'ok', node: promoted });
    const present = new Set(final.value as number[]);
    const lost = [...acked].filter((e) => !present.has(e));
    expect(lost).toEqual([]);
    expect(counts.ok).toBeGreaterThan(20);
  });

  it('a standby paused during a failover follows the new primary once resumed', async () => {
    const { db, cluster } = await start();
    const c = await db.client(0);
    expect((await c.invoke('write', [1, 1], T)).type).toBe('ok');
    await db.pause(cluster.nodes[2]!);
    const { promoted } = await db.failover({ fence: true });
    expect(promoted).toBe('n2'); // the paused n3 is no candidate
    await db.resume(cluster.nodes[2]!);
    expect(await c.invoke('write', [1, 2], T)).toMatchObject({ type: 'ok', node: 'n2' });
    await eventually(async () => (await adminQuery(db.server('n3').node.endpoint(PORT), 'SELECT v FROM registers WHERE k = 1')).rows[0]?.v === 2);
  });

  it('a standby down during a failover is rebuilt from the new primary when it restarts', async () => {
    const { db, cluster } = await start();
    const c = await db.client(0);
    expect((await c.invoke('write', [1, 1], T)).type).toBe('ok');
    await db.kill(cluster.nodes[2]!);
    const { promoted } = await db.failover({ fence: true });
    expect(promoted).toBe('n2');
    expect(await c.invoke('write', [1, 2], T)).toMatchObject({ type: 'ok', node: 'n2' });
    await db.restart(cluster.nodes[2]!);
    expect(db.roles().get('n3')).toBe('standby');
    await eventually(async () => (await adminQuery(db.server('n3').node.endpoint(PORT), 'SELECT v FROM registers WHERE k = 1')).rows[0]?.v === 2);
    const r = await adminQuery<{ s: string }>(db.server('n3').node.endpoint(PORT), 'SELECT status AS s FROM pg_stat_wal_receiver');
    expect(r.rows[0]?.s).toBe('streaming');
  });

  it('failover without fencing: split brain, both primaries accept writes', async () => {
    const { db } = await start({ replication: 'async', workload: 'set' });
    const before = await db.client(0);
    expect(await before.invoke('add', 1, T)).toMatchObject({ type: 'ok', node: 'n1' });
    const { promoted } = await db.failover({ fence: false });
    const after = await db.client(1);
    expect(await before.invoke('add', 2, T)).toMatchObject({ type: 'ok', node: 'n1' }); // sticks to the old primary
    expect(await after.invoke('add', 3, T)).toMatchObject({ type: 'ok', node: promoted });
    expect(
      [...db.roles()]
        .filter(([, r]) => r === 'primary')
        .map(([n]) => n)
        .sort(),
    ).toEqual(['n1', promoted].sort());
    expect((await adminQuery(db.server('n1').node.endpoint(PORT), 'SELECT array_agg(e ORDER BY e) AS a FROM elements')).rows[0].a).toEqual([1, 2]);
    expect(await after.invoke('read', null, T)).toMatchObject({ type: 'ok' });
  });

  it("clock skew: a node's now() moves with setClockOffset, without a restart", async () => {
    const { db } = await start();
    const n2 = db.server('n2').node;
    const skew = async () => {
      const r = await adminQuery<{ s: number }>(n2.endpoint(PORT), 'SELECT extract(epoch FROM now()) AS s');
      return Number(r.rows[0]!.s) - Date.now() / 1000;
    };
    expect(Math.abs(await skew())).toBeLessThan(5);
    await n2.setClockOffset(3600);
    await eventually(async () => Math.abs((await skew()) - 3600) < 5, 5000);
    await n2.setClockOffset(0);
  });

  it('one node: no standby, replica reads go to the primary, a failover is refused with a reason', async () => {
    const { db } = await start({ reads: 'replicas', replication: 'remote-apply' }, 1);
    const c = await db.client(3);
    expect(await c.invoke('write', [1, 1], T)).toMatchObject({ type: 'ok', node: 'n1' });
    expect(await c.invoke('read', [1, null], T)).toMatchObject({ type: 'ok', node: 'n1', value: [1, 1] });
    expect(await db.failover({ fence: true })).toMatchObject({ decision: 'refused', reason: 'no standby to promote', old: 'n1' });
    expect(await c.invoke('write', [1, 2], T)).toMatchObject({ type: 'ok', node: 'n1' }); // fenced first, then started again
    expect(db.roles().get('n1')).toBe('primary');
  });

  it('append workload: appends land in order, a missing key reads as []; set read is sorted', async () => {
    const { db } = await start({ workload: 'append', reads: 'primary' });
    const c = await db.client(0);
    for (const e of [1, 2, 3]) expect((await c.invoke('append', [5, e], T)).type).toBe('ok');
    expect(await c.invoke('read', [5, null], T)).toMatchObject({ type: 'ok', value: [5, [1, 2, 3]] });
    expect(await c.invoke('read', [6, null], T)).toMatchObject({ type: 'ok', value: [6, []] });
  });
});

/** `ipcs -m -i` exits 0 even for a missing id, so look the id up in the listing. */
function shmExists(id: string): boolean {
  return execFileSync('ipcs', ['-m'], { encoding: 'utf8' })
    .split('\n')
    .some((l) => l.trim().split(/\s+/)[1] === id);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      /* not yet */
    }
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}
