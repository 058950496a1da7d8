import { describe, expect, it } from 'vitest';
import { adminCall, parseInfo } from '../../src/adapters/redis/conn.js';
import { redisAdapter, type RedisDb } from '../../src/adapters/redis/index.js';
import { PORT } from '../../src/adapters/redis/settings.js';
import type { NemesisContext } from '../../src/nemesis/types.js';
import { localRuntime } from '../../src/runtime/local/index.js';
import { killEveryPrimaryAcrossTwoFailovers } from './failover-scenario.js';
import { clusterPerTest, requireRuntime } from './support.js';

// Issue 11, the same sequence as kill-after-failover-postgres.test.ts on Redis without Sentinel (the kill
// package is shared): every node killed across two failovers, then one stop-kill brings the cluster back.
// Redis came back before the fix too (a replica starts without its primary and syncs once it is up); only
// the restart order and the recorded outcome are new here, so this test guards, it did not find.

await requireRuntime(async () => (await localRuntime.unavailable()) ?? (await redisAdapter.unavailable(localRuntime.probe())));

const perTest = clusterPerTest('rdkill');

describe('kill after failover on a real Redis cluster', () => {
  it('every node killed across two failovers: stop-kill restarts the current primary first, then the others as its replicas, and they sync from it', async () => {
    const { cluster, db } = await perTest((c) => redisAdapter.setup(c, { replication: 'async', reads: 'primary', workload: 'append' }) as Promise<RedisDb>);
    const ctx: NemesisContext = { cluster, db };
    const { killed, stop } = await killEveryPrimaryAcrossTwoFailovers(ctx);
    expect(stop).toEqual({ type: 'info', value: { restarted: [killed[2], killed[0], killed[1]], failed: [] } });
    expect(db.primary().name).toBe(killed[2]);

    const c = await db.client(0);
    expect(await c.invoke('append', [1, 7], 3000)).toMatchObject({ type: 'ok', node: killed[2] });
    await c.close();
    // Both others replicate from it and are in sync.
    const primaryIp = db.server(killed[2]!).ip;
    for (const n of [killed[0]!, killed[1]!]) {
      const end = Date.now() + 15_000;
      let seen = new Map<string, string>();
      for (;;) {
        seen = parseInfo(String(await adminCall(db.server(n).ip, PORT, ['INFO', 'replication']).catch(() => '')));
        if ((seen.get('master_host') === primaryIp && seen.get('master_link_status') === 'up') || Date.now() > end) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect({ node: n, role: seen.get('role'), master_host: seen.get('master_host'), link: seen.get('master_link_status') }).toEqual({
        node: n,
        role: 'slave',
        master_host: primaryIp,
        link: 'up',
      });
    }
  }, 120_000);
});
