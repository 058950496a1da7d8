import cassandra from 'cassandra-driver';
import type { RuntimeNode } from '../../runtime/types.js';
import { cqlEndpoint, NodeAddressTranslator } from './endpoints.js';
import type { CassServer } from './server.js';
import { newClient, shutdownClient } from './shutdown.js';

const { policies, types } = cassandra;

/**
 * A short-lived driver client pinned to one node (at its endpoint), for setup and readiness checks; `nodes`
 * (the cluster's) translate the peers the driver discovers to their endpoints too.
 */
export async function adminClient(node: RuntimeNode, nodes: readonly RuntimeNode[], connectTimeoutMs = 2000): Promise<cassandra.Client> {
  const at = cqlEndpoint(node);
  const c = newClient({
    contactPoints: [at],
    localDataCenter: 'datacenter1',
    policies: {
      addressResolution: new NodeAddressTranslator(nodes),
      loadBalancing: new policies.loadBalancing.AllowListPolicy(new policies.loadBalancing.DCAwareRoundRobinPolicy('datacenter1'), [at]),
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
      c = await adminClient(
        s.node,
        all.map((o) => o.node),
      );
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
        `${s.name}: cassandra not serving at ${cqlEndpoint(s.node)} after ${timeoutMs} ms (last error: ${last}); last lines of ${s.logFile}:\n${await s.logTail()}`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}
