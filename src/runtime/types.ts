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

export interface FileOptions {
  /** Permission bits, set when the file is created (an existing file keeps its own). */
  mode?: number;
  /** System user that owns the file, with that user's primary group. */
  owner?: string;
  /** Append instead of replacing the content. */
  append?: boolean;
}

export interface DirOptions {
  /** Permission bits of the directory (set also when it exists, as `install -d -m`). */
  mode?: number;
  /** System user that owns the directory, with that user's primary group. */
  owner?: string;
}

/**
 * The door to a node's machine (Jepsen's Remote): commands, files and the binaries and users installed
 * there. Adapters reach a node only through it (issue 12), never through the host's filesystem, /proc or
 * child processes, so a runtime is one folder. Paths are the node's own; for `local` they are host paths.
 */
export interface Remote {
  /** A folder on the node's machine that outlives runs, for caches such as initdb templates (local: the host's temp folder). */
  readonly cacheDir: string;
  exec(argv: string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Absolute path of a command on the node's PATH (and the sbin dirs), or undefined when it is not installed. */
  which(name: string): Promise<string | undefined>;
  /** The file's text; throws when it cannot be read. */
  readFile(path: string): Promise<string>;
  /** Writes (or appends to) a file, as root, then gives it to `owner`. */
  writeFile(path: string, data: string, opts?: FileOptions): Promise<void>;
  /** Creates a directory and its missing parents (parents root-owned), and sets the mode and owner of the last one. */
  mkdir(path: string, opts?: DirOptions): Promise<void>;
  exists(path: string): Promise<boolean>;
  /** Names in a directory (not paths), unsorted; throws when it cannot be read. */
  readdir(path: string): Promise<string[]>;
  /** Removes a file or a directory tree; nothing there is fine. */
  remove(path: string): Promise<void>;
  /** Renames within the node; throws when `to` is a non-empty directory (another run made it first). */
  rename(from: string, to: string): Promise<void>;
}

export interface RuntimeNode extends Remote {
  readonly name: string;
  /**
   * Address on the run's network, where other nodes reach this one: what a database listens on, replicates
   * from and gossips to. Not necessarily reachable from faultline's own process: use endpoint() for that.
   */
  readonly ip: string;
  /**
   * Where faultline's own process (clients, admin connections, readiness checks) reaches this node's `port`:
   * { host: ip, port } where the node's address is routable from the host (local; docker in address mode),
   * a loopback port the runtime published otherwise (docker in published-port mode, as on Docker Desktop).
   * Throws, naming the port, when this port is not reachable from the host (not in ClusterSpec.ports).
   */
  endpoint(port: number): { host: string; port: number };
  /** This node's private directory inside the run directory (data, sockets, logs). */
  readonly dir: string;
  spawn(spec: ServiceSpec): Promise<Service>;
  // Processes of this node, by the node's PIDs (a Service's pid and what it forked).
  /** Every descendant of pid (children, their children, ...): the workers a service forked. */
  descendants(pid: number): Promise<number[]>;
  /** Sends sig to each of these processes; one already gone is skipped. */
  signal(pids: readonly number[], sig: NodeJS.Signals): Promise<void>;
  /** Those of pids that still run (a zombie counts as gone: it holds no memory, sockets or shared memory). */
  running(pids: readonly number[]): Promise<number[]>;
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
  /**
   * What the nodes run: the adapter's name (postgres, mysql, ...) or an image reference (`--image`). The docker
   * runtime starts its nodes from that image (src/runtime/docker/images.ts); the local runtime, where binaries are
   * the host's, ignores it.
   */
  image?: string;
  /**
   * The node ports faultline's own process connects to (the adapter's client port, and any admin port such as
   * Redis Sentinel's): a runtime whose node addresses are not routable from the host publishes these, and
   * RuntimeNode.endpoint() of any other port throws. Runtimes that reach nodes by address ignore it.
   */
  ports?: number[];
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
  /** Why this runtime cannot run here (e.g. not root, no engine, the database's image not built), or undefined when it can. */
  unavailable(image?: string): Promise<string | undefined>;
  /**
   * The machine nodes will run on, before any exists: adapters check their binaries and users with it in
   * preflight. `image` is ClusterSpec.image (the docker runtime probes in that image; local ignores it).
   */
  probe(image?: string): Remote;
  up(spec: ClusterSpec): Promise<Cluster>;
}
