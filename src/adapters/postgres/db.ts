import type { Cluster, RuntimeNode } from '../../runtime/types.js';
import { gatherAndDecide, type Answer } from '../failover-choice.js';
import { ReplicaSet } from '../replicated.js';
import type { Client, Db, DbOptions, FailoverOptions, FailoverOutcome, ReadRouting, Role } from '../types.js';
import { PgClient, type Routing } from './client.js';
import { walPosition } from './failover.js';
import { PgServer } from './server.js';
import { faultlineConf, PORT, syncRule, syncStandbyNames, synchronousCommit, type Replication } from './settings.js';
import { cloneStandby, upstreamOf } from './standby.js';
import { adminQuery } from './sql.js';
import type { WorkloadSql } from './workloads.js';

/**
 * How long a rebuild's base backup may take. A healthy copy takes a second or two here; one that has not
 * finished in 20 s is crawling through a fault on its node (30% loss, a 256 kbit limit), and the nodes
 * rebuilt after it, which would make the cluster writable again, should not wait a minute behind it.
 * It fails, and the next stop tries again.
 */
const REBUILD_COPY_MS = 20_000;

export interface PgDbInit {
  cluster: Cluster;
  servers: PgServer[];
  mode: Replication;
  reads: ReadRouting;
  workload: string;
  /** Transactional workloads: the level txns run at. */
  isolation?: string;
  sql: WorkloadSql;
  version: string;
  /** Where clients connect instead of the node itself (DbOptions.clientAddress). */
  clientAddress?: (node: string) => { host: string; port: number };
  /** Where standbys stream from (DbOptions.replicationAddress). */
  replicationAddress?: DbOptions['replicationAddress'];
}

/** A started Postgres cluster: one primary, streaming standbys, and the faults it takes. */
export class PgDb implements Db {
  readonly name = 'postgres';
  readonly cluster: Cluster;
  /** Servers, the role each is held in, the primary sessions write to, and its floor. */
  private readonly rs: ReplicaSet<PgServer>;
  private readonly clients = new Set<PgClient>();
  /** Standbys that were down at a failover: they may hold WAL the new primary never had. */
  private readonly diverged = new Set<string>();
  private tearing?: Promise<void>;

  constructor(private readonly init: PgDbInit) {
    this.cluster = init.cluster;
    this.rs = new ReplicaSet({ db: 'postgres', servers: init.servers, port: PORT, clientAddress: init.clientAddress });
  }

  server(name: string): PgServer {
    return this.rs.server(name);
  }
  roles(): Map<string, Role> {
    return this.rs.roles();
  }
  primary(): RuntimeNode {
    return this.rs.primary();
  }
  /** Standbys of the current primary (fenced nodes and a split-brain old primary are not), by name. */
  standbys(): string[] {
    return this.rs.standbys();
  }

  private routing(): Routing {
    return {
      primary: () => this.rs.current,
      readable: (reads) => this.rs.readable(reads),
      ip: (n) => this.rs.address(n).host,
      port: (n) => this.rs.address(n).port,
    };
  }

  async client(session: number, opts: { reads?: ReadRouting } = {}): Promise<Client> {
    const c = new PgClient(this.routing(), this.init.sql, opts.reads ?? this.init.reads, session, (x) => this.clients.delete(x));
    this.clients.add(c);
    return c;
  }

  async kill(node: RuntimeNode): Promise<void> {
    await this.server(node.name).kill();
  }

  /**
   * Starts a killed node again. A fenced old primary, or a standby that was down during a failover (it
   * may have received WAL the promoted node never had, and then could not follow the new timeline),
   * comes back rebuilt as a standby of the current primary.
   */
  async restart(node: RuntimeNode): Promise<void> {
    const s = this.server(node.name);
    if (this.rs.held(s.name) === 'fenced' || this.diverged.has(s.name)) {
      await this.rebuild(s);
      this.diverged.delete(s.name);
      return;
    }
    if (s.running()) return;
    await s.start();
    await s.waitReady();
  }

  /**
   * The primary answers, and every running standby of it streams from it (pg_stat_replication, state
   * streaming): what an operator's health check shows once a cluster has caught up after a fault.
   */
  async waitHealthy(timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      const p = this.server(this.rs.current);
      const want = this.standbys().filter((n) => this.server(n).running() && !this.server(n).isPaused());
      try {
        const r = await adminQuery<{ n: string }>(
          p.node.endpoint(PORT),
          "SELECT application_name AS n FROM pg_stat_replication WHERE state = 'streaming'",
          [],
          2000,
        );
        const streaming = new Set(r.rows.map((x) => x.n));
        const missing = want.filter((n) => !streaming.has(n));
        if (missing.length === 0) return;
        last = `${missing.join(', ')} not streaming from the primary ${p.name}`;
      } catch (e) {
        last = `the primary ${p.name} does not answer: ${(e as Error).message}`;
      }
      if (Date.now() > end) throw new Error(`postgres not healthy after ${timeoutMs} ms: ${last}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async pause(node: RuntimeNode): Promise<void> {
    await this.server(node.name).pause();
  }
  async resume(node: RuntimeNode): Promise<void> {
    await this.server(node.name).resume();
  }

  /**
   * Rewrites a primary's synchronous standbys for the current standby set, reloads it, and waits until
   * the new value is in force (reload is asynchronous; a commit acknowledged before that would not wait).
   */
  async configurePrimary(name = this.rs.current): Promise<void> {
    const p = this.server(name);
    const want = syncStandbyNames(this.init.mode, this.standbys());
    await p.writeDataFile('faultline.conf', faultlineConf({ mode: this.init.mode, standbys: this.standbys() }));
    p.reload();
    if (!p.running() || p.isPaused()) return;
    const end = Date.now() + 10_000;
    let seen = '';
    for (;;) {
      try {
        seen = (await adminQuery<{ v: string }>(p.node.endpoint(PORT), 'SELECT current_setting($1) AS v', ['synchronous_standby_names'], 2000)).rows[0]!.v;
      } catch (e) {
        seen = (e as Error).message;
      }
      if (seen === want) return;
      if (Date.now() > end) throw new Error(`${name}: synchronous_standby_names is '${seen}' 10 s after reload, wanted '${want}'`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private async pointAt(standby: PgServer, primary: PgServer): Promise<void> {
    await standby.writeDataFile(
      'faultline.conf',
      faultlineConf({
        mode: this.init.mode,
        upstream: { ...(await upstreamOf(standby, primary, this.init.replicationAddress)), slot: standby.name, appName: standby.name },
      }),
    );
    standby.reload();
  }

  /**
   * Promotes a standby chosen by src/adapters/failover-choice.ts: under `sync` (ANY 1 of n) only after
   * hearing from every standby (n-1+1), so the most advanced holds every acknowledged commit; otherwise it
   * waits up to waitMs and refuses. With fence, the old primary is killed first (a `safe` choice then
   * compares positions that no longer move) and kept down (restart rebuilds it as a standby); a refusal
   * starts it again as the primary it was (a kill -9 loses no committed write). Without fence, it keeps
   * running and accepting writes: split brain on purpose. The other standbys get a slot on the new primary
   * and follow it (they switch to its timeline: recovery_target_timeline is 'latest' by default).
   */
  async failover(opts: FailoverOptions): Promise<FailoverOutcome> {
    const old = this.rs.current;
    const policy = opts.policy ?? 'safe';
    const standbys = this.standbys();
    const oldServer = this.server(old);
    const fenceFirst = opts.fence && policy === 'safe';
    const wasRunning = oldServer.running();
    if (fenceFirst) {
      await oldServer.kill();
      this.rs.fence(old);
    }
    const seen = new Map<string, Answer>();
    const rec = await gatherAndDecide({
      policy,
      rule: syncRule(this.init.mode, standbys),
      standbys,
      waitMs: opts.waitMs ?? 5000,
      askable: (n) => this.server(n).running() && !this.server(n).isPaused(),
      ask: async (n) => {
        const a = await walPosition(this.server(n));
        if (a) seen.set(n, a);
        return a;
      },
      floor: this.rs.floor,
    });
    if (rec.decision === 'refused') {
      if (fenceFirst) {
        this.rs.setRole(old, 'primary');
        if (wasRunning) {
          await oldServer.start();
          await oldServer.waitReady();
        }
      }
      return { ...rec, old };
    }
    const best = rec.chosen!;
    if (opts.fence && !fenceFirst) {
      await oldServer.kill();
      this.rs.fence(old);
    }
    const p = this.server(best);
    const r = await adminQuery<{ ok: boolean }>(p.node.endpoint(PORT), 'SELECT pg_promote(true, 60) AS ok', [], 65_000);
    if (r.rows[0]?.ok !== true) throw new Error(`postgres failover: pg_promote on ${best} did not finish within 60 s; log:\n${await p.logTail()}`);
    this.rs.promote(best, seen.get(best));
    if (!opts.fence) this.rs.setRole(old, 'primary');
    for (const n of this.standbys()) {
      if (!this.server(n).running()) this.diverged.add(n);
      await adminQuery(
        p.node.endpoint(PORT),
        'SELECT pg_create_physical_replication_slot($1, true) WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = $1)',
        [n],
      );
      await this.pointAt(this.server(n), p);
    }
    await this.configurePrimary(best);
    // Only now do sessions (re)connect to it: in sync modes its commits already wait for its standbys.
    this.rs.switchTo(best);
    return { ...rec, old, promoted: best };
  }

  /**
   * Drops a node's slot on the primary. A walsender may still hold it: the node was killed, but behind a
   * partition or a proxy its old connection lives until a timeout, and dropping an active slot fails
   * ("replication slot is active for PID"). End that walsender and try again, for up to 10 s.
   */
  private async dropSlot(p: PgServer, slot: string): Promise<void> {
    const end = Date.now() + 10_000;
    for (;;) {
      await adminQuery(
        p.node.endpoint(PORT),
        'SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL',
        [slot],
      );
      try {
        await adminQuery(p.node.endpoint(PORT), 'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [slot]);
        return;
      } catch (e) {
        if (!/is active for PID/.test((e as Error).message) || Date.now() > end) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** Wipes a fenced node and clones it from the current primary as a standby. */
  private async rebuild(s: PgServer): Promise<void> {
    const p = this.server(this.rs.current);
    // Fail fast rather than wait out a timeout: the next stop-kill (after the restart or resume) tries again.
    if (!p.running()) throw new Error(`${s.name}: cannot rebuild from the primary ${p.name}: it is down`);
    if (p.isPaused()) throw new Error(`${s.name}: cannot rebuild from the primary ${p.name}: it is paused`);
    // One more try when the copy broke off while the primary still serves. Soak: the final heal reset the
    // primary's clock, and its walsender, which times replies by the wall clock, saw the stream's last
    // reply a clock step ago and ended it at once ("terminating walsender process due to replication
    // timeout"); the failed rebuild left the final heal failed and the run unknown. Rebuild scripts retry
    // a copy that broke off early.
    for (let attempt = 1; ; attempt++) {
      const t0 = Date.now();
      try {
        if (s.running()) await s.kill();
        await this.dropSlot(p, s.name);
        await s.wipe();
        await cloneStandby(s, p, this.init.mode, this.init.replicationAddress, REBUILD_COPY_MS);
        break;
      } catch (e) {
        // Not after a slow failure (the copy timed out crawling through loss or a bandwidth cap): a second
        // try would crawl too, and the nodes waiting behind this one stay unrebuilt twice as long.
        if (attempt >= 2 || Date.now() - t0 > 5000 || !p.running() || p.isPaused()) throw e;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    this.rs.setRole(s.name, 'standby');
    await this.configurePrimary();
  }

  describe(): Record<string, unknown> {
    return {
      database: 'postgres',
      version: this.init.version,
      nodes: this.rs.all().map((s) => ({ name: s.name, ip: s.node.ip, role: this.roles().get(s.name), data: s.data, log: s.logFile })),
      primary: this.rs.current,
      replication: this.init.mode,
      synchronous_standby_names: syncStandbyNames(this.init.mode, this.standbys()),
      synchronous_commit: synchronousCommit(this.init.mode),
      reads: this.init.reads,
      workload: this.init.workload,
      ...(this.init.isolation ? { isolation: this.init.isolation } : {}),
    };
  }

  /** Every postgres process of the cluster (postmasters and their children), for leak checks. */
  async pids(): Promise<number[]> {
    return (await Promise.all(this.rs.all().map((s) => s.pids()))).flat();
  }

  teardown(): Promise<void> {
    this.tearing ??= (async () => {
      await Promise.all([...this.clients].map((c) => c.close()));
      await Promise.all(this.rs.all().map((s) => s.stop()));
    })();
    return this.tearing;
  }
}
