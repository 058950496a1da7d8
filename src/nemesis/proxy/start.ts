import type { Cluster } from '../../runtime/types.js';
import type { FaultPackage } from '../types.js';
import { ProxyFabric, type ProxyLinks } from './fabric.js';
import type { Endpoint } from './proxy.js';

/** The client port of each database whose adapter honours DbOptions.clientAddress. */
const CLIENT_PORTS: Record<string, number> = { postgres: 5432 };

export interface StartedProxies {
  /** For DbOptions.clientAddress; undefined when no proxy runs (clients go to the nodes directly). */
  clientAddress?: (node: string) => Endpoint;
  /** Spread into the NemesisContext. */
  nemesisContextExtra: { proxies?: ProxyLinks };
  /** Resets every proxied connection and stops listening. Idempotent. */
  close(): Promise<void>;
}

/**
 * The run's wiring for proxy faults, in one call: after the cluster is up and before the adapter's
 * setup. Starts the client-path proxies only when a package acts on proxies, so other runs keep
 * their direct client path (and its throughput).
 */
export async function startProxies(cluster: Cluster, db: string, packages: readonly FaultPackage[]): Promise<StartedProxies> {
  const port = CLIENT_PORTS[db];
  if (!packages.some((p) => p.proxy) || port === undefined) return { nemesisContextExtra: {}, close: async () => {} };
  const fabric = await ProxyFabric.start(cluster, port);
  let closing: Promise<void> | undefined;
  return {
    clientAddress: (node) => fabric.clientAddress(node),
    nemesisContextExtra: { proxies: fabric },
    close: () => (closing ??= fabric.close()),
  };
}
