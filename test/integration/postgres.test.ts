import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Client, DbOptions } from '../../src/adapters/types.js';
import { postgresAdapter, type PgDb } from '../../src/adapters/postgres/index.js';
import { alive } from '../../src/adapters/postgres/procs.js';
import { adminQuery } from '../../src/adapters/postgres/sql.js';
import { localRuntime } from '../../src/runtime/local/index.js';
import type { Cluster } from '../../src/runtime/types.js';

const why = (await localRuntime.unavailable()) ?? (await postgresAdapter.unavailable());
const maybe = why ? describe.skip : describe;
if (why) console.warn(`postgres integration tests skipped: ${why}`);

interface Started { cluster: Cluster; db: PgDb; dir: string }
let live: Started | undefined;
let seq = 0;

async function start(opts: Partial<DbOptions> = {}, nodes = 3): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), 'fl-pg-'));
  chmodSync(dir, 0o755); // the postgres user must reach its node directories
  const cluster = await localRuntime.up({ runId: `pgtest-${process.pid}-${seq++}`, dir, nodes });
  live = { cluster, dir, db: undefined as unknown as PgDb };
  const db = await postgresAdapter.setup(cluster, { replication: 'async', reads: 'primary', workload: 'register', ...opts }) as PgDb;
  live.db = db;
  return live;
}

afterEach(async () => {
  if (!live) return;
  const { cluster, db, dir } = live;
  live = undefined;
  try { if (db) await db.teardown(); } finally {
    await cluster.down();
    rmSync(dir, { recursive: true, force: true });
  }
});

const T = 2000;

maybe('postgres adapter on the local runtime (3 nodes)', () => {
  it('sets up, does register write/read/cas, and tears down leaving no process or namespace', async () => {
    const { db, cluster } = await start();
    expect([...db.roles()]).toEqual([['n1', 'primary'], ['n2', 'standby'], ['n3', 'standby']]);
    const c = await db.client(0);
    expect(await c.invoke('write', [1, 3], T)).toMatchObject({ type: 'ok', value: [1, 3], node: 'n1' });
    expect(await c.invoke('read', [1, null], T)).toMatchObject({ type: 'ok', value: [1, 3], node: 'n1' });
    expect(await c.invoke('read', [2, null], T)).toMatchObject({ type: 'ok', value: [2, null] });
    expect(await c.invoke('cas', [1, [3, 4]], T)).toMatchObject({ type: 'ok', value: [1, [3, 4]] });
    expect(await c.invoke('cas', [1, [3, 0]], T)).toMatchObject({ type: 'fail' });
    expect(await c.invoke('read', [1, null], T)).toMatchObject({ type: 'ok', value: [1, 4] });
    const pids = db.pids();
    expect(pids.length).toBeGreaterThan(6); // 3 postmasters and their children
    const runId = cluster.runId;
    await db.teardown();
    await cluster.down();
    live = undefined;
    expect(pids.filter(alive)).toEqual([]);
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(runId);
  });
});
