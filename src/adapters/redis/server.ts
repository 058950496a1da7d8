import { join } from 'node:path';
import type { RuntimeNode, Service } from '../../runtime/types.js';
import { waitGone } from '../procs.js';
import { logTail } from '../remote.js';
import { adminCall } from './conn.js';

export const REDIS_USER = 'redis';

/**
 * One foreground Redis process on a node (redis-server or redis-sentinel): its directory and config
 * file (owned by the redis user, which Sentinel's CONFIG REWRITE needs), its log, and the signals
 * faults send it. Never daemonized: a kill -9 is seen at once and a restart is ready in milliseconds.
 */
export class RedisProcess {
  readonly dir: string;
  readonly conf: string;
  readonly logFile: string;
  private service?: Service;
  private paused = false;

  constructor(
    readonly node: RuntimeNode,
    readonly kind: 'redis-server' | 'redis-sentinel',
    readonly port: number,
    /** Absolute path of the kind's binary on the node (bin.ts). */
    private readonly bin: string,
  ) {
    const sub = kind === 'redis-server' ? 'redis' : 'sentinel';
    this.dir = join(node.dir, sub);
    this.conf = join(this.dir, `${sub}.conf`);
    this.logFile = join(node.dir, `${sub}.log`);
  }

  get name(): string {
    return this.node.name;
  }
  /** The node's address on the run's network: what it binds, replicates from and is monitored at. */
  get ip(): string {
    return this.node.ip;
  }
  /** Where faultline's own process reaches this process's port (node.endpoint): admin calls, readiness, sentinel polls. */
  get endpoint(): { host: string; port: number } {
    return this.node.endpoint(this.port);
  }
  running(): boolean {
    return this.service?.running() ?? false;
  }
  isPaused(): boolean {
    return this.paused;
  }

  async makeDir(): Promise<void> {
    await this.node.mkdir(this.dir, { mode: 0o750, owner: REDIS_USER });
  }

  async writeConf(text: string): Promise<void> {
    await this.node.writeFile(this.conf, text, { mode: 0o640, owner: REDIS_USER });
  }

  async start(): Promise<void> {
    if (this.running()) return;
    this.paused = false;
    // No clock: true: Redis (jemalloc) hangs under libfaketime, so clock faults are refused for it.
    this.service = await this.node.spawn({ name: this.kind, argv: [this.bin, this.conf], user: REDIS_USER, logFile: this.logFile, cwd: this.dir });
  }

  /** Waits until the process answers PING; the error names the node and ends with its log. */
  async waitReady(timeoutMs = 20_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      const svc = this.service;
      if (!svc || !svc.running()) {
        const how = svc ? await svc.exited : undefined;
        throw new Error(
          `${this.name}: ${this.kind} exited before it was ready (${how ? `code ${how.code}, signal ${how.signal}` : 'not started'}); ` +
            `last lines of ${this.logFile}:\n${await this.logTail()}`,
        );
      }
      try {
        if ((await adminCall(this.endpoint.host, this.endpoint.port, ['PING'], 1000)) === 'PONG') return;
      } catch (e) {
        last = (e as Error).message;
      }
      if (Date.now() > end)
        throw new Error(
          `${this.name}: ${this.kind} not ready at ${this.endpoint.host}:${this.endpoint.port} after ${timeoutMs} ms (last error: ${last}); ` +
            `last lines of ${this.logFile}:\n${await this.logTail()}`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  logTail(lines = 20): Promise<string> {
    return logTail(this.node, this.logFile, lines);
  }

  /** kill -9 of the process and any child it forked (AOF rewrite, diskless sync), waiting until they are gone. */
  async kill(): Promise<void> {
    const svc = this.service;
    if (!svc || !svc.running()) return;
    const kids = await this.node.descendants(svc.pid);
    svc.signal('SIGKILL');
    await this.node.signal(kids, 'SIGKILL');
    await svc.exited;
    this.paused = false;
    if (!(await waitGone(this.node, kids, 5000))) throw new Error(`${this.name}: children of ${this.kind} ${kids.join(', ')} survived SIGKILL`);
  }

  async pause(): Promise<void> {
    const svc = this.service;
    if (!svc || !svc.running()) throw new Error(`${this.name}: cannot pause, ${this.kind} is not running`);
    svc.signal('SIGSTOP');
    this.paused = true;
    await this.node.signal(await this.node.descendants(svc.pid), 'SIGSTOP');
  }

  async resume(): Promise<void> {
    const svc = this.service;
    this.paused = false;
    if (!svc || !svc.running()) return;
    await this.node.signal(await this.node.descendants(svc.pid), 'SIGCONT');
    svc.signal('SIGCONT');
  }

  /** SIGTERM (shutdown-timeout 0: no waiting for replicas), then kill -9 after graceMs. */
  async stop(graceMs = 3000): Promise<void> {
    const svc = this.service;
    if (!svc || !svc.running()) return;
    if (this.paused) await this.resume();
    const kids = await this.node.descendants(svc.pid);
    await svc.stop(graceMs);
    await this.node.signal(kids, 'SIGKILL');
    await waitGone(this.node, kids, 2000);
  }

  async pids(): Promise<number[]> {
    const svc = this.service;
    return svc && svc.running() ? [svc.pid, ...(await this.node.descendants(svc.pid))] : [];
  }
}
