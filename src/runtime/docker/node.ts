import type Docker from 'dockerode';
import { faketimeEnv, offsetText } from '../faketime.js';
import { NetFaults } from '../net-faults.js';
import type { RuntimeNode, Service, ServiceSpec } from '../types.js';
import { execIn } from './engine.js';
import { ContainerRemote } from './remote.js';
import { launchIn } from './service.js';

/** Inside every image of ours (Debian's faketime package). */
const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
/** Where a node keeps what only faultline reads: service pid files, the clock offset file. */
const STATE_DIR = '/run/faultline';

/**
 * One node: a container of the run's network at a pinned address. Services are foreground `docker exec`s
 * (the database process is the exec's own, so kill -9 of it is seen at once); files, users and binaries
 * are the container's; network faults are iptables chains and a tbf qdisc in the container's own network
 * namespace (the container has NET_ADMIN for that, never SYS_TIME); clocks move through libfaketime.
 */
export class DockerNode extends ContainerRemote implements RuntimeNode {
  private readonly faults: NetFaults;
  private readonly services = new Set<Service>();
  private seq = 0;
  private readonly users = new Map<string, { uid: number; gid: number; home: string }>();
  readonly clockFile = `${STATE_DIR}/faketime`;

  constructor(
    private readonly container: Docker.Container,
    readonly name: string,
    readonly ip: string,
    readonly dir: string,
    /** Published-port mode: each published node port and the loopback port the engine chose for it; undefined in address mode. */
    private readonly published: ReadonlyMap<number, number> | undefined,
    /** The node's network helper (cluster.ts netHelper): iptables and tc in the node's network namespace. */
    net: Docker.Container,
  ) {
    super((argv, opts) => execIn(container, argv, opts), name);
    const shell = {
      run: (argv: string[], input?: string) =>
        input === undefined
          ? execIn(net, argv)
          : // stdin as an argv element, piped into the command by a constant script.
            execIn(net, ['sh', '-c', 'in=$1; shift; printf "%s" "$in" | "$@"', 'sh', input, ...argv]),
    };
    this.faults = new NetFaults(shell, 'eth0', name);
  }

  /**
   * Address mode: the container's own address (Linux routes the host to it). Published-port mode: 127.0.0.1
   * and the host port the engine published the node's port at (ClusterSpec.ports); any other port throws.
   */
  endpoint(port: number): { host: string; port: number } {
    if (!this.published) return { host: this.ip, port };
    const hostPort = this.published.get(port);
    if (hostPort === undefined) {
      const ports = [...this.published.keys()].join(', ') || 'none';
      throw new Error(
        `${this.name}: port ${port} is not published to the host (docker runtime in published-port mode; published: ${ports}); ` +
          `list it in ClusterSpec.ports (an adapter: AdapterDescription.clientPort or hostPorts)`,
      );
    }
    return { host: '127.0.0.1', port: hostPort };
  }

  /** The node's own folders and a zero clock offset, before any service starts. */
  async prepare(): Promise<void> {
    await this.mkdir(this.dir, { mode: 0o755 });
    await this.mkdir(STATE_DIR, { mode: 0o755 });
    await this.mkdir(this.cacheDir, { mode: 0o755 });
    await this.setClockOffset(0);
  }

  /**
   * The exec starts as root, which writes the pid file and opens the log (the node's folder is root's), then
   * setpriv becomes the service's user and env adds libfaketime: each execs, so the PID is the database's,
   * and libfaketime is loaded by the service alone (a root process loading it first would create a
   * semaphore the service's user cannot open; see src/runtime/local/clock.ts).
   */
  async spawn(spec: ServiceSpec): Promise<Service> {
    if (spec.argv.length === 0) throw new Error(`${this.name}: service ${spec.name} has an empty argv`);
    const user = spec.user && spec.user !== 'root' ? await this.lookupUser(spec.user) : undefined;
    const priv = user ? ['setpriv', '--reuid', String(user.uid), '--regid', String(user.gid), '--init-groups', '--'] : [];
    const clock = spec.clock ? ['env', ...Object.entries(faketimeEnv(LIBFAKETIME, this.clockFile)).map(([k, v]) => `${k}=${v}`)] : [];
    const env = { ...(user ? { HOME: user.home, USER: spec.user!, LOGNAME: spec.user! } : {}), ...spec.env };
    const pidFile = `${STATE_DIR}/${spec.name.replace(/[^\w.-]/g, '_')}-${this.seq++}.pid`;
    const argv = [...priv, ...clock, ...spec.argv];
    const service = await launchIn(this.container, { name: spec.name, argv, env, cwd: spec.cwd, logFile: spec.logFile, pidFile }, (pid, sig) =>
      this.signal([pid], sig),
    );
    this.services.add(service);
    void service.exited.then(() => this.services.delete(service));
    return service;
  }

  /** uid, gid and home of a user of the container's passwd. */
  private async lookupUser(name: string): Promise<{ uid: number; gid: number; home: string }> {
    const hit = this.users.get(name);
    if (hit) return hit;
    const r = await this.exec(['getent', 'passwd', name]);
    const [, , uid, gid, , home] = r.stdout.trim().split(':');
    if (r.code !== 0 || uid === undefined) throw new Error(`${this.name}: user '${name}' does not exist in the node's image`);
    const u = { uid: Number(uid), gid: Number(gid), home: home ?? '/' };
    this.users.set(name, u);
    return u;
  }

  async descendants(pid: number): Promise<number[]> {
    const r = await this.exec(['ps', '-e', '-o', 'pid=,ppid=']);
    const children = new Map<number, number[]>();
    for (const line of r.stdout.split('\n')) {
      const [c, p] = line.trim().split(/\s+/).map(Number);
      if (!c || p === undefined) continue;
      children.set(p, [...(children.get(p) ?? []), c]);
    }
    const out: number[] = [];
    const walk = (p: number): void => {
      for (const c of children.get(p) ?? []) {
        out.push(c);
        walk(c);
      }
    };
    walk(pid);
    return out;
  }

  async signal(pids: readonly number[], sig: NodeJS.Signals): Promise<void> {
    if (pids.length === 0) return;
    const name = sig.replace(/^SIG/, '');
    // One exec for all; a process already gone is skipped (kill's error ignored per pid).
    await this.exec(['sh', '-c', 's=$1; shift; for p; do kill -s "$s" "$p" 2>/dev/null; done; true', 'sh', name, ...pids.map(String)]);
  }

  async running(pids: readonly number[]): Promise<number[]> {
    if (pids.length === 0) return [];
    const r = await this.exec(['ps', '-o', 'pid=,stat=', '-p', pids.join(',')]);
    return r.stdout
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter(([p, stat]) => p && stat && !stat.startsWith('Z'))
      .map(([p]) => Number(p));
  }

  partition(peers: string[]): Promise<void> {
    return this.faults.partition(peers);
  }
  healPartition(): Promise<void> {
    return this.faults.heal('partition');
  }
  isolate(peers: string[]): Promise<void> {
    return this.faults.isolate(peers);
  }
  healIsolation(): Promise<void> {
    return this.faults.heal('isolation');
  }
  loss(probability: number): Promise<void> {
    return this.faults.loss(probability);
  }
  healLoss(): Promise<void> {
    return this.faults.heal('loss');
  }
  bandwidth(kbit: number): Promise<void> {
    return this.faults.bandwidth(kbit);
  }
  healBandwidth(): Promise<void> {
    return this.faults.healBandwidth();
  }
  healAll(): Promise<void> {
    return this.faults.healAll();
  }

  /** Rewrites the offset file through a temp file and a rename, so libfaketime never reads half a line. */
  async setClockOffset(seconds: number): Promise<void> {
    const text = offsetText(seconds) + '\n';
    await this.writeFile(`${this.clockFile}.tmp`, text);
    await this.exec(['chmod', '644', `${this.clockFile}.tmp`]);
    await this.rename(`${this.clockFile}.tmp`, this.clockFile);
  }

  /** Stops every service this node started that still runs (each: CONT, TERM, KILL after the grace). */
  async stopAll(graceMs: number): Promise<void> {
    await Promise.all([...this.services].map((s) => s.stop(graceMs)));
  }
}
