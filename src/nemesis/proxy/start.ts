import type { Cluster } from '../../runtime/types.js';
import type { FaultPackage } from '../types.js';
import { ProxyFabric, type ProxyLinks } from './fabric.js';
import { ReplicationLinks } from './replication.js';
import type { Endpoint } from './proxy.js';

/** The client port of each database whose adapter honours DbOptions.clientAddress. */
const CLIENT_PORTS: Record<string, number> = { postgres: 5432, mysql: 3306, redis: 6379 };
/** Databases whose adapter honours DbOptions.replicationAddress. */
const REPLICATION_PROXIED = new Set(['postgres', 'mysql', 'redis']);

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
 * their direct client path (and its throughput).
 */
export async function startProxies(cluster: Cluster, db: string, packages: readonly FaultPackage[]): Promise<StartedProxies> {
  const port = CLIENT_PORTS[db];
  if (!packages.some((p) => p.proxy) || port === undefined) return { nemesisContextExtra: {}, close: async () => {} };
  const repl = REPLICATION_PROXIED.has(db) ? new ReplicationLinks(cluster) : undefined;
  const fabric = await ProxyFabric.start(cluster, port, repl);
  let closing: Promise<void> | undefined;
  return {
    clientAddress: (node) => fabric.clientAddress(node),
    ...(repl ? { replicationAddress: (standby: string, upstream: Endpoint) => repl.address(standby, upstream) } : {}),
    nemesisContextExtra: { proxies: fabric },
    close: () => (closing ??= fabric.close()),
  };
}
