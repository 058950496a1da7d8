import type { Cluster } from '../../runtime/types.js';
import type { ProxyFaults } from './faults.js';
import { TcpProxy, type Endpoint } from './proxy.js';

/** What fault packages see of the proxies: per-node links whose faults they layer and clear. */
export interface ProxyLinks {
  /** Node names that have a link. */
  nodes(): string[];
  /**
   * Sets this layer's faults on a node's links (each fault package owns one layer, so stopping
   * latency leaves a half-open fault alone); {} clears the layer. reset acts once, at this call.
   */
  set(node: string, layer: string, f: ProxyFaults): void;
  /** Clears one layer on every node, or every layer when none is given. */
  clear(layer?: string): void;
}

/**
 * The client path's proxies, in faultline's own process on the host: one listener per node on
 * 127.0.0.1 (ephemeral port) forwarding to the node's client port. Clients connect to clientAddress(node).
 */
export class ProxyFabric implements ProxyLinks {
  private readonly layers = new Map<string, Map<string, ProxyFaults>>();

  private constructor(private readonly links: Map<string, TcpProxy>) {}

  static async start(cluster: Cluster, port: number, listenHost = '127.0.0.1'): Promise<ProxyFabric> {
    const links = new Map<string, TcpProxy>();
    try {
      for (const n of cluster.nodes) {
        links.set(n.name, await TcpProxy.start({ listen: { host: listenHost, port: 0 }, target: { host: n.ip, port } }));
      }
    } catch (e) {
      await Promise.all([...links.values()].map((p) => p.close()));
      throw new Error(`starting the client-path proxies failed: ${(e as Error).message}`, { cause: e });
    }
    return new ProxyFabric(links);
  }

  clientAddress(node: string): Endpoint {
    const p = this.links.get(node);
    if (!p) throw new Error(`no client proxy for node ${node}`);
    return p.address();
  }

  nodes(): string[] { return [...this.links.keys()]; }

  set(node: string, layer: string, f: ProxyFaults): void {
    const p = this.links.get(node);
    if (!p) throw new Error(`no proxy link for node ${node}`);
    const ls = this.layers.get(node) ?? new Map<string, ProxyFaults>();
    this.layers.set(node, ls);
    const { reset, ...kept } = f;
    ls.set(layer, kept);
    p.setFaults({ ...merge(ls), ...(reset ? { reset } : {}) });
  }

  clear(layer?: string): void {
    for (const [node, p] of this.links) {
      const ls = this.layers.get(node);
      if (!ls) continue;
      if (layer === undefined) ls.clear(); else ls.delete(layer);
      p.setFaults(merge(ls));
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.links.values()].map((p) => p.close()));
    this.links.clear();
  }
}

function merge(ls: Map<string, ProxyFaults>): ProxyFaults {
  return Object.assign({}, ...ls.values()) as ProxyFaults;
}
