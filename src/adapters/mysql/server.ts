import { join } from 'node:path';
import type { RuntimeNode, Service } from '../../runtime/types.js';
import { logTail } from '../remote.js';
import type { ServerBinaries } from './bin.js';
import { serverArgs, MYSQL_USER, type NodePaths, type Replication } from './settings.js';
import { ADMIN_USER, adminQuery, PORT } from './sql.js';
import { initDataDir } from './template.js';

/**
 * One node's mariadbd / mysqld: its directories, its foreground process (one process, many threads, so
 * a signal to its PID reaches the whole server), and the signals faults send it.
 */
/** Makes every server's data dir and starts them all at once, until each answers (a cluster's first start). */
export async function startFresh(servers: readonly MyServer[]): Promise<void> {
  await Promise.all(
    servers.map(async (s) => {
      await s.makeDataDir();
      await s.start();
      await s.waitReady();
    }),
  );
}

export class MyServer {
  readonly paths: NodePaths;
  readonly logFile: string;
  /** Replicas start with --read-only; a promotion clears it (also for later restarts). */
  readOnly: boolean;
  private service?: Service;
  private paused = false;

  constructor(
    readonly node: RuntimeNode,
    public serverId: number,
    private readonly bins: ServerBinaries,
    private readonly mode: Replication,
    readOnly: boolean,
    /** Arguments after the shared ones (a later one wins): the multi-leader topology's (src/adapters/mysql/multi-leader.ts). */
    private readonly extraArgs: readonly string[] = [],
  ) {
    this.paths = { data: join(node.dir, 'mysqldata'), socket: join(node.dir, 'mysqld.sock'), pidFile: join(node.dir, 'mysqld.pid') };
    this.logFile = join(node.dir, 'mysqld.log');
    this.readOnly = readOnly;
  }

  get name(): string {
    return this.node.name;
  }
  get pid(): number | undefined {
    return this.service?.pid;
  }
  get socket(): string {
    return this.paths.socket;
  }
  /** Where faultline's process runs admin statements (as ADMIN_USER): the node's endpoint(3306). */
  get admin(): { host: string; port: number } {
    return this.node.endpoint(PORT);
  }
  /** The SQL every start runs (--init-file): the admin user, from the node's /24 (the run's subnet), kept out of the binlog. */
  private get initFile(): string {
    return join(this.node.dir, 'admin-init.sql');
  }
  running(): boolean {
    return this.service?.running() ?? false;
  }
  isPaused(): boolean {
    return this.paused;
  }

  /** A fresh data dir from the install template, owned by the mysql user. */
  async makeDataDir(): Promise<void> {
    await this.node.remove(this.paths.data);
    await this.node.mkdir(this.paths.data, { mode: 0o750, owner: MYSQL_USER });
    // The mysql user writes its socket and pid file next to the data dir.
    await this.node.mkdir(this.node.dir, { owner: MYSQL_USER });
    await initDataDir(this.node, this.bins, this.paths.data);
  }

  /** Starts the server in the foreground as the mysql user, under libfaketime (clock faults). */
  async start(): Promise<void> {
    if (this.running()) return;
    this.paused = false;
    await this.node.writeFile(this.initFile, adminInitSql(this.node.ip), { mode: 0o600, owner: MYSQL_USER });
    this.service = await this.node.spawn({
      name: 'mysqld',
      argv: [
        this.bins.server,
        ...serverArgs({ flavour: this.bins.flavour, node: this.node, serverId: this.serverId, paths: this.paths, mode: this.mode, readOnly: this.readOnly }),
        `--init-file=${this.initFile}`,
        ...this.extraArgs,
      ],
      user: MYSQL_USER,
      logFile: this.logFile,
      clock: true,
    });
  }

  /** Waits until the node answers SELECT 1 at its admin endpoint; the error names the node and ends with its log. */
  async waitReady(timeoutMs = 60_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      const svc = this.service;
      if (!svc || !svc.running()) {
        const how = svc ? await svc.exited : undefined;
        throw new Error(
          `${this.name}: mysqld exited before it was ready (${how ? `code ${how.code}, signal ${how.signal}` : 'not started'}); ` +
            `last lines of ${this.logFile}:\n${await this.logTail()}`,
        );
      }
      try {
        await adminQuery(this.admin, 'SELECT 1', [], 1000);
        return;
      } catch (e) {
        last = (e as Error).message;
      }
      if (Date.now() > end)
        throw new Error(`${this.name}: mysqld not ready after ${timeoutMs} ms (last error: ${last}); last lines of ${this.logFile}:\n${await this.logTail()}`);
      await new Promise((r) => setTimeout(r, 30));
    }
  }

  logTail(lines = 20): Promise<string> {
    return logTail(this.node, this.logFile, lines);
  }

  /** kill -9; resolves when the process is gone (it is our child, so that is seen at once). */
  async kill(): Promise<void> {
    const svc = this.service;
    if (!svc || !svc.running()) return;
    svc.signal('SIGKILL');
    await svc.exited;
    this.paused = false;
  }

  pause(): void {
    const svc = this.service;
    if (!svc || !svc.running()) throw new Error(`${this.name}: cannot pause, mysqld is not running`);
    svc.signal('SIGSTOP');
    this.paused = true;
  }

  resume(): void {
    if (this.service?.running()) this.service.signal('SIGCONT');
    this.paused = false;
  }

  /** SIGTERM (clean shutdown), SIGKILL after graceMs: the data is thrown away after a run anyway. */
  async stop(graceMs = 3000): Promise<void> {
    const svc = this.service;
    if (!svc || !svc.running()) return;
    if (this.paused) this.resume();
    svc.signal('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'grace'>((r) => {
      timer = setTimeout(() => r('grace'), graceMs);
    });
    const first = await Promise.race([svc.exited, grace]);
    clearTimeout(timer);
    if (first === 'grace') await this.kill();
  }

  pids(): number[] {
    return this.running() ? [this.service!.pid] : [];
  }
}

/**
 * The admin user's SQL, run by the server itself before it accepts connections, at every start: each node
 * has it (not replicated: sql_log_bin=0, so no node's GTIDs differ), from the node's own /24, where the host's
 * connections come from (the bridge's host side, or the engine's port proxy at the gateway).
 */
export function adminInitSql(nodeIp: string): string {
  const parts = nodeIp.split('.');
  if (parts.length !== 4) throw new Error(`mysql: cannot derive a subnet from node address ${nodeIp}`);
  const from = `${parts.slice(0, 3).join('.')}.%`;
  return [
    'SET sql_log_bin = 0;',
    `CREATE USER IF NOT EXISTS '${ADMIN_USER}'@'${from}' IDENTIFIED BY '';`,
    `GRANT ALL PRIVILEGES ON *.* TO '${ADMIN_USER}'@'${from}' WITH GRANT OPTION;`,
    '',
  ].join('\n');
}
