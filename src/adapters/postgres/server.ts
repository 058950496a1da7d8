import { join } from 'node:path';
import type { RuntimeNode, Service } from '../../runtime/types.js';
import { waitGone } from '../procs.js';
import { logTail } from '../remote.js';
import { PORT } from './settings.js';
import { adminQuery } from './sql.js';

const PG_USER = 'postgres';

/** One node's postgres: its directories, its foreground postmaster, and the signals faults send it. */
export class PgServer {
  readonly data: string;
  readonly sockets: string;
  readonly logFile: string;
  private service?: Service;
  private paused = false;

  constructor(
    readonly node: RuntimeNode,
    /** The server binaries' directory on the node (bin.ts). */
    readonly binDir: string,
  ) {
    this.data = join(node.dir, 'pgdata');
    this.sockets = join(node.dir, 'pgsock');
    this.logFile = join(node.dir, 'postgres.log');
  }

  get name(): string {
    return this.node.name;
  }
  /** Absolute path of a server binary (postgres, initdb, pg_basebackup) on the node. */
  bin(name: string): string {
    return join(this.binDir, name);
  }
  get pid(): number | undefined {
    return this.service?.pid;
  }
  running(): boolean {
    return this.service?.running() ?? false;
  }

  /** Runs argv on the node as the postgres user; throws with its output unless it exits 0. */
  async asPostgres(argv: string[], timeoutMs = 60_000): Promise<string> {
    const r = await this.node.exec(argv, { user: PG_USER, timeoutMs });
    if (r.code !== 0) throw new Error(`${this.name}: \`${argv.join(' ')}\` failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`);
    return r.stdout;
  }

  /** Empty data dir (0700, as postgres requires) and socket dir, owned by the postgres user. */
  async makeDirs(): Promise<void> {
    await this.node.mkdir(this.data, { mode: 0o700, owner: PG_USER });
    await this.node.mkdir(this.sockets, { mode: 0o755, owner: PG_USER });
  }

  async wipe(): Promise<void> {
    await this.node.remove(this.data);
    await this.makeDirs();
  }

  /** Writes a file in the data dir, owned by postgres. */
  async writeDataFile(name: string, text: string, append = false): Promise<void> {
    await this.node.writeFile(join(this.data, name), text, { append, mode: 0o600, owner: PG_USER });
  }

  /** Starts the postmaster in the foreground (never pg_ctl start: a daemon killed -9 is reaped late). */
  async start(): Promise<void> {
    if (this.running()) return;
    this.paused = false;
    this.service = await this.node.spawn({
      name: 'postgres',
      argv: [
        this.bin('postgres'),
        '-D',
        this.data,
        '-c',
        `listen_addresses=${this.node.ip}`,
        '-c',
        `port=${PORT}`,
        '-c',
        `unix_socket_directories=${this.sockets}`,
        '-c',
        `cluster_name=${this.name}`,
      ],
      user: PG_USER,
      logFile: this.logFile,
      clock: true, // the runtime preloads libfaketime after the privilege drop
    });
  }

  /** Waits until the node answers SELECT 1; the error names the node and ends with its log. */
  async waitReady(timeoutMs = 30_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      const svc = this.service;
      if (!svc || !svc.running()) {
        const how = svc ? await svc.exited : undefined;
        throw new Error(
          `${this.name}: postgres exited before it was ready (${how ? `code ${how.code}, signal ${how.signal}` : 'not started'}); ` +
            `last lines of ${this.logFile}:\n${await this.logTail()}`,
        );
      }
      try {
        await adminQuery(this.node.endpoint(PORT), 'SELECT 1', [], 1000);
        return;
      } catch (e) {
        last = (e as Error).message;
      }
      if (Date.now() > end) {
        throw new Error(
          `${this.name}: postgres not ready at ${this.node.endpoint(PORT).host}:${this.node.endpoint(PORT).port} after ${timeoutMs} ms (last error: ${last}); last lines of ${this.logFile}:\n` +
            `${await this.logTail()}`,
        );
      }
      await new Promise((r) => setTimeout(r, 30));
    }
  }

  logTail(lines = 20): Promise<string> {
    return logTail(this.node, this.logFile, lines);
  }

  /**
   * Re-reads configuration files (postgres' reload). Down: a no-op, it reads them at start. Paused: the
   * SIGHUP stays pending and is acted on at SIGCONT, so a standby re-pointed while paused follows on resume.
   */
  reload(): void {
    if (this.running()) this.service!.signal('SIGHUP');
  }

  /**
   * kill -9 of the whole server. The postmaster is stopped first so it cannot fork, then it and every
   * descendant get SIGKILL (backends would notice the postmaster's death on their own, but a survivor
   * attached to the old shared memory makes the restart refuse to start). We wait until all are gone
   * or zombies: a stale postmaster.pid whose PID is dead does not block the restart.
   */
  async kill(): Promise<void> {
    const svc = this.service;
    if (!svc || !svc.running()) return;
    svc.signal('SIGSTOP');
    const pids = [svc.pid, ...(await this.node.descendants(svc.pid))];
    await this.node.signal(pids, 'SIGKILL');
    await svc.exited;
    this.paused = false;
    if (!(await waitGone(this.node, pids, 5000)))
      throw new Error(`${this.name}: postgres processes ${(await this.node.running(pids)).join(' ')} survived SIGKILL`);
    await this.removeStaleSysvSegment();
  }

  /**
   * A killed postmaster leaves its small SysV segment (id on line 7 of postmaster.pid). A restart would
   * remove it, but a fenced or torn-down node never restarts, and leftovers pile up across runs
   * (ipcs -m). Every process of the server is gone by now, so nothing is attached and removing it is safe;
   * the next start of this data dir simply finds no old segment.
   */
  private async removeStaleSysvSegment(): Promise<void> {
    let id: string | undefined;
    try {
      id = (await this.node.readFile(join(this.data, 'postmaster.pid'))).split('\n')[6]?.trim().split(/\s+/)[1];
    } catch {
      return;
    }
    if (id && /^\d+$/.test(id)) await this.node.exec(['ipcrm', '-m', id]).catch(() => undefined);
  }

  /** SIGSTOP of the postmaster first (so it forks no new child), then of every descendant. */
  async pause(): Promise<void> {
    const svc = this.service;
    if (!svc || !svc.running()) throw new Error(`${this.name}: cannot pause, postgres is not running`);
    svc.signal('SIGSTOP');
    this.paused = true;
    await this.node.signal(await this.node.descendants(svc.pid), 'SIGSTOP');
  }

  async resume(): Promise<void> {
    const svc = this.service;
    if (!svc || !svc.running()) {
      this.paused = false;
      return;
    }
    this.paused = false;
    await this.node.signal(await this.node.descendants(svc.pid), 'SIGCONT');
    svc.signal('SIGCONT');
  }

  isPaused(): boolean {
    return this.paused;
  }

  /** Fast shutdown (SIGINT: disconnects clients, no recovery needed next start); kill after graceMs. */
  async stop(graceMs = 5000): Promise<void> {
    const svc = this.service;
    if (!svc || !svc.running()) return;
    if (this.paused) await this.resume();
    svc.signal('SIGINT');
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'grace'>((r) => {
      timer = setTimeout(() => r('grace'), graceMs);
    });
    const first = await Promise.race([svc.exited, grace]);
    clearTimeout(timer);
    if (first === 'grace') await this.kill();
  }

  /** Every process of this server (postmaster and descendants), for tests and leak checks. */
  async pids(): Promise<number[]> {
    const svc = this.service;
    return svc && svc.running() ? [svc.pid, ...(await this.node.descendants(svc.pid))] : [];
  }
}
