/**
 * Where nodes live. A runtime brings up a cluster of nodes (network namespaces for `local`), runs
 * database processes on them as faultline's own children, and injects network and clock faults.
 * Every method takes argv arrays; nothing goes through a shell string.
 */
export type Capability = 'partition' | 'kill' | 'pause' | 'clock' | 'loss' | 'bandwidth';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** Run as this system user (e.g. 'postgres'); default root. */
  user?: string;
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
}

export interface ServiceSpec {
  /** Short name for logs and errors, e.g. 'postgres'. */
  name: string;
  argv: string[];
  user?: string;
  env?: Record<string, string>;
  cwd?: string;
  /** stdout and stderr of the service are appended here. */
  logFile: string;
  /** Run under libfaketime with this node's offset file, so setClockOffset moves its clock. */
  clock?: boolean;
}

export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A process running in the foreground as our child (so kill -9 is seen at once and restart is fast). */
export interface Service {
  readonly name: string;
  readonly pid: number;
  readonly exited: Promise<ServiceExit>;
  running(): boolean;
  signal(sig: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after graceMs; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface RuntimeNode {
  readonly name: string;
  /** Address on the run's bridge, reachable from the host (where clients run) and from other nodes. */
  readonly ip: string;
  /** This node's private directory inside the run directory (data, sockets, logs). */
  readonly dir: string;
  exec(argv: string[], opts?: ExecOptions): Promise<ExecResult>;
  spawn(spec: ServiceSpec): Promise<Service>;
  // Network faults, one layer each: setting a layer replaces only its own state, healing a layer ends
  // only its own fault (a partition package's stop never ends a loss, nor a failover's isolation).
  /** Drops all traffic between this node and these addresses (both directions), in the partition layer. */
  partition(peers: string[]): Promise<void>;
  /** Ends this node's partition (and nothing else). */
  healPartition(): Promise<void>;
  /** The same cut as partition(), in a layer of its own: a failover cutting its old primary off from its standbys. */
  isolate(peers: string[]): Promise<void>;
  /** Ends this node's isolation (and nothing else). */
  healIsolation(): Promise<void>;
  /** Drops this fraction (0..1) of incoming and outgoing packets, in the loss layer (replaces an earlier loss). */
  loss(probability: number): Promise<void>;
  /** Ends this node's packet loss (and nothing else). */
  healLoss(): Promise<void>;
  /** Caps this node's outgoing bandwidth (tbf); the bandwidth layer owns the qdisc. */
  bandwidth(kbit: number): Promise<void>;
  /** Removes the bandwidth cap (and nothing else). */
  healBandwidth(): Promise<void>;
  /** Ends every network fault of this node, every layer: for teardown and abort only, never a package's stop. */
  healAll(): Promise<void>;
  /** Shifts the clock of this node's services started with `clock: true` (libfaketime), in seconds. */
  setClockOffset(seconds: number): Promise<void>;
}

export interface ClusterSpec {
  /** Unique per run; every name the runtime creates carries it, so `cleanup` can find leftovers. */
  runId: string;
  /** The run's directory; node directories are created under it. */
  dir: string;
  nodes: number;
}

export interface Cluster {
  readonly runId: string;
  readonly nodes: RuntimeNode[];
  /** The host's address on the bridge (where clients connect from). */
  readonly hostIp: string;
  /** Heals every fault on every node (network and clock). */
  healAll(): Promise<void>;
  /** Heals, stops every service, removes namespaces, veths, bridge and iptables rules. Idempotent. */
  down(): Promise<void>;
}

export interface Runtime {
  readonly kind: 'local' | 'docker';
  readonly capabilities: ReadonlySet<Capability>;
  /** Why this runtime cannot run here (e.g. not root), or undefined when it can. */
  unavailable(): Promise<string | undefined>;
  up(spec: ClusterSpec): Promise<Cluster>;
}
