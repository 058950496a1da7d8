import type { Cluster } from '../../runtime/types.js';
import type { ProxyFaults } from './faults.js';
import { TcpProxy, type Endpoint } from './proxy.js';
import type { ReplicationLinks } from './replication.js';

/** Which of a node's links a fault acts on: its clients' connections, its incoming replication stream, or both. */
export type LinkKind = 'client' | 'replication' | 'both';

/** What fault packages see of the proxies: per-node links whose faults they layer and clear. */
export interface ProxyLinks {
  /** Node names that have a link. */
  nodes(): string[];
  /**
   * Sets this layer's faults on a node's links (each fault package owns one layer, so stopping
   * latency leaves a half-open fault alone); {} clears the layer. reset acts once, at this call.
   * Resolves with the links it acted on (a primary has no replication link).
   */
  set(node: string, layer: string, f: ProxyFaults, link?: LinkKind): Promise<LinkKind[]>;
  /** Clears one layer on every node, or every layer when none is given. */
  clear(layer?: string): Promise<void>;
}

type Layers = Map<string, ProxyFaults>;

function merge(ls: Layers | undefined): ProxyFaults {
  return Object.assign({}, ...(ls?.values() ?? [])) as ProxyFaults;
}

/**
 * The run's proxies. Client path: in faultline's own process on the host, one listener per node on
 * 127.0.0.1 (ephemeral port) forwarding to the node's client port; clients connect to clientAddress(node).
 * Replication (optional): proxies inside the standbys' namespaces (ReplicationLinks).
 */
export class ProxyFabric implements ProxyLinks {
  private readonly layers: Record<'client' | 'replication', Map<string, Layers>> = { client: new Map(), replication: new Map() };

  private constructor(
    private readonly links: Map<string, TcpProxy>,
    readonly replication?: ReplicationLinks,
  ) {}

  static async start(cluster: Cluster, port: number, replication?: ReplicationLinks, listenHost = '127.0.0.1'): Promise<ProxyFabric> {
    const links = new Map<string, TcpProxy>();
    try {
      for (const n of cluster.nodes) {
        // The proxy runs in faultline's process: it reaches the node where the host does (a published port on Docker Desktop).
        links.set(n.name, await TcpProxy.start({ listen: { host: listenHost, port: 0 }, target: n.endpoint(port) }));
      }
    } catch (e) {
      await Promise.all([...links.values()].map((p) => p.close()));
      throw new Error(`starting the client-path proxies failed: ${(e as Error).message}`, { cause: e });
    }
    return new ProxyFabric(links, replication);
  }

  clientAddress(node: string): Endpoint {
    const p = this.links.get(node);
    if (!p) throw new Error(`no client proxy for node ${node}`);
    return p.address();
  }

  nodes(): string[] {
    return [...this.links.keys()];
  }

  async set(node: string, layer: string, f: ProxyFaults, link: LinkKind = 'client'): Promise<LinkKind[]> {
    const p = this.links.get(node);
    if (!p) throw new Error(`no proxy link for node ${node}`);
    const { reset, ...kept } = f;
    const done: LinkKind[] = [];
    const layered = (kind: 'client' | 'replication') => {
      const ls = this.layers[kind].get(node) ?? new Map<string, ProxyFaults>();
      this.layers[kind].set(node, ls);
      ls.set(layer, kept);
      return { ...merge(ls), ...(reset ? { reset } : {}) };
    };
    if (link !== 'replication') {
      p.setFaults(layered('client'));
      done.push('client');
    }
    if (link !== 'client' && this.replication?.has(node)) {
      if (await this.replication.setFaults(node, layered('replication'))) done.push('replication');
    }
    return done;
  }

  async clear(layer?: string): Promise<void> {
    const errors: string[] = [];
    for (const kind of ['client', 'replication'] as const) {
      for (const [node, ls] of this.layers[kind]) {
        if (layer === undefined) ls.clear();
        else if (!ls.delete(layer)) continue;
        if (kind === 'client') this.links.get(node)?.setFaults(merge(ls));
        else
          await this.replication?.setFaults(node, merge(ls)).catch((e: Error) => {
            errors.push(`${node}: ${e.message}`);
          });
      }
    }
    if (errors.length > 0) throw new Error(`healing replication proxies: ${errors.join('; ')}`);
  }

  async close(): Promise<void> {
    await Promise.all([...this.links.values()].map((p) => p.close()));
    this.links.clear();
    await this.replication?.close();
  }
}
