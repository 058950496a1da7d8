import { describe, expect, it } from 'vitest';
import { postgresAdapter, type PgDb } from '../../src/adapters/postgres/index.js';
import { failoverPackage, killPackage } from '../../src/nemesis/process-faults.js';
import type { NemesisContext } from '../../src/nemesis/types.js';
import { adminQuery } from '../../src/adapters/postgres/sql.js';
import { PORT } from '../../src/adapters/postgres/settings.js';
import { localRuntime } from '../../src/runtime/local/index.js';
import { clusterPerTest, requireRuntime } from './support.js';

// Issue 11 (soak): n1 killed and fenced by a failover, the promoted node killed, a second failover,
// the newly promoted node killed too. stop-kill used to restart in kill order and stop at the first
// error: n1's rebuild from the (down) current primary failed, and no node ever came back.

await requireRuntime(async () => (await localRuntime.unavailable()) ?? (await postgresAdapter.unavailable(localRuntime.probe())));

const perTest = clusterPerTest('pgkill');
const start = () => perTest((c) => postgresAdapter.setup(c, { replication: 'async', reads: 'any', workload: 'append' }) as Promise<PgDb>);

describe('kill after failover on a real Postgres cluster', () => {
  it('every node killed across two failovers: stop-kill restarts the current primary first, rebuilds the others, and the cluster serves again', async () => {
    const { db, cluster } = await start();
    const ctx: NemesisContext = { cluster, db };
    const kill = killPackage();
    const failover = failoverPackage(true, 100);
    const killPrimary = async () => {
      const name = db.primary().name;
      expect(await kill.invoke(ctx, { f: 'start-kill', value: { node: 'primary' } })).toMatchObject({ type: 'info', value: { node: name } });
      return name;
    };
    const failOver = async () => {
      const r = await failover.invoke(ctx, { f: 'start-failover', value: null });
      expect(r.error).toBeUndefined();
      return (r.value as { promoted?: string }).promoted;
    };

    const first = await killPrimary();
    const second = await failOver();
    expect(first).toBe('n1');
    expect(second).toBeDefined();
    expect(await killPrimary()).toBe(second);
    const third = await failOver();
    expect(third).toBeDefined();
    expect(await killPrimary()).toBe(third);
    expect([...db.roles().values()].filter((r) => r === 'primary' || r === 'standby')).toEqual([]);

    const stop = await kill.invoke(ctx, { f: 'stop-kill', value: null });
    console.log(`stop-kill after ${first}, ${second}, ${third} killed: ${JSON.stringify(stop)}`);
    expect(stop.error).toBeUndefined();
    expect(stop.value).toEqual({ restarted: [third, first, second], failed: [] });
    expect(db.primary().name).toBe(third);
    expect(Object.fromEntries(db.roles())).toEqual({ [first]: 'standby', [second!]: 'standby', [third!]: 'primary' });

    const c = await db.client(0, { reads: 'primary' });
    try {
      expect(await c.invoke('append', [1, 1], 5000)).toMatchObject({ type: 'ok', node: third });
      expect(await c.invoke('read', [1, null], 5000)).toMatchObject({ type: 'ok', value: [1, [1]], node: third });
    } finally {
      await c.close();
    }
    // The rebuilt standbys stream from the new primary.
    for (const n of [first, second!]) {
      const end = Date.now() + 15_000;
      let seen: unknown;
      for (;;) {
        const r = await adminQuery<{ s: string }>(db.server(n).node.endpoint(PORT), 'SELECT status AS s FROM pg_stat_wal_receiver', [], 2000).catch(
          (e: Error) => ({
            rows: [{ s: e.message }],
          }),
        );
        seen = r.rows[0]?.s;
        if (seen === 'streaming' || Date.now() > end) break;
        await new Promise((res) => setTimeout(res, 100));
      }
      expect(seen).toBe('streaming');
    }
  }, 180_000);

  it('a paused primary: stop-kill fails fast for the node it cannot rebuild, says why, and the next stop-kill after the resume restarts it', async () => {
    const { db, cluster } = await start();
    const ctx: NemesisContext = { cluster, db };
    const kill = killPackage();
    await kill.invoke(ctx, { f: 'start-kill', value: { node: 'n1' } });
    const fo = await failoverPackage(true, 100).invoke(ctx, { f: 'start-failover', value: null });
    const promoted = (fo.value as { promoted: string }).promoted;
    expect(promoted).toBeDefined();
    await db.pause(db.primary());
    const t0 = Date.now();
    const stuck = await kill.invoke(ctx, { f: 'stop-kill', value: null });
    const tookMs = Date.now() - t0;
    console.log(`stop-kill with the primary paused: ${JSON.stringify(stuck)} in ${tookMs} ms`);
    expect(stuck).toMatchObject({ type: 'info', value: { restarted: [], failed: [{ node: 'n1' }] } });
    expect(stuck.error).toMatch(/^not restarted: n1: cannot rebuild from the primary n[23]: it is paused$/);
    expect(tookMs).toBeLessThan(2000);
    await db.resume(db.primary());
    expect(await kill.invoke(ctx, { f: 'stop-kill', value: null })).toEqual({ type: 'info', value: { restarted: ['n1'], failed: [] } });
    expect(db.roles().get('n1')).toBe('standby');
  }, 120_000);
});
