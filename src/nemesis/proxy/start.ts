import type { AdapterDescription } from '../../adapters/types.js';
import type { Cluster } from '../../runtime/types.js';
import type { FaultPackage } from '../types.js';
import { ProxyFabric, type ProxyLinks } from './fabric.js';
import { ReplicationLinks } from './replication.js';
import type { Endpoint } from './proxy.js';

export interface StartedProxies {
  /** For DbOptions.clientAddress; undefined when no proxy runs (clients go to the nodes directly). */
  clientAddress?: (node: string) => Endpoint;
  /** For DbOptions.replicationAddress; undefined when no proxy runs. */
  replicationAddress?: (standby: string, upstream: Endpoint) => Promise<Endpoint>;
  /** Spread into the NemesisContext. */
  nemesisContextExtra: { proxies?: ProxyLinks };
  /** Resets every proxied connection and stops listening. Idempotent. */
  close(): Promise<void>;
}

/**
 * The run's wiring for proxy faults, in one call: after the cluster is up and before the adapter's
 * setup (pass clientAddress and replicationAddress in DbOptions, spread nemesisContextExtra into the
 * NemesisContext, close() after the database's teardown). Starts the client-path proxies only when a package acts on proxies, so other runs keep
 * their direct client path (and its throughput); which links are proxied is the adapter's description.
 */
export async function startProxies(cluster: Cluster, db: AdapterDescription, packages: readonly FaultPackage[]): Promise<StartedProxies> {
  if (!packages.some((p) => p.proxy) || !db.proxiedLinks.includes('client')) return { nemesisContextExtra: {}, close: async () => {} };
  const repl = db.proxiedLinks.includes('replication') ? new ReplicationLinks(cluster) : undefined;
  const fabric = await ProxyFabric.start(cluster, db.clientPort, repl);
  let closing: Promise<void> | undefined;
  return {
    clientAddress: (node) => fabric.clientAddress(node),
    ...(repl ? { replicationAddress: (standby: string, upstream: Endpoint) => repl.address(standby, upstream) } : {}),
    nemesisContextExtra: { proxies: fabric },
    close: () => (closing ??= fabric.close()),
  };
}
