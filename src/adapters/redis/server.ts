import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RuntimeNode, Service } from '../../runtime/types.js';
import { descendants, signalAll, waitGone } from '../postgres/procs.js';
import { redisBin } from './bin.js';
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
  ) {
    const sub = kind === 'redis-server' ? 'redis' : 'sentinel';
    this.dir = join(node.dir, sub);
    this.conf = join(this.dir, `${sub}.conf`);
    this.logFile = join(node.dir, `${sub}.log`);
  }

  get name(): string {
    return this.node.name;
  }
  get ip(): string {
    return this.node.ip;
  }
  running(): boolean {
    return this.service?.running() ?? false;
  }
  isPaused(): boolean {
    return this.paused;
  }

  async makeDir(): Promise<void> {
    const r = await this.node.exec(['install', '-d', '-o', REDIS_USER, '-g', REDIS_USER, '-m', '0750', this.dir]);
    if (r.code !== 0) throw new Error(`${this.name}: creating ${this.dir} failed: ${r.stderr.trim()}`);
  }

  async writeConf(text: string): Promise<void> {
    writeFileSync(this.conf, text, { mode: 0o640 });
    const r = await this.node.exec(['chown', `${REDIS_USER}:${REDIS_USER}`, this.conf]);
    if (r.code !== 0) throw new Error(`${this.name}: chown ${this.conf} failed: ${r.stderr.trim()}`);
  }

  async start(): Promise<void> {
    if (this.running()) return;
    this.paused = false;
    // No clock: true: Redis (jemalloc) hangs under libfaketime, so clock faults are refused for it.
    this.service = await this.node.spawn({ name: this.kind, argv: [redisBin(this.kind), this.conf], user: REDIS_USER, logFile: this.logFile, cwd: this.dir });
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
            `last lines of ${this.logFile}:\n${this.logTail()}`,
        );
      }
      try {
        if ((await adminCall(this.ip, this.port, ['PING'], 1000)) === 'PONG') return;
      } catch (e) {
        last = (e as Error).message;
      }
      if (Date.now() > end)
        throw new Error(
          `${this.name}: ${this.kind} not ready at ${this.ip}:${this.port} after ${timeoutMs} ms (last error: ${last}); ` +
            `last lines of ${this.logFile}:\n${this.logTail()}`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  logTail(lines = 20): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** kill -9 of the process and any child it forked (AOF rewrite, diskless sync), waiting until they are gone. */
  async kill(): Promise<void> {
    const svc = this.service;
    if (!svc || !svc.running()) return;
    const kids = descendants(svc.pid);
    svc.signal('SIGKILL');
    signalAll(kids, 'SIGKILL');
    await svc.exited;
    this.paused = false;
    if (!(await waitGone(kids, 5000))) throw new Error(`${this.name}: children of ${this.kind} ${kids.join(', ')} survived SIGKILL`);
  }

  pause(): void {
    const svc = this.service;
    if (!svc || !svc.running()) throw new Error(`${this.name}: cannot pause, ${this.kind} is not running`);
    svc.signal('SIGSTOP');
    signalAll(descendants(svc.pid), 'SIGSTOP');
    this.paused = true;
  }

  resume(): void {
    const svc = this.service;
    this.paused = false;
    if (!svc || !svc.running()) return;
    signalAll(descendants(svc.pid), 'SIGCONT');
    svc.signal('SIGCONT');
  }

  /** SIGTERM (shutdown-timeout 0: no waiting for replicas), then kill -9 after graceMs. */
  async stop(graceMs = 3000): Promise<void> {
    const svc = this.service;
    if (!svc || !svc.running()) return;
    if (this.paused) this.resume();
    const kids = descendants(svc.pid);
    await svc.stop(graceMs);
    signalAll(kids, 'SIGKILL');
    await waitGone(kids, 2000);
  }

  pids(): number[] {
    const svc = this.service;
    return svc && svc.running() ? [svc.pid, ...descendants(svc.pid)] : [];
  }
}
