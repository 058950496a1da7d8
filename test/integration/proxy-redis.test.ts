import { describe, it } from 'vitest';
import { redisAdapter, type RedisDb } from '../../src/adapters/redis/index.js';
import { adminCall } from '../../src/adapters/redis/conn.js';
import { PORT } from '../../src/adapters/redis/settings.js';
import { runtimeByName } from '../../src/runtime/index.js';
import { RUNTIMES } from './support.js';
import { latencyCheck } from './proxy-latency.js';
import { replicationThroughProxies } from './proxy-replication.js';

// Redis's clients go through faultline's client-path proxy (DbOptions.clientAddress), and its replicas stream through
// a proxy in their own namespace (DbOptions.replicationAddress).
describe.each(RUNTIMES)('proxy faults in the client path: redis on %s', (runtime) => {
  const run = latencyCheck(async () => {
    const rt = runtimeByName(runtime);
    return (await rt.unavailable('redis')) ?? (await redisAdapter.unavailable(rt.probe('redis')));
  }, runtime);

  it('latency: every op on the faulted node inside a window takes at least the injected latency', async () => {
    await run({ db: 'redis' }); // its assertions are latencyCheck's (proxy-latency.ts)
  }, 120_000);

  it('replication link (no Sentinel): replicas stream through their proxy, retargeted at failover, and the rebuilt old primary too', async () => {
    const ip = (db: unknown, n: string) => (db as RedisDb).server(n).ip;
    await replicationThroughProxies(
      redisAdapter,
      {
        restart: true,
        holdMs: 6500, // past repl-timeout (5 s): the replica drops the link and resyncs through the healed proxy
        async write(db, node, v) {
          await adminCall(ip(db, node), PORT, ['SET', 'proxytest', v], 2000);
        },
        async read(db, node) {
          const got = await adminCall(ip(db, node), PORT, ['GET', 'proxytest'], 2000);
          return got === null ? undefined : Number(got);
        },
      },
      runtime,
    );
  }, 120_000);
});
