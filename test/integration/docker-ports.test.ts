// The docker runtime's published-port mode, forced here (FAULTLINE_DOCKER_PORTS=published) although Linux
// routes the host to container addresses: what Docker Desktop (macOS, Windows) needs, where it does not.
// Every TCP connection faultline's process opens to a node must then go to 127.0.0.1 at a port the engine
// published for that node's container, never to a container's address; the runs stay valid under faults
// and leave nothing behind.
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cassandraAdapter } from '../../src/adapters/cassandra/index.js';
import { mysqlAdapter } from '../../src/adapters/mysql/index.js';
import { postgresAdapter } from '../../src/adapters/postgres/index.js';
import { redisAdapter } from '../../src/adapters/redis/index.js';
import type { Adapter } from '../../src/adapters/types.js';
import type { RunSpec } from '../../src/run/run.js';
import { runName } from '../../src/runtime/docker/cluster.js';
import { docker } from '../../src/runtime/docker/engine.js';
import { dockerRuntime } from '../../src/runtime/docker/index.js';
import type { Cluster, ClusterSpec } from '../../src/runtime/types.js';
import { leftoversOf, runsOf, verdict } from './support.js';

/** host:port of every TCP connect this process starts (unix sockets, such as the engine's, are skipped). */
function recordConnects(): { seen: string[]; paths: string[]; stop(): void } {
  const seen: string[] = [];
  const paths: string[] = [];
  const original = net.Socket.prototype.connect;
  const spy = vi.spyOn(net.Socket.prototype, 'connect').mockImplementation(function (this: net.Socket, ...args: unknown[]) {
    // net.createConnection passes its normalized arguments as one array ([options, callback]); pg calls connect(port, host).
    const a = Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
    if (typeof a[0] === 'object' && a[0] !== null) {
      const o = a[0] as { host?: string; port?: number | string; path?: string };
      if (o.path === undefined) seen.push(`${o.host ?? 'localhost'}:${o.port}`);
      else paths.push(o.path);
    } else if (typeof a[0] === 'number' || (typeof a[0] === 'string' && /^\d+$/.test(a[0]))) {
      seen.push(`${typeof a[1] === 'string' ? a[1] : 'localhost'}:${a[0]}`);
    }
    return original.apply(this, args as Parameters<typeof original>);
  });
  return { seen, paths, stop: () => spy.mockRestore() };
}

interface Published {
  cluster: Cluster;
  /** Per node: its address, and the engine's published host port for each of spec.ports (docker inspect). */
  nodes: { name: string; ip: string; engine: Record<number, string | undefined> }[];
}

/** Wraps the docker runtime's up() to read back, right after it, what the engine published for each container. */
function watchUp(): Published[] {
  const ups: Published[] = [];
  const up = dockerRuntime.up.bind(dockerRuntime);
  vi.spyOn(dockerRuntime, 'up').mockImplementation(async (spec: ClusterSpec) => {
    const cluster = await up(spec);
    const nodes = await Promise.all(
      cluster.nodes.map(async (n) => {
        const info = await docker()
          .getContainer(`${runName(spec.runId)}-${n.name}`)
          .inspect();
        const engine = Object.fromEntries(
          (spec.ports ?? []).map((p) => [p, info.NetworkSettings.Ports?.[`${p}/tcp`]?.find((b) => b.HostIp === '127.0.0.1')?.HostPort]),
        );
        return { name: n.name, ip: n.ip, engine };
      }),
    );
    ups.push({ cluster, nodes });
    return cluster;
  });
  return ups;
}

// `used`: the node ports every node must have been reached at (Redis with Sentinel: the sentinels too, which
// faultline polls for the primary; no faults there, since Sentinel's own failovers may lose writes).
const cases: { adapter: Adapter; nemesis: string; sentinel?: boolean; used: number[]; over?: Partial<RunSpec> }[] = [
  { adapter: postgresAdapter, nemesis: 'partition', used: [5432] },
  // Admin statements too: over TCP as the admin user, never the unix socket in the node's folder.
  { adapter: mysqlAdapter, nemesis: 'kill', used: [3306] },
  { adapter: redisAdapter, nemesis: 'kill', used: [6379] },
  { adapter: redisAdapter, nemesis: 'none', sentinel: true, used: [6379, 26379] },
  // The driver discovers its peers by their network addresses: its AddressTranslator maps them to endpoints.
  // Lightweight transactions (SERIAL), which stay linearizable under partitions, through every coordinator.
  { adapter: cassandraAdapter, nemesis: 'partition', used: [9042], over: { replication: 'serial', reads: 'any', concurrency: 9, rate: 60 } },
];

describe.each(cases)('docker runtime, published ports: $adapter.name under $nemesis (sentinel: $sentinel)', ({ adapter, nemesis, sentinel, used, over }) => {
  const before = process.env.FAULTLINE_DOCKER_PORTS;
  beforeAll(() => {
    process.env.FAULTLINE_DOCKER_PORTS = 'published';
  });
  afterAll(() => {
    if (before === undefined) delete process.env.FAULTLINE_DOCKER_PORTS;
    else process.env.FAULTLINE_DOCKER_PORTS = before;
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  const { run } = runsOf(adapter, { runtime: 'docker', workload: 'register', timeLimitS: 8, nemesisIntervalS: 2, rate: 200, opTimeoutMs: 2000 });

  it('clients and admin connections reach the nodes only through 127.0.0.1 at the published ports; the run is valid and leaves nothing', async () => {
    const ups = watchUp();
    const connects = recordConnects();
    let r;
    try {
      r = await run({ nemesis, ...(sentinel ? { sentinel } : {}), ...over });
    } finally {
      connects.stop();
    }
    expect(ups).toHaveLength(1);
    const [{ cluster, nodes }] = ups as [Published];

    // endpoint() answers what the engine published, on loopback, for the client port and the adapter's host ports.
    for (const n of nodes) {
      const node = cluster.nodes.find((x) => x.name === n.name)!;
      for (const p of [adapter.description.clientPort, ...(adapter.description.hostPorts ?? [])]) {
        expect(n.engine[p], `${n.name} ${p}/tcp published`).toMatch(/^\d+$/);
        expect(node.endpoint(p)).toEqual({ host: '127.0.0.1', port: Number(n.engine[p]) });
      }
      expect(() => node.endpoint(1)).toThrow(/port 1 is not published/);
    }

    // Every connection to a node went to a published port; none to a container's address.
    const ips = new Set(nodes.map((n) => n.ip));
    const published = new Set(nodes.flatMap((n) => Object.values(n.engine).map((hp) => `127.0.0.1:${hp}`)));
    expect(connects.seen.filter((c) => ips.has(c.replace(/:\d+$/, '')))).toEqual([]);
    // Nor a unix socket in a node's folder (a host cannot open one inside a Docker Desktop VM).
    expect(connects.paths.filter((p) => /\/n\d+\//.test(p))).toEqual([]);
    const toNodes = connects.seen.filter((c) => published.has(c));
    expect(toNodes.length).toBeGreaterThan(nodes.length);
    // Every node's ports were used (admin, readiness, clients, sentinel polls), not only one node's.
    for (const n of nodes) for (const p of used) expect(toNodes).toContain(`127.0.0.1:${n.engine[p]}`);

    if (nemesis !== 'none') {
      const nem = r.history.filter((o) => o.process === 'nemesis' && o.type === 'info').map((o) => o.f);
      expect(nem).toContain(`start-${nemesis}`);
    }
    expect(r.history.filter((o) => o.type === 'ok' && o.process !== 'nemesis').length).toBeGreaterThan(50);
    expect(verdict(r, 'linearizable').valid).toBe(true);
    expect(r.results.valid).toBe(true);
    expect(await leftoversOf('docker', r.runId)).toEqual([]);
  }, 400_000);
});
