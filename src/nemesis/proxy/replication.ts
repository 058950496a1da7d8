import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cluster, Service } from '../../runtime/types.js';
import { control } from './control.js';
import type { ProxyFaults } from './faults.js';
import type { Endpoint } from './proxy.js';

/** The port a replication proxy listens on, on the standby's own loopback (one namespace per node). */
const LISTEN_PORT = 15432;

/**
 * The proxy program, compiled: next to this module when it runs from dist, else dist/ of the
 * checkout (tests run the sources; `npm run build` or the integration test's build makes it).
 */
export function proxyMain(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const sibling = join(here, 'main.js');
  if (existsSync(sibling)) return sibling;
  const built = join(here, '../../../dist/src/nemesis/proxy/main.js');
  if (existsSync(built)) return built;
  throw new Error(`the replication proxy is not built (${built} is missing): run \`npm run build\``);
}

interface Link {
  service: Service;
  controlPath: string;
  target: Endpoint;
}

/**
 * Replication links through proxies that run INSIDE each standby's namespace (as a foreground Node
 * service of the node), so the node's iptables partitions still cut the link. A standby's database
 * connects to 127.0.0.1:15432 in its own namespace; the proxy forwards to the current upstream.
 */
export class ReplicationLinks {
  private readonly links = new Map<string, Link>();
  private starting = new Map<string, Promise<Link>>();

  constructor(
    private readonly cluster: Cluster,
    private readonly main = proxyMain(),
  ) {}

  /** The address a standby should stream from to reach `upstream` through its proxy (started on first use). */
  async address(standby: string, upstream: Endpoint): Promise<Endpoint> {
    const have = this.links.get(standby);
    if (have) {
      if (have.target.host !== upstream.host || have.target.port !== upstream.port) {
        await control(have.controlPath, { target: upstream });
        have.target = { ...upstream };
      }
    } else {
      let p = this.starting.get(standby);
      if (!p) {
        p = this.start(standby, upstream);
        this.starting.set(standby, p);
      }
      try {
        this.links.set(standby, await p);
      } finally {
        this.starting.delete(standby);
      }
    }
    return { host: '127.0.0.1', port: LISTEN_PORT };
  }

  has(node: string): boolean {
    return this.links.has(node);
  }

  async setFaults(node: string, f: ProxyFaults): Promise<boolean> {
    const l = this.links.get(node);
    if (!l || !l.service.running()) return false;
    await control(l.controlPath, { faults: f });
    return true;
  }

  async close(): Promise<void> {
    await Promise.all([...this.links.values()].map((l) => l.service.stop(2000)));
    this.links.clear();
  }

  private async start(standby: string, upstream: Endpoint): Promise<Link> {
    const node = this.cluster.nodes.find((n) => n.name === standby);
    if (!node) throw new Error(`no node named ${standby}`);
    const controlPath = join(node.dir, 'proxy.sock');
    const service = await node.spawn({
      name: 'proxy',
      argv: [process.execPath, this.main, '--listen', `127.0.0.1:${LISTEN_PORT}`, '--target', `${upstream.host}:${upstream.port}`, '--control', controlPath],
      logFile: join(node.dir, 'proxy.log'),
    });
    const end = Date.now() + 10_000;
    for (;;) {
      try {
        await control(controlPath, { ping: true }, 500);
        break;
      } catch (e) {
        if (!service.running() || Date.now() > end) {
          await service.stop(500);
          throw new Error(`${standby}: the replication proxy did not come up (${(e as Error).message}); see ${join(node.dir, 'proxy.log')}`);
        }
        await new Promise((r) => setTimeout(r, 30));
      }
    }
    return { service, controlPath, target: { ...upstream } };
  }
}
