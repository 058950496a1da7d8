import type Docker from 'dockerode';
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BaseCluster } from '../cluster-base.js';
import type { Cluster, ClusterSpec } from '../types.js';
import { docker, engineMessage, NODE_LABEL, notFound, PID_LABEL, RUN_LABEL } from './engine.js';
import { imageRef } from './images.js';
import { DockerNode } from './node.js';

export interface DockerOptions {
  /** How long down() waits after SIGTERM before SIGKILL (default 3000 ms). */
  stopGraceMs?: number;
  /** Image to use instead of the database's own (`--image`). */
  image?: string;
  /**
   * How faultline's own process reaches the nodes (RuntimeNode.endpoint): `address`, at each container's
   * address on the run's network (Linux routes the host to it); `published`, through the ports of
   * ClusterSpec.ports published on 127.0.0.1 at random host ports (Docker Desktop on macOS and Windows,
   * where container addresses are not routable from the host); `auto`, address on Linux and published
   * elsewhere. Default: $FAULTLINE_DOCKER_PORTS (address, published or auto), else auto.
   */
  ports?: PortMode;
}

export type PortMode = 'address' | 'published' | 'auto';
const PORT_MODES: readonly PortMode[] = ['address', 'published', 'auto'];

/** The mode a run uses: the option, else $FAULTLINE_DOCKER_PORTS, else auto; auto is address on Linux only. */
export function portMode(
  given: PortMode | undefined,
  env: string | undefined = process.env.FAULTLINE_DOCKER_PORTS,
  platform: NodeJS.Platform = process.platform,
): 'address' | 'published' {
  const raw = given ?? (env === undefined || env === '' ? 'auto' : env);
  if (!PORT_MODES.includes(raw as PortMode)) {
    const from = given === undefined ? 'FAULTLINE_DOCKER_PORTS' : 'DockerOptions.ports';
    throw new Error(`docker runtime: ${from} must be one of ${PORT_MODES.join(', ')}, got '${raw}'`);
  }
  if (raw === 'auto') return platform === 'linux' ? 'address' : 'published';
  return raw as 'address' | 'published';
}

/** The ports to publish: ClusterSpec.ports, each a TCP port number, once. */
function portsToPublish(ports: readonly number[] | undefined): number[] {
  const out = [...new Set(ports ?? [])];
  const bad = out.filter((p) => !Number.isInteger(p) || p < 1 || p > 65535);
  if (bad.length) throw new Error(`docker runtime: ClusterSpec.ports must be port numbers (1-65535), got ${bad.join(', ')}`);
  return out;
}

/** The loopback host port the engine published a container's port at (read back after start). */
async function publishedPorts(c: Docker.Container, node: string, ports: readonly number[]): Promise<Map<number, number>> {
  const info = await c.inspect();
  const bound = info.NetworkSettings.Ports ?? {};
  const out = new Map<number, number>();
  for (const p of ports) {
    const bindings = bound[`${p}/tcp`] ?? [];
    const b = bindings.find((x) => x.HostIp === '127.0.0.1') ?? bindings[0];
    const hostPort = Number(b?.HostPort);
    if (!Number.isInteger(hostPort) || hostPort <= 0) throw new Error(`${node}: the engine published no host port for ${p}/tcp`);
    out.set(p, hostPort);
  }
  return out;
}

export const MAX_NODES = 99;
/** Subnets of ours: 10.78.X.0/24, the gateway (the host's side) at .1, node i at .(11 + i). */
const PREFIX = '10.78';

/** Names of everything a run creates: fl-<run id>[-<node>]. */
export function runName(runId: string): string {
  return `fl-${runId}`.replace(/[^a-zA-Z0-9_.-]/g, '-');
}

class DockerCluster extends BaseCluster<DockerNode> {
  protected readonly what = 'docker runtime';
  protected async remove(): Promise<void> {
    // Databases got their graceful stop (a clean shutdown flushes logs); the containers go with everything in them.
    await removeRun(this.runId);
  }
}

/**
 * One network and one container per node, all labelled with the run id: brings them up, pinned at
 * their addresses, and removes everything again when any step fails.
 */
export async function up(spec: ClusterSpec, opts: DockerOptions = {}): Promise<Cluster> {
  if (!Number.isInteger(spec.nodes) || spec.nodes < 1 || spec.nodes > MAX_NODES) {
    throw new Error(`docker runtime: nodes must be an integer in 1..${MAX_NODES}, got ${spec.nodes}`);
  }
  const mode = portMode(opts.ports);
  const ports = mode === 'published' ? portsToPublish(spec.ports) : [];
  const image = opts.image ?? imageRef(spec.image ?? 'base');
  const name = runName(spec.runId);
  const labels = { [RUN_LABEL]: spec.runId, [PID_LABEL]: String(process.pid) };
  reachable(spec.dir);
  try {
    await docker().getImage(image).inspect();
  } catch (e) {
    if (notFound(e)) throw new Error(`docker runtime: image ${image} is not here; build it with \`faultline images build\``);
    throw new Error(`docker runtime: ${engineMessage(e)}`);
  }
  try {
    const prefix = await createNetwork(name, labels);
    const nodes = await Promise.all(
      Array.from({ length: spec.nodes }, async (_, i) => {
        const node = `n${i + 1}`;
        const dir = join(spec.dir, node);
        mkdirSync(dir, { recursive: true, mode: 0o755 });
        const ip = `${prefix}.${11 + i}`;
        const c = await docker().createContainer({
          name: `${name}-${node}`,
          Hostname: node,
          Image: image,
          Cmd: ['sleep', 'infinity'],
          Labels: { ...labels, [NODE_LABEL]: node },
          // Published-port mode: each port the host connects to, on loopback only, at a port the engine picks.
          ExposedPorts: Object.fromEntries(ports.map((p) => [`${p}/tcp`, {}])),
          HostConfig: {
            PortBindings: Object.fromEntries(ports.map((p) => [`${p}/tcp`, [{ HostIp: '127.0.0.1', HostPort: '' }]])),
            // docker-init as PID 1 reaps whatever a database daemonizes; the databases themselves are execs.
            Init: true,
            NetworkMode: name,
            // The node's folder is the same path inside and out: node logs land in the run's folder.
            Binds: [`${dir}:${dir}`, ...selfMounts()],
            ShmSize: 256 * 1024 * 1024,
          },
          NetworkingConfig: { EndpointsConfig: { [name]: { IPAMConfig: { IPv4Address: ip } } } },
        });
        await c.start();
        const net = await netHelper(c, `${name}-${node}-net`, { ...labels, [NODE_LABEL]: `${node}${NET_SUFFIX}` });
        const published = mode === 'published' ? await publishedPorts(c, node, ports) : undefined;
        const n = new DockerNode(c, node, ip, dir, published, net);
        await n.prepare();
        return n;
      }),
    );
    return new DockerCluster(spec.runId, `${prefix}.1`, nodes, opts.stopGraceMs ?? 3000);
  } catch (e) {
    const cause = engineMessage(e);
    let also = '';
    await removeRun(spec.runId).catch((e2: Error) => (also = `; cleaning up after it failed too: ${e2.message}`));
    throw new Error(`docker runtime: bringing up ${spec.nodes} node(s) for run '${spec.runId}' failed: ${cause}${also}`, { cause: e });
  }
}

/** The node label of a node's network helper: `n1-net`. */
const NET_SUFFIX = '-net';

/**
 * The helper container of a node's network faults: faultline/base (iptables, tc) in the node's own network
 * namespace (NetworkMode container:<node>) with NET_ADMIN, so faults need nothing of the database's image
 * and the database's container gets no extra capability. Through the Engine API, so Docker Desktop too.
 */
async function netHelper(node: Docker.Container, name: string, labels: Record<string, string>): Promise<Docker.Container> {
  const helper = await docker().createContainer({
    name,
    Image: imageRef('base'),
    Cmd: ['sleep', 'infinity'],
    Labels: labels,
    HostConfig: { Init: true, NetworkMode: `container:${node.id}`, CapAdd: ['NET_ADMIN'] },
  });
  await helper.start();
  return helper;
}

/** A network of the run's own on a free 10.78.X.0/24 (another run's, or anyone's, is skipped); returns 10.78.X. */
async function createNetwork(name: string, labels: Record<string, string>): Promise<string> {
  const taken = new Set<string>();
  for (const n of await docker().listNetworks()) {
    for (const c of n.IPAM?.Config ?? []) {
      const m = /^(\d+\.\d+\.\d+)\./.exec(c.Subnet ?? '');
      if (m) taken.add(m[1]!);
    }
  }
  const start = Math.floor(Math.random() * 240);
  for (let k = 0; k < 240; k++) {
    const prefix = `${PREFIX}.${10 + ((start + k) % 240)}`;
    if (taken.has(prefix)) continue;
    try {
      await docker().createNetwork({
        Name: name,
        Driver: 'bridge',
        Labels: labels,
        CheckDuplicate: true,
        IPAM: { Config: [{ Subnet: `${prefix}.0/24`, Gateway: `${prefix}.1` }] },
      });
      return prefix;
    } catch (e) {
      // Another run took it between the list and the create: try the next one.
      if (/overlap|in use/i.test(engineMessage(e))) continue;
      throw e;
    }
  }
  throw new Error(`no free ${PREFIX}.X.0/24 subnet for the docker runtime (run \`faultline cleanup\`?)`);
}

/** Removes the run's containers (force: running ones are killed) and its network; what is already gone is fine. */
export async function removeRun(runId: string): Promise<string[]> {
  return removeLabelled(`${RUN_LABEL}=${runId}`);
}

/**
 * Removes every container and network carrying this label filter (`faultline.run` or `faultline.run=<id>`).
 * With `spareLive`, those made by a faultline process still running on this machine are left alone
 * (`faultline cleanup` with no run named must not pull another run's nodes from under it).
 */
export async function removeLabelled(label: string, opts: { spareLive?: boolean } = {}): Promise<string[]> {
  const removed: string[] = [];
  const errors: string[] = [];
  const spared = (labels: Record<string, string> | undefined): boolean => opts.spareLive === true && ownerAlive(labels?.[PID_LABEL]);
  const all = await docker().listContainers({ all: true, filters: { label: [label] } });
  const containers = all.filter((c) => !spared(c.Labels));
  // Network helpers first: they live in their node's network namespace.
  const helper = (c: Docker.ContainerInfo) => (c.Labels?.[NODE_LABEL] ?? '').endsWith(NET_SUFFIX);
  for (const batch of [containers.filter(helper), containers.filter((c) => !helper(c))]) await removeContainers(batch, removed, errors);
  for (const n of await docker().listNetworks({ filters: { label: [label] } })) {
    if (spared(n.Labels)) continue;
    try {
      await docker().getNetwork(n.Id).remove();
      removed.push(`network ${n.Name}`);
    } catch (e) {
      if (!notFound(e)) errors.push(`network ${n.Name}: ${engineMessage(e)}`);
    }
  }
  if (errors.length) throw new Error(`docker runtime: removing ${label}: ${errors.join('; ')}`);
  return removed;
}

/** True when pid (a label's text) names a live process other than this one. */
function ownerAlive(pid: string | undefined): boolean {
  const n = Number(pid);
  if (!Number.isInteger(n) || n <= 0 || n === process.pid) return false;
  try {
    process.kill(n, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes these containers (force: running ones are killed, anonymous volumes too), in parallel. */
async function removeContainers(containers: Docker.ContainerInfo[], removed: string[], errors: string[]): Promise<void> {
  await Promise.all(
    containers.map(async (c) => {
      try {
        await docker().getContainer(c.Id).remove({ force: true, v: true });
        removed.push(`container ${c.Names[0]?.replace(/^\//, '') ?? c.Id}`);
      } catch (e) {
        if (!notFound(e)) errors.push(`container ${c.Id}: ${engineMessage(e)}`);
      }
    }),
  );
}

/** What is left of a run (or of every run): containers and networks with our label. */
export async function leftovers(runId?: string): Promise<string[]> {
  const label = runId ? `${RUN_LABEL}=${runId}` : RUN_LABEL;
  const cs = await docker().listContainers({ all: true, filters: { label: [label] } });
  const ns = await docker().listNetworks({ filters: { label: [label] } });
  return [...cs.map((c) => `container ${c.Names[0]?.replace(/^\//, '') ?? c.Id}`), ...ns.map((n) => `network ${n.Name}`)];
}

/**
 * faultline's own Node binary and compiled code, read-only at the same paths inside every node, for the
 * services faultline itself runs in a node (the replication proxy sits in the standby's own network
 * namespace, so partitions still cut it). Bind mounts of host paths: an engine on this machine (Linux).
 */
function selfMounts(): string[] {
  let root = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(root, 'package.json')) && dirname(root) !== root) root = dirname(root);
  const binds = [`${process.execPath}:${process.execPath}:ro`];
  // package.json too: it says "type": "module", without which Node 20 reads the compiled .js as CommonJS.
  for (const p of ['dist', 'package.json']) if (existsSync(join(root, p))) binds.push(`${join(root, p)}:${join(root, p)}:ro`);
  return binds;
}

/** Services run as other users inside: the run's folder must be traversable (o+x), as in the local runtime. */
function reachable(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const mode = statSync(dir).mode & 0o7777;
  if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o011);
}
