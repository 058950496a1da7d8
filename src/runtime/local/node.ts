import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecOptions, ExecResult, RuntimeNode, Service, ServiceSpec } from '../types.js';
import { clockPrefix, writeOffset } from './clock.js';
import { NetFaults } from '../net-faults.js';
import { netnsName, nodeVeth } from './names.js';
import { alive, descendants, signalAll } from './procs.js';
import { HostRemote } from './remote.js';
import { run } from './run.js';
import { launch } from './service.js';
import { envFor, lookupUser, nsArgv } from './user.js';

/**
 * One node: a network namespace, a directory, the services we started in it, and its faults. Files,
 * binaries, users and PIDs are the host's (HostRemote); commands and services run in the namespace.
 */
export class LocalNode extends HostRemote implements RuntimeNode {
  readonly ns: string;
  readonly clockFile: string;
  private readonly faults: NetFaults;
  private readonly services = new Set<Service>();

  constructor(
    id: string,
    readonly name: string,
    readonly ip: string,
    readonly dir: string,
  ) {
    super();
    this.ns = netnsName(id, name);
    this.clockFile = join(dir, 'faketime');
    const ns = this.ns;
    this.faults = new NetFaults({ run: (argv, input) => run(['ip', 'netns', 'exec', ns, ...argv], { input }) }, nodeVeth(id, name), ns);
  }

  /** The host routes to every namespace's address on the bridge: a node's port is reached at its own address. */
  endpoint(port: number): { host: string; port: number } {
    return { host: this.ip, port };
  }

  /** Creates the node directory (0755, so a service user can reach its own subdirectories) and the offset file. */
  prepare(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o755 });
    writeOffset(this.clockFile, 0);
  }

  override async exec(argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    if (argv.length === 0) throw new Error(`${this.name}: exec needs a command`);
    const user = opts.user ? await lookupUser(opts.user) : undefined;
    return run(nsArgv(this.ns, argv, user), { env: envFor(user, opts.env), cwd: opts.cwd, timeoutMs: opts.timeoutMs });
  }

  async spawn(spec: ServiceSpec): Promise<Service> {
    if (spec.argv.length === 0) throw new Error(`${this.name}: service ${spec.name} has an empty argv`);
    const user = spec.user ? await lookupUser(spec.user) : undefined;
    if (spec.clock && !existsSync(this.clockFile)) writeOffset(this.clockFile, 0);
    const argv = spec.clock ? [...clockPrefix(this.clockFile), ...spec.argv] : spec.argv;
    const service = await launch({ name: spec.name, argv: nsArgv(this.ns, argv, user), env: envFor(user, spec.env), cwd: spec.cwd, logFile: spec.logFile });
    this.services.add(service);
    void service.exited.then(() => this.services.delete(service));
    return service;
  }

  async descendants(pid: number): Promise<number[]> {
    return descendants(pid);
  }
  async signal(pids: readonly number[], sig: NodeJS.Signals): Promise<void> {
    signalAll(pids, sig);
  }
  async running(pids: readonly number[]): Promise<number[]> {
    return pids.filter(alive);
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

  async setClockOffset(seconds: number): Promise<void> {
    writeOffset(this.clockFile, seconds);
  }

  /** Stops every service this node started that still runs (each: CONT, TERM, KILL after the grace). */
  async stopAll(graceMs: number): Promise<void> {
    await Promise.all([...this.services].map((s) => s.stop(graceMs)));
  }
}
