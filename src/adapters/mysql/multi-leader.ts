import type { Cluster, RuntimeNode } from '../../runtime/types.js';
import { writeLeader } from '../topology.js';
import type { Client, ClientOptions, Db, DbOptions, FailoverOutcome, Role, WritesTo } from '../types.js';
import { mustBinaries, type ServerBinaries } from './bin.js';
import { checkOptions, userAndSchema } from './bootstrap.js';
import { MyClient, type Routing } from './client.js';
import {
  changeMasterSql,
  domainOf,
  judge,
  linkStatus,
  multiLeaderArgs,
  POSITIONS,
  SHOW_ALL,
  START_ALL,
  type NodeSnapshot,
  type Verdict,
} from './multi-source.js';
import { MyServer, startFresh } from './server.js';
import { adminQuery, PORT, USER } from './sql.js';
import type { WorkloadSql } from './workloads.js';

/** How long setup waits for the first node's user and schema to reach the others, then for every link. */
const SETUP_WAIT_MS = 30_000;

export interface MultiLeaderInit {
  cluster: Cluster;
  servers: MyServer[];
  bins: ServerBinaries;
  workload: string;
  writesTo: WritesTo;
  sql: WorkloadSql;
  /** Where clients connect instead of the node itself (DbOptions.clientAddress). */
  clientAddress?: (node: string) => { host: string; port: number };
  /** Whether the run offered DbOptions.replicationAddress (recorded: multi-leader does not use it). */
  replicationProxyOffered: boolean;
}

/**
 * A MariaDB cluster in which every node is a primary (--topology multi-leader): read-write, its own server id
 * and GTID domain, replicating from every other node over MariaDB multi-source replication (one named
 * connection per other node, src/adapters/mysql/multi-source.ts). Nothing resolves conflicts: two leaders
 * writing one key either end with different rows (an update event applies by primary key over whatever the
 * row holds) or stop a SQL thread (1062, 1032, slave_exec_mode=STRICT), and waitHealthy says so at once.
 */
export class MultiLeaderDb implements Db {
  readonly name = 'mysql';
  readonly cluster: Cluster;
  private readonly byName = new Map<string, MyServer>();
  private readonly names: string[];
  private readonly clients = new Set<MyClient>();
  /** The last replication state seen (describe() is synchronous: it reports this, and when it was seen). */
  private seen?: { at: string; snaps: NodeSnapshot[]; errors: string[] };
  private tearing?: Promise<void>;

  constructor(private readonly init: MultiLeaderInit) {
    this.cluster = init.cluster;
    for (const s of init.servers) this.byName.set(s.name, s);
    this.names = init.servers.map((s) => s.name);
  }

  server(name: string): MyServer {
    const s = this.byName.get(name);
    if (!s) throw new Error(`mysql: no node named ${name}`);
    return s;
  }
  private get servers(): MyServer[] {
    return [...this.byName.values()];
  }

  /** Every live node is a primary. */
  roles(): Map<string, Role> {
    return new Map(this.servers.map((s) => [s.name, s.running() ? 'primary' : 'down']));
  }
  /** The first node: what the `primary` partition shape cuts off. */
  primary(): RuntimeNode {
    return this.servers[0]!.node;
  }

  /**
   * A write goes to writeLeader (the session's own node, or the key's), a read to the session's own node
   * (session mod n); with opts.node every op goes to that node (the per-node final reads).
   */
  async client(session: number, opts: ClientOptions = {}): Promise<Client> {
    if (opts.node !== undefined) this.server(opts.node);
    const names = this.names;
    const pinned = opts.node;
    const routing: Routing = {
      primary: () => names[0]!,
      readable: () => names,
      address: (n) => this.init.clientAddress?.(n) ?? this.server(n).node.endpoint(PORT),
      target: (isWrite, s, value) => pinned ?? (isWrite ? writeLeader(names, this.init.writesTo, s, value) : names[s % names.length]!),
    };
    const c = new MyClient(routing, this.init.sql, 'any', session, (x) => this.clients.delete(x));
    this.clients.add(c);
    return c;
  }

  async kill(node: RuntimeNode): Promise<void> {
    await this.server(node.name).kill();
  }

  /**
   * Starts a killed node again: its connections resume from its own GTID positions (their state is in its data
   * dir, and the server starts them itself; START ALL SLAVES makes sure). The other nodes' connections to it
   * reconnect within a second (MASTER_CONNECT_RETRY=1).
   */
  async restart(node: RuntimeNode): Promise<void> {
    const s = this.server(node.name);
    if (!s.running()) {
      await s.start();
      await s.waitReady();
    }
    if (!s.isPaused()) await adminQuery(s.admin, START_ALL, [], 10_000);
  }

  async pause(node: RuntimeNode): Promise<void> {
    this.server(node.name).pause();
  }

  async resume(node: RuntimeNode): Promise<void> {
    this.server(node.name).resume();
  }

  failover(): Promise<FailoverOutcome> {
    return Promise.reject(new Error('mysql: a multi-leader cluster has no standby to promote (every node takes writes)'));
  }

  /** Every node's replication state: its positions and connections (a node that does not answer is an error). */
  private async snapshot(timeoutMs: number): Promise<{ snaps: NodeSnapshot[]; errors: string[] }> {
    const errors: string[] = [];
    const snaps = await Promise.all(
      this.servers.map(async (s, i): Promise<NodeSnapshot | undefined> => {
        try {
          const [pos] = await adminQuery<{ binlog: string | null; applied: string | null }>(s.admin, POSITIONS, [], timeoutMs);
          const rows = await adminQuery(s.admin, SHOW_ALL, [], timeoutMs);
          return { node: s.name, domain: domainOf(i), binlog: pos?.binlog ?? '', applied: pos?.applied ?? '', links: rows.map(linkStatus) };
        } catch (e) {
          errors.push(`${s.name}: ${(e as Error).message}`);
          return undefined;
        }
      }),
    );
    const ok = snaps.filter((x): x is NodeSnapshot => x !== undefined);
    this.seen = { at: new Date().toISOString(), snaps: ok, errors };
    return { snaps: ok, errors };
  }

  /**
   * Until every node is up and every connection's threads run and have applied all its source wrote. A node
   * down or paused, or a thread stopped with an error (a conflict), throws at once: it will not get better
   * by waiting, and the run records the message and goes on.
   */
  async waitHealthy(timeoutMs: number): Promise<void> {
    await this.waitLinks(timeoutMs, (n) => this.names.filter((x) => x !== n));
  }

  private async waitLinks(timeoutMs: number, sources: (node: string) => readonly string[]): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      for (const s of this.servers) {
        if (!s.running()) throw new Error(`mysql multi-leader: ${s.name} is down`);
        if (s.isPaused()) throw new Error(`mysql multi-leader: ${s.name} is paused`);
      }
      const { snaps, errors } = await this.snapshot(Math.max(200, Math.min(2000, end - Date.now())));
      const v: Verdict = errors.length > 0 ? { state: 'waiting', why: errors } : judge(snaps, sources);
      if (v.state === 'healthy') return;
      if (v.state === 'stopped') throw new Error(`mysql multi-leader: replication stopped: ${v.why.join('; ')}`);
      if (Date.now() > end) throw new Error(`mysql multi-leader: not caught up after ${timeoutMs} ms: ${v.why.join('; ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Points every node at every other node (one named connection each), first node first, and starts them. */
  async link(): Promise<void> {
    const [first, ...rest] = this.servers as [MyServer, ...MyServer[]];
    const connect = (x: MyServer, src: MyServer) => adminQuery(x.admin, changeMasterSql(src.name, src.node.ip, PORT, USER), [], 10_000);
    // The others replicate from the first node first: the user every connection logs in as (created there)
    // exists on a node only once it applied the first node's domain.
    for (const x of rest) {
      await connect(x, first);
      await adminQuery(x.admin, START_ALL, [], 10_000);
    }
    await this.waitLinks(SETUP_WAIT_MS, (n) => (n === first.name ? [] : [first.name]));
    for (const x of this.servers) {
      for (const src of this.servers) if (src !== x && !(src === first && x !== first)) await connect(x, src);
      await adminQuery(x.admin, START_ALL, [], 10_000);
    }
    await this.waitHealthy(SETUP_WAIT_MS);
  }

  describe(): Record<string, unknown> {
    const seen = this.seen;
    return {
      database: 'mysql',
      flavour: this.init.bins.flavour,
      version: this.init.bins.version,
      topology: 'multi-leader',
      replication: 'async, MariaDB multi-source (one named connection per other node, MASTER_USE_GTID=slave_pos, gtid_ignore_duplicates)',
      slaveExecMode: 'STRICT',
      writesTo: this.init.writesTo,
      reads: "each session's own node (session mod n)",
      // One proxy per standby follows one upstream; a multi-leader node streams from every other node.
      replicationPath: this.init.replicationProxyOffered
        ? 'node to node: the run offered a replication proxy, which multi-leader does not use (one proxy per standby cannot follow several upstreams)'
        : 'node to node',
      nodes: this.servers.map((s, i) => {
        const snap = seen?.snaps.find((x) => x.node === s.name);
        return {
          name: s.name,
          ip: s.node.ip,
          serverId: s.serverId,
          domain: domainOf(i),
          role: this.roles().get(s.name),
          data: s.paths.data,
          log: s.logFile,
          ...(snap ? { gtidBinlogPos: snap.binlog, gtidSlavePos: snap.applied, connections: snap.links } : {}),
        };
      }),
      ...(seen ? { statusSeenAt: seen.at, ...(seen.errors.length ? { statusErrors: seen.errors } : {}) } : {}),
      workload: this.init.workload,
    };
  }

  /** Every node's replication state now (describe() reports the last one seen). */
  async status(timeoutMs = 2000): Promise<Record<string, unknown>> {
    await this.snapshot(timeoutMs);
    return this.describe();
  }

  pids(): number[] {
    return this.servers.flatMap((s) => s.pids());
  }

  teardown(): Promise<void> {
    this.tearing ??= (async () => {
      await Promise.all([...this.clients].map((c) => c.close()));
      await Promise.all(this.servers.map((s) => s.stop()));
    })();
    return this.tearing;
  }
}

/**
 * Starts every node read-write with its own domain, creates the user and schema on the first node, links every
 * node to every other, and waits until all of it reached every node. On any failure, stops what it started
 * and rethrows.
 */
export async function bootstrapMultiLeader(cluster: Cluster, opts: DbOptions): Promise<MultiLeaderDb> {
  const { mode, sql } = checkOptions(cluster, opts);
  if (mode !== 'async')
    throw new Error(
      `mysql: --topology multi-leader replicates asynchronously (every node waits for none of the others); replication must be async, got '${mode}'`,
    );
  if (sql.txn) throw new Error(`mysql: the ${opts.workload} workload runs its transactions on a single leader; multi-leader runs register, append or set`);
  if (cluster.nodes.length < 2) throw new Error('mysql: --topology multi-leader needs at least 2 nodes');
  const bins = await mustBinaries(cluster.nodes[0]!);
  if (bins.flavour !== 'mariadb')
    throw new Error(`mysql: --topology multi-leader uses MariaDB multi-source replication (CHANGE MASTER 'name' TO ...); this server is ${bins.flavour}`);
  const servers = cluster.nodes.map((n, i) => new MyServer(n, i + 1, bins, mode, false, multiLeaderArgs(i)));
  try {
    await startFresh(servers);
    for (const stmt of userAndSchema(cluster, sql)) await adminQuery(servers[0]!.admin, stmt, [], 10_000);
    const db = new MultiLeaderDb({
      cluster,
      servers,
      bins,
      workload: opts.workload,
      writesTo: opts.writesTo ?? 'session',
      sql,
      clientAddress: opts.clientAddress,
      // Not used: replication goes node to node (see describe()).
      replicationProxyOffered: opts.replicationAddress !== undefined,
    });
    await db.link();
    return db;
  } catch (e) {
    await Promise.allSettled(servers.map((s) => s.stop(2000)));
    throw new Error(`mysql: setting up ${servers.length} node(s) (multi-leader) failed: ${(e as Error).message}`, { cause: e });
  }
}
