import type { Cluster, RuntimeNode } from '../../runtime/types.js';
import type { Client, ClientOptions, Db, FailoverOutcome, ReadRouting, Role } from '../types.js';
import { CassClient } from './client.js';
import { CQL_PORT } from './config.js';
import type { Consistency } from './consistency.js';
import { Coordinator } from './coordinator.js';
import { KEYSPACE, type WorkloadCql } from './cql.js';
import { waitServing } from './ready.js';
import type { CassServer } from './server.js';
import { cqlEndpoint, NodeAddressTranslator } from './endpoints.js';
import { shutdownClientsOf } from './shutdown.js';

export interface CassDbInit {
  cluster: Cluster;
  servers: CassServer[];
  mode: string;
  consistency: Consistency;
  reads: ReadRouting;
  workload: string;
  cql: WorkloadCql;
  version: string;
  startupMs: number;
}

/** Final reads (the `reads` override) see the converged state: ALL, unless the run reads at SERIAL. */
const FINAL: Pick<Consistency, 'read'> = { read: 'all' };
/** Per-node reads (the `node` option) ask that node alone: ONE, answered from its own copy (config.ts says why). */
const PER_NODE: Pick<Consistency, 'read'> = { read: 'one' };
/** What repair runs on each node: a full (not incremental) repair of the workload's keyspace. */
const REPAIR_ARGS = ['repair', '--full', KEYSPACE];

/**
 * A started Cassandra cluster: masterless, every node a coordinator and a replica of every key (RF = n).
 * Session s writes through node s mod n. Its reads go through the same node (`reads primary` or `any`),
 * or through the next node (`reads replicas`), so a read asks a different coordinator than the write did.
 * A client pinned to a node (ClientOptions.node) writes and reads through that node only, reading at ONE.
 */
export class CassDb implements Db {
  readonly name = 'cassandra';
  readonly cluster: Cluster;
  private readonly servers = new Map<string, CassServer>();
  private readonly coordinators = new Map<string, Coordinator>();
  private readonly clients = new Set<CassClient>();
  private tearing?: Promise<void>;

  constructor(private readonly init: CassDbInit) {
    this.cluster = init.cluster;
    const translator = new NodeAddressTranslator(init.servers.map((s) => s.node));
    for (const s of init.servers) {
      this.servers.set(s.name, s);
      this.coordinators.set(s.name, new Coordinator(s.name, cqlEndpoint(s.node), translator));
    }
  }

  server(name: string): CassServer {
    const s = this.servers.get(name);
    if (!s) throw new Error(`cassandra: no node named ${name}`);
    return s;
  }

  /** Masterless: every running node serves reads and writes, so each is reported as a primary. */
  roles(): Map<string, Role> {
    const out = new Map<string, Role>();
    for (const [name, s] of this.servers) out.set(name, s.running() ? 'primary' : 'down');
    return out;
  }

  /** There is no primary; n1 stands in where a fault asks for one ('kill primary' kills n1). */
  primary(): RuntimeNode {
    return this.init.servers[0]!.node;
  }

  async client(session: number, opts: ClientOptions = {}): Promise<Client> {
    if (opts.node !== undefined) {
      const via = this.coordinators.get(opts.node);
      if (!via) throw new Error(`cassandra: no node named ${opts.node}`);
      return this.track(new CassClient(via, via, this.init.cql, { ...this.init.consistency, ...PER_NODE }, (x) => this.clients.delete(x)));
    }
    const names = [...this.servers.keys()];
    const w = names[session % names.length]!;
    const reads = opts.reads ?? this.init.reads;
    const r = reads === 'replicas' && names.length > 1 ? names[(session + 1) % names.length]! : w;
    const final = opts.reads !== undefined && this.init.consistency.read !== 'serial';
    const consistency = final ? { ...this.init.consistency, ...FINAL } : this.init.consistency;
    return this.track(new CassClient(this.coordinators.get(w)!, this.coordinators.get(r)!, this.init.cql, consistency, (x) => this.clients.delete(x)));
  }

  private track(c: CassClient): CassClient {
    this.clients.add(c);
    return c;
  }

  /**
   * Anti-entropy as an operator runs it after an outage: `nodetool repair --full faultline` through each node in
   * turn (each repairs every range it holds with every other replica, so any one suffices with RF = n; all of
   * them is what a runbook does), the whole bounded by timeoutMs. Needs every node up: Cassandra fails a repair
   * whose replicas are not all alive, and this throws with that node's output.
   */
  async repair(timeoutMs = 180_000): Promise<Record<string, unknown>> {
    const t0 = Date.now();
    const end = t0 + timeoutMs;
    const nodes: Array<{ node: string; ms: number }> = [];
    for (const s of this.init.servers) {
      if (!s.running()) throw new Error(`cassandra: repair: ${s.name} is down`);
      if (s.isPaused()) throw new Error(`cassandra: repair: ${s.name} is paused`);
      const left = end - Date.now();
      if (left <= 0)
        throw new Error(`cassandra: repair: out of time (${timeoutMs} ms) before ${s.name}; repaired through ${nodes.map((n) => n.node).join(', ') || 'none'}`);
      const t = Date.now();
      await s.nodetool(REPAIR_ARGS, left);
      nodes.push({ node: s.name, ms: Date.now() - t });
    }
    return { command: `nodetool ${REPAIR_ARGS.join(' ')}`, nodes: nodes.map((n) => n.node), perNode: nodes, ms: Date.now() - t0 };
  }

  async kill(node: RuntimeNode): Promise<void> {
    await this.server(node.name).kill();
  }

  async restart(node: RuntimeNode): Promise<void> {
    const s = this.server(node.name);
    if (s.running()) return;
    await s.start();
    await waitServing(s, this.init.servers, 90_000, false);
  }

  /**
   * Every node up and serving: through each node in turn, a CL=ALL write (waitServing's probe), which
   * succeeds only when that coordinator sees every replica alive. A node down or paused fails at once.
   */
  async waitHealthy(timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs;
    const all = this.init.servers;
    for (const s of all) {
      if (!s.running()) throw new Error(`${s.name} is down`);
      if (s.isPaused()) throw new Error(`${s.name} is paused`);
    }
    for (const s of all) await waitServing(s, all, Math.max(0, end - Date.now()), true);
  }

  async pause(node: RuntimeNode): Promise<void> {
    this.server(node.name).pause();
  }
  async resume(node: RuntimeNode): Promise<void> {
    this.server(node.name).resume();
  }

  async failover(): Promise<FailoverOutcome> {
    throw new Error('cassandra is masterless: every node accepts writes, so there is no primary to fail over (use kill, pause or partition)');
  }

  describe(): Record<string, unknown> {
    return {
      database: 'cassandra',
      version: this.init.version,
      nodes: this.init.servers.map((s) => ({
        name: s.name,
        ip: s.node.ip,
        cql: `${s.node.ip}:${CQL_PORT}`,
        role: this.roles().get(s.name),
        data: s.dirs.root,
        log: s.logFile,
      })),
      replicationFactor: this.init.servers.length,
      consistency: this.init.mode,
      readConsistency: this.init.consistency.read,
      writeConsistency: this.init.consistency.write,
      timestamps: "server-side (the coordinator's clock)",
      reads: this.init.reads,
      workload: this.init.workload,
      startupMs: this.init.startupMs,
    };
  }

  /** JVM PIDs of the running nodes, for leak checks. */
  pids(): number[] {
    return this.init.servers.map((s) => (s.running() ? s.pid : undefined)).filter((p): p is number => p !== undefined);
  }

  teardown(): Promise<void> {
    this.tearing ??= (async () => {
      await Promise.all([...this.clients].map((c) => c.close()));
      await Promise.all([...this.coordinators.values()].map((c) => c.close()));
      await shutdownClientsOf(this.init.servers.map((s) => cqlEndpoint(s.node)));
      await Promise.all(this.init.servers.map((s) => s.stop(3000)));
    })();
    return this.tearing;
  }
}
