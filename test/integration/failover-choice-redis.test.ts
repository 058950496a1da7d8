import { describe, expect, it } from 'vitest';
import { redisAdapter, type RedisDb } from '../../src/adapters/redis/index.js';
import { checkLostWrites } from '../../src/checkers/replication/lost-writes.js';
import { failoverPackage } from '../../src/nemesis/process-faults.js';
import { localRuntime } from '../../src/runtime/local/index.js';
import { Recorder } from './failover-scenario.js';
import { clusterPerTest, requireRuntime } from './support.js';

// Redis `wait` acknowledges a write once WAIT counted every replica (k = n), so hearing from n-k+1 = 1
// replica is enough: with n3 paused, the safe failover promotes n2 at once and nothing is lost.

await requireRuntime(async () => (await localRuntime.unavailable()) ?? (await redisAdapter.unavailable(localRuntime.probe())));

const perTest = clusterPerTest('rdfo');

describe('failover choice on a real Redis cluster in wait mode (WAIT 2 of n2, n3)', () => {
  it('safe: one replica answering is enough (each holds every acknowledged write); promoted at once, nothing lost', async () => {
    const { cluster, db } = await perTest((c) => redisAdapter.setup(c, { replication: 'wait', reads: 'primary', workload: 'append' }) as Promise<RedisDb>);
    const n3 = cluster.nodes[2]!;
    const rec = new Recorder();
    const c = await db.client(0);
    for (let e = 1; e <= 10; e++) expect((await rec.client(c, 0, 'append', [1, e])).type).toBe('ok');
    await rec.nemesis('pause', { node: 'n3' }, () => db.pause(n3));
    const pkg = failoverPackage(true, 200, 'safe', 3000);
    const fo = await rec.nemesis('start-failover', { fence: true, isolateMs: 200, policy: 'safe' }, () =>
      pkg.invoke({ cluster, db }, { f: 'start-failover', value: null }),
    );
    expect(fo.value).toMatchObject({
      policy: 'safe',
      sync: 'WAIT 2 (of n2, n3)',
      decision: 'promoted',
      chosen: 'n2',
      required: 1,
      heard: 1,
      quorum: true,
      unanswered: ['n3'],
    });
    expect((fo.value as { waitedMs: number }).waitedMs).toBeLessThan(2000);
    await rec.nemesis('resume', null, () => db.resume(n3));
    await rec.nemesis('stop-failover', null, () => pkg.invoke({ cluster, db }, { f: 'stop-failover', value: null }));
    let final;
    for (let i = 0; i < 50 && final?.type !== 'ok'; i++) {
      final = await rec.client(c, 0, 'read', [1, null]);
      if (final.type !== 'ok') await new Promise((r) => setTimeout(r, 100));
    }
    await c.close();
    expect(final).toMatchObject({ type: 'ok', node: 'n2', value: [1, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]] });
    expect(rec.lint()).toEqual([]);
    expect(checkLostWrites(rec.ops)).toMatchObject({ valid: true, anomalies: [], stats: { acked: 10, stable: 10, lost: 0 } });
  }, 120_000);
});
