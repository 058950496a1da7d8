import { join } from 'node:path';
import type { RuntimeNode, Service } from '../../runtime/types.js';
import { logTail } from '../remote.js';
import { cassandraYaml, jvmArgv, LOGBACK_XML, nodeDirs, RACKDC_PROPERTIES, type NodeDirs } from './config.js';
import { CASSANDRA_USER } from './install.js';
import { LOGBACK_TOOLS_XML, nodetool } from './nodetool.js';
import { compileClock } from './skew-clock.js';

export const HEAP_MB = 512;

/** One node's Cassandra: its directories and config, its foreground JVM, and the signals faults send it. */
export class CassServer {
  readonly dirs: NodeDirs;
  readonly logFile: string;
  private service?: Service;
  private paused = false;

  constructor(
    readonly node: RuntimeNode,
    private readonly java: string,
    private readonly classpath: string,
  ) {
    this.dirs = nodeDirs(node.dir);
    this.logFile = join(node.dir, 'cassandra.log');
  }

  get name(): string {
    return this.node.name;
  }
  get pid(): number | undefined {
    return this.service?.pid;
  }
  running(): boolean {
    return this.service?.running() ?? false;
  }
  isPaused(): boolean {
    return this.paused;
  }

  /** Directories and config files, owned by the cassandra user (the JVM writes under all of them). */
  async prepare(o: { seeds: string[]; token: string }): Promise<void> {
    const d = this.dirs;
    for (const dir of [d.root, d.data, d.commitlog, d.savedCaches, d.hints, d.cdc, d.conf, d.logs, d.tmp, d.clock]) await this.node.mkdir(dir);
    const jar = this.classpath.split(':').find((j) => /\/cassandra-all-[^/]*\.jar$/.test(j));
    if (!jar) throw new Error(`${this.name}: cassandra-all's jar is not on the classpath`);
    await compileClock(this.node, this.java, jar, d.clock);
    await this.node.writeFile(join(d.conf, 'cassandra.yaml'), cassandraYaml({ ip: this.node.ip, seeds: o.seeds, token: o.token, dirs: d }));
    await this.node.writeFile(join(d.conf, 'logback.xml'), LOGBACK_XML);
    await this.node.writeFile(join(d.conf, 'cassandra-rackdc.properties'), RACKDC_PROPERTIES);
    await this.node.writeFile(join(d.conf, 'logback-tools.xml'), LOGBACK_TOOLS_XML);
    const r = await this.node.exec(['chown', '-R', `${CASSANDRA_USER}:${CASSANDRA_USER}`, d.root]);
    if (r.code !== 0) throw new Error(`${this.name}: chown ${d.root} failed: ${r.stderr.trim()}`);
  }

  /** Starts the JVM in the foreground as the cassandra user; its wall clock follows the node's clock offset (skew-clock.ts). */
  async start(): Promise<void> {
    if (this.running()) return;
    this.paused = false;
    this.service = await this.node.spawn({
      name: 'cassandra',
      argv: jvmArgv({ java: this.java, classpath: this.classpath, dirs: this.dirs, heapMb: HEAP_MB }),
      user: CASSANDRA_USER,
      cwd: this.dirs.root,
      env: { CASSANDRA_HOME: this.dirs.root, CASSANDRA_CONF: this.dirs.conf },
      logFile: this.logFile,
      clock: true,
    });
  }

  /** nodetool against this node (its JMX on the node's loopback), as the cassandra user; throws with its output. */
  nodetool(args: readonly string[], timeoutMs: number): Promise<string> {
    return nodetool(this.node, { java: this.java, classpath: this.classpath, dirs: this.dirs }, args, timeoutMs);
  }

  /** Throws (with the log's tail) when the JVM is not running, e.g. it exited during startup. */
  async assertRunning(): Promise<void> {
    const svc = this.service;
    if (svc && svc.running()) return;
    const how = svc ? await svc.exited : undefined;
    throw new Error(
      `${this.name}: cassandra exited (${how ? `code ${how.code}, signal ${how.signal}` : 'not started'}); last lines of ${this.logFile}:\n${await this.logTail()}`,
    );
  }

  logTail(lines = 25): Promise<string> {
    return logTail(this.node, this.logFile, lines);
  }

  /** kill -9 of the JVM (one process: no children to chase). */
  async kill(): Promise<void> {
    const svc = this.service;
    if (!svc || !svc.running()) return;
    svc.signal('SIGKILL');
    await svc.exited;
    this.paused = false;
  }

  pause(): void {
    const svc = this.service;
    if (!svc || !svc.running()) throw new Error(`${this.name}: cannot pause, cassandra is not running`);
    svc.signal('SIGSTOP');
    this.paused = true;
  }

  resume(): void {
    const svc = this.service;
    if (svc && svc.running()) svc.signal('SIGCONT');
    this.paused = false;
  }

  /** SIGTERM (Cassandra's shutdown hook drains), SIGKILL after graceMs. */
  async stop(graceMs = 5000): Promise<void> {
    const svc = this.service;
    if (!svc || !svc.running()) return;
    if (this.paused) this.resume();
    await svc.stop(graceMs);
  }
}
