import type { Cluster, Remote, RuntimeNode } from '../runtime/types.js';
import type { FailoverPolicy, FailoverRecord } from './failover-choice.js';

/** What a client call ended as. fail only when the operation certainly had no effect; when in doubt, info. */
export interface Completion {
  type: 'ok' | 'fail' | 'info';
  value: unknown;
  error?: string;
  /** Which node answered. */
  node?: string;
}

/** One logical client (one worker). invoke never throws: errors become fail or info. */
export interface Client {
  /**
   * Runs one op, bounded by timeoutMs. With `callerTimesOut` the caller enforces timeoutMs itself
   * (it records the op as timed out and closes this client when it passes), so the client need not
   * arm a timer of its own; it still uses timeoutMs for its server-side limits.
   */
  invoke(f: string, value: unknown, timeoutMs: number, callerTimesOut?: boolean): Promise<Completion>;
  close(): Promise<void>;
}

export type ReadRouting = 'primary' | 'replicas' | 'any';

/**
 * How the nodes replicate (issue 16): one leader takes every write (Postgres, MariaDB, Redis); several leaders
 * each take writes and replicate them to one another (MariaDB multi-source, Postgres bidirectional logical
 * replication); or no leader at all (Cassandra: every node accepts writes, quorums decide).
 */
export type Topology = 'single-leader' | 'multi-leader' | 'leaderless';
export const TOPOLOGIES: readonly Topology[] = ['single-leader', 'multi-leader', 'leaderless'];

/**
 * multi-leader: which leader takes a write. `session`: the session's own leader (node session mod n), so two
 * sessions write the same key through different leaders (conflicts); `key`: the key's leader (node key mod n,
 * src/adapters/topology.ts), so every key has one writer node and conflicts cannot happen.
 */
export type WritesTo = 'session' | 'key';

/** What Db.client may be asked besides the session's routing. */
export interface ClientOptions {
  /** Where reads go, instead of the run's routing (the final reads go to the primary). */
  reads?: ReadRouting;
  /**
   * Send every op to this node alone, reading its own copy: the per-node final reads of multi-leader and
   * leaderless topologies (Cassandra: that node as coordinator at consistency ONE).
   */
  node?: string;
}

export interface DbOptions {
  replication: string;
  reads: ReadRouting;
  /** Workload whose tables/keys the database must prepare: register, append, set, list-append, txn-register. */
  workload: string;
  /**
   * Transactional workloads (list-append, txn-register): the isolation level every txn runs at, one of the
   * adapter's AdapterDescription.isolation levels (default serializable). Other workloads ignore it.
   */
  isolation?: string;
  /** Redis: run Sentinel (one per node) for automatic failover. Other databases ignore it. */
  sentinel?: boolean;
  /** One of the adapter's AdapterDescription.topologies (absent: its first). */
  topology?: Topology;
  /** multi-leader: which leader takes a write (default session). */
  writesTo?: WritesTo;
  /**
   * Where clients reach a node's client port, when not at node.endpoint(clientPort) (a fault proxy sits
   * in between: src/nemesis/proxy). Admin and replication traffic still goes to the node directly.
   * Adapters that honour it list `client` in AdapterDescription.proxiedLinks (the proxy packages refuse the
   * others); Cassandra does not yet (its driver connects to node.endpoint(clientPort) and discovers its peers).
   */
  clientAddress?: (node: string) => { host: string; port: number };
  /**
   * Where a standby should stream from to reach `upstream` (a proxy in the standby's own namespace).
   * Called at every (re)pointing of a standby, so the proxy follows failovers. Adapters that honour it list
   * `replication` in AdapterDescription.proxiedLinks (Postgres, MySQL, and Redis without Sentinel).
   */
  replicationAddress?: (standby: string, upstream: { host: string; port: number }) => Promise<{ host: string; port: number }>;
}

export interface FailoverOptions {
  fence: boolean;
  /** 'safe' (default) or 'naive' (the naive-failover package). */
  policy?: FailoverPolicy;
  /** How long `safe` waits for the standbys it must hear from (default 5 s). */
  waitMs?: number;
}

/** What a failover saw and did: the record, the old primary, and the promoted node (absent when refused). */
export interface FailoverOutcome extends FailoverRecord {
  old: string;
  promoted?: string;
}

export type Role = 'primary' | 'standby' | 'fenced' | 'down';

/** A started database cluster; disposable. */
export interface Db {
  readonly name: string;
  readonly cluster: Cluster;
  /** Current role of each node, by node name. */
  roles(): Map<string, Role>;
  primary(): RuntimeNode;
  /**
   * Opens one client; `session` picks the replica a session reads from. `reads` overrides the run's
   * routing (the final reads go to the primary: the state the database ends in is the primary's).
   */
  client(session: number, opts?: ClientOptions): Promise<Client>;
  kill(node: RuntimeNode): Promise<void>;
  restart(node: RuntimeNode): Promise<void>;
  pause(node: RuntimeNode): Promise<void>;
  resume(node: RuntimeNode): Promise<void>;
  /**
   * Promotes a standby (src/adapters/failover-choice.ts: under `safe`, only one shown to hold every
   * acknowledged write, else refused); fences the old primary unless fence is false (split brain).
   * Resolves with what it saw and decided; throws only when a step of the promotion itself failed.
   */
  failover(opts: FailoverOptions): Promise<FailoverOutcome>;
  /**
   * Resolves once the database says it is healthy (every node up and serving, as a careful operator's
   * health check would), within timeoutMs; throws saying what is still unhealthy. Optional and cheap:
   * the run waits for it after the final heal, before the final reads (src/run/healthy.ts).
   */
  waitHealthy?(timeoutMs: number): Promise<void>;
  /**
   * Anti-entropy, as an operator would run it after a fault (Cassandra: `nodetool repair` on every node,
   * through the node): resolves with what it did, for the history; throws saying what failed. Optional: the
   * run calls it when the per-node final reads of a multi-leader or leaderless cluster still disagree.
   */
  repair?(): Promise<Record<string, unknown>>;
  /** Versions and layout for run.json. */
  describe(): Record<string, unknown>;
  teardown(): Promise<void>;
}

/**
 * An ability a fault package may need of a database, beyond what every adapter does (kill, pause, restart):
 * `failover`, a primary to promote (Db.failover); `clock`, processes that keep working when the runtime
 * skews their clock (ServiceSpec.clock).
 */
export type Ability = 'failover' | 'clock';

/** A link faultline's proxy can sit in: clients to a node's client port, or a standby's replication stream. */
export type ProxiedLink = 'client' | 'replication';

/**
 * What an adapter says about itself. The run and the fault packages ask this, never the database's name
 * (src/nemesis/abilities.ts), so a new adapter is one folder and a package refuses it by what it lacks.
 */
export interface AdapterDescription {
  /** The replication mode a user gets without asking: the database's safe-to-start default. */
  readonly defaultReplication: string;
  /** The port clients connect to on every node (a client proxy listens in front of it). */
  readonly clientPort: number;
  /**
   * Other node ports faultline's own process connects to (admin ports, such as Redis Sentinel's). The run asks
   * the runtime to make these and clientPort reachable from the host (ClusterSpec.ports: the docker runtime
   * publishes them in published-port mode); RuntimeNode.endpoint() of a port in neither throws there.
   */
  readonly hostPorts?: readonly number[];
  /**
   * The links faultline's proxy may sit in: `client` when the adapter honours DbOptions.clientAddress,
   * `replication` when it honours DbOptions.replicationAddress. The proxy packages need `client`.
   */
  readonly proxiedLinks: readonly ProxiedLink[];
  /**
   * The replication topologies it can set up (`--topology`), the first its default; absent: single-leader only.
   */
  readonly topologies?: readonly Topology[];
  /** Why it does not set up a topology, in the sentence a refusal shows. */
  readonly lacksTopology?: Readonly<Partial<Record<Topology, string>>>;
  /** The optional abilities it has; a package needing one it lacks is refused before any node starts. */
  readonly abilities: readonly Ability[];
  /** Why it lacks an ability, in the sentence a refusal shows (without one, the refusal says it generically). */
  readonly lacks?: Readonly<Partial<Record<Ability, string>>>;
  /**
   * The isolation levels it runs transactional workloads at (read-uncommitted, read-committed, repeatable-read,
   * serializable), each with the consistency model (Elle's name) the database documents for it and where it
   * says so: what a run at that level is checked against. Absent: no transactional workloads.
   */
  readonly isolation?: Readonly<Record<string, DocumentedModel>>;
}

/** The consistency model a database documents for one of its isolation levels, and why we hold it to that one. */
export interface DocumentedModel {
  model: string;
  why: string;
}

export interface Adapter {
  readonly name: string;
  readonly description: AdapterDescription;
  readonly replicationModes: readonly string[];
  readonly workloads: readonly string[];
  /** Why this database cannot run on this machine (binaries or system user missing), or undefined; `machine` is the runtime's probe. */
  unavailable(machine: Remote): Promise<string | undefined>;
  setup(cluster: Cluster, opts: DbOptions): Promise<Db>;
}
