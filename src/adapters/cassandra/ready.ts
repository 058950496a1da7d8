import cassandra from 'cassandra-driver';
import { CQL_PORT } from './config.js';
import type { CassServer } from './server.js';
import { newClient, shutdownClient } from './shutdown.js';

const { policies, types } = cassandra;

/** A short-lived driver client pinned to one node, for setup and readiness checks. */
export async function adminClient(ip: string, connectTimeoutMs = 2000): Promise<cassandra.Client> {
  const c = newClient({
    contactPoints: [`${ip}:${CQL_PORT}`],
    localDataCenter: 'datacenter1',
    policies: {
      loadBalancing: new policies.loadBalancing.AllowListPolicy(new policies.loadBalancing.DCAwareRoundRobinPolicy('datacenter1'), [`${ip}:${CQL_PORT}`]),
      retry: new policies.retry.FallthroughRetryPolicy(),
    },
    socketOptions: { connectTimeout: connectTimeoutMs, readTimeout: 12_000 },
    protocolOptions: { maxSchemaAgreementWaitSeconds: 30 },
  });
  try {
    await c.connect();
  } catch (e) {
    await shutdownClient(c);
    throw e;
  }
  return c;
}

/**
 * Until this node serves CQL and sees every other running node up: a read of system.local at ONE
 * through it, then its view of the ring from system.peers_v2 joined with a CL=ALL write to a tiny
 * table, which succeeds only when every replica (every node: RF = n) answers through this coordinator.
 */
export async function waitServing(s: CassServer, all: CassServer[], timeoutMs = 90_000, probe = true): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    await s.assertRunning();
    let c: cassandra.Client | undefined;
    try {
      c = await adminClient(s.node.ip);
      await c.execute('SELECT release_version FROM system.local', [], { consistency: types.consistencies.one });
      if (!probe) return;
      const want = all.filter((o) => o.running() && !o.isPaused()).length;
      await c.execute('INSERT INTO faultline.ready (node, at) VALUES (?, toTimestamp(now()))', [s.name], {
        prepare: true,
        consistency: want === all.length ? types.consistencies.all : types.consistencies.one,
      });
      return;
    } catch (e) {
      last = (e as Error).message;
    } finally {
      await shutdownClient(c);
    }
    if (Date.now() > end)
      throw new Error(
        `${s.name}: cassandra not serving at ${s.node.ip}:${CQL_PORT} after ${timeoutMs} ms (last error: ${last}); last lines of ${s.logFile}:\n${await s.logTail()}`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}
