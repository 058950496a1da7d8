import type { Cluster, RuntimeNode } from '../../runtime/types.js';
import { gatherAndDecide, type Answer } from '../failover-choice.js';
import { ReplicaSet } from '../replicated.js';
import type { Client, Db, DbOptions, FailoverOptions, FailoverOutcome, ReadRouting, Role } from '../types.js';
import type { ServerBinaries } from './bin.js';
import { MyClient, type Routing } from './client.js';
import { FLAVOURS, progress, SEMI_SYNC_TIMEOUT_MS } from './flavour.js';
import { appliedPosition, follow, replicaStatus, waitCaughtUp } from './replication.js';
import type { MyServer } from './server.js';
import { semiSyncRule, type Replication } from './settings.js';
import { adminQuery, PORT, USER } from './sql.js';
import type { WorkloadSql } from './workloads.js';

/** How long one restart of a rebuilt node waits for it to apply the primary's history (it goes on replicating after). */
const REBUILD_CATCH_UP_MS = 10_000;

export interface MyDbInit {
  cluster: Cluster;
  servers: MyServer[];
  bins: ServerBinaries;
  mode: Replication;
  reads: ReadRouting;
  workload: string;
  /** Transactional workloads: the level txns run at. */
  isolation?: string;
  /** The server's innodb_snapshot_isolation (MariaDB 10.11+), when it has that variable. */
  innodbSnapshotIsolation?: string;
  sql: WorkloadSql;
  /** Where clients connect instead of the node itself (DbOptions.clientAddress). */
  clientAddress?: (node: string) => { host: string; port: number };
  /** Where replicas stream from (DbOptions.replicationAddress). */
  replicationAddress?: DbOptions['replicationAddress'];
}

/** A started MySQL/MariaDB cluster: one primary, GTID replicas, and the faults it takes. */
export class MyDb implements Db {
  readonly name = 'mysql';
  readonly cluster: Cluster;
  /** Servers, the role each is held in, the primary sessions write to, and its floor. */
  private readonly rs: ReplicaSet<MyServer>;
  /** Replicas that were down or paused at a failover: they follow the new primary when they are back. */
  private readonly repoint = new Set<string>();
  /** Rebuilt nodes still applying the primary's history (fenced until admitted): node -> the primary it follows. */
  private readonly catchingUp = new Map<string, string>();
  private readonly clients = new Set<MyClient>();
  private tearing?: Promise<void>;

  constructor(private readonly init: MyDbInit) {
    this.cluster = init.cluster;
    this.rs = new ReplicaSet({ db: 'mysql', servers: init.servers, port: PORT, clientAddress: init.clientAddress });
  }

  private get flavour() {
    return this.init.bins.flavour;
  }

  server(name: string): MyServer {
    return this.rs.server(name);
  }
  roles(): Map<string, Role> {
    return this.rs.roles();
  }
  primary(): RuntimeNode {
    return this.rs.primary();
  }
  standbys(): string[] {
    return this.rs.standbys();
  }

  private routing(): Routing {
    return { primary: () => this.rs.current, readable: (reads) => this.rs.readable(reads), address: (n) => this.rs.address(n) };
  }

  async client(session: number, opts: { reads?: ReadRouting } = {}): Promise<Client> {
    const c = new MyClient(this.routing(), this.init.sql, opts.reads ?? this.init.reads, session, (x) => this.clients.delete(x));
    this.clients.add(c);
    return c;
  }

  async kill(node: RuntimeNode): Promise<void> {
    await this.server(node.name).kill();
  }

  /** Starts a killed node again; a fenced old primary comes back rebuilt as a replica of the current primary. */
  async restart(node: RuntimeNode): Promise<void> {
    const s = this.server(node.name);
    if (this.rs.held(s.name) === 'fenced') {
      // Rebuilt earlier and still replicating from this primary: only wait for it again.
      if (this.catchingUp.get(s.name) === this.rs.current && s.running() && !s.isPaused()) await this.admit(s);
      else await this.rebuild(s);
      return;
    }
    // Running but not yet following (an earlier restart could not reach the primary): follow now.
    if (!s.running()) {
      await s.start();
      await s.waitReady();
    }
    if (this.repoint.has(s.name) && !s.isPaused()) await this.follow(s);
  }

  /** The primary answers (replicas catch up on their own; the final reads go to the primary). */
  async waitHealthy(timeoutMs: number): Promise<void> {
    await this.server(this.rs.current).waitReady(timeoutMs);
  }

  async pause(node: RuntimeNode): Promise<void> {
    this.server(node.name).pause();
  }

  async resume(node: RuntimeNode): Promise<void> {
    const s = this.server(node.name);
    s.resume();
    // Not following yet is a restart's concern (the next stop-kill retries); the resume itself is done.
    if (this.repoint.has(s.name) && s.running()) await this.follow(s).catch(() => undefined);
  }

  /** Fails fast rather than wait out a timeout: the next stop-kill (after the restart or resume) tries again. */
  private primaryServing(s: MyServer): void {
    const p = this.server(this.rs.current);
    if (!p.running()) throw new Error(`${s.name}: cannot follow the primary ${p.name}: it is down`);
    if (p.isPaused()) throw new Error(`${s.name}: cannot follow the primary ${p.name}: it is paused`);
  }

  private async follow(s: MyServer): Promise<void> {
    this.primaryServing(s);
    await follow(s, this.server(this.rs.current), this.flavour, this.init.replicationAddress);
    this.repoint.delete(s.name);
  }

  /** How far a replica got: the GTIDs it received (relay log) or applied, whichever reaches further. */
  private async position(name: string): Promise<{ n: string; at: number; received: string; applied: string } | undefined> {
    const s = this.server(name);
    try {
      const st = await replicaStatus(s, this.flavour);
      const applied = await appliedPosition(s, this.flavour);
      const received = st?.received ?? '';
      return { n: name, at: Math.max(progress(this.flavour, received), progress(this.flavour, applied)), received, applied };
    } catch {
      return undefined;
    }
  }

  /**
   * Promotes the replica chosen by src/adapters/failover-choice.ts: the one that received the most, and
   * under semi-sync (one ack of n replicas) only after hearing from all n (the primary acknowledges once
   * a replica has the event in its relay log, so only the most advanced of all is sure to hold every
   * acknowledged commit); else it waits up to waitMs and refuses. We cut nothing ourselves: the nemesis
   * isolates the old primary. With fence, the old primary is killed first (a `safe` choice then compares
   * positions that no longer move) and kept down (restart rebuilds it as a replica); a refusal starts it
   * again as the primary it was. Without fence, it keeps running and accepting writes (split brain on
   * purpose). The promoted replica applies all it received, stops replicating and turns read_only off;
   * the other replicas follow it from their own GTID position.
   */
  async failover(opts: FailoverOptions): Promise<FailoverOutcome> {
    const f = FLAVOURS[this.flavour];
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
    const received = new Map<string, string>();
    const seen = new Map<string, Answer>();
    const rec = await gatherAndDecide({
      policy,
      rule: semiSyncRule(this.init.mode, standbys),
      standbys,
      waitMs: opts.waitMs ?? 5000,
      askable: (n) => this.server(n).running() && !this.server(n).isPaused(),
      ask: async (n) => {
        const p = await this.position(n);
        if (!p) return undefined;
        received.set(n, p.received);
        const a = { at: BigInt(p.at), text: p.received || p.applied };
        seen.set(n, a);
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
    const best = { n: rec.chosen!, received: received.get(rec.chosen!) ?? '' };
    if (opts.fence && !fenceFirst) {
      await oldServer.kill();
      this.rs.fence(old);
    }
    const p = this.server(best.n);
    await adminQuery(p.admin, f.stopIoThread, [], 10_000);
    if (best.received) {
      const r = await adminQuery<{ r: number }>(p.admin, f.waitApplied, [best.received, 30], 35_000);
      if (Number(r[0]?.r) !== 0)
        throw new Error(`mysql failover: ${best.n} did not apply what it received (${best.received}) within 30 s; log:\n${await p.logTail()}`);
    }
    await adminQuery(p.admin, f.stopReplica, [], 10_000);
    await adminQuery(p.admin, f.resetReplicaAll, [], 10_000);
    const writable = [...f.makeWritable, ...(this.init.mode === 'semi-sync' ? [`SET GLOBAL ${f.semiSyncPrimaryVar} = 1`] : [])];
    for (const stmt of writable) await adminQuery(p.admin, stmt, [], 10_000);
    p.readOnly = false;
    this.rs.promote(best.n, seen.get(best.n));
    if (!opts.fence) this.rs.setRole(old, 'primary');
    this.rs.switchTo(best.n);
    for (const n of this.standbys()) {
      const s = this.server(n);
      if (!s.running() || s.isPaused()) {
        this.repoint.add(n);
        continue;
      }
      try {
        await this.follow(s);
      } catch {
        this.repoint.add(n);
      }
    }
    return { ...rec, old, promoted: best.n };
  }

  /**
   * Wipes a fenced node and starts it empty as a replica of the current primary, whose binlog holds the
   * whole history, the users and grants of the bootstrap included. Clients and failovers see it only once
   * it applied everything the primary had (admit): an empty node from the install template has no
   * faultline user, so until then every client it served got 1130 (Host ... is not allowed to connect),
   * and a failover could promote it empty. Under semi-sync it does not acknowledge commits until then
   * either: a failover hears only from standbys, so a commit only a fenced node held would be lost.
   */
  private async rebuild(s: MyServer): Promise<void> {
    this.primaryServing(s);
    this.catchingUp.delete(s.name);
    if (s.running()) await s.kill();
    await s.makeDataDir();
    // A fresh server id: the primary's binlog holds the events this node wrote as the old primary, and a
    // replica skips events carrying its own server id (replicate_same_server_id cannot be on with
    // log_slave_updates), so with its old id the rebuilt node would silently miss them and serve stale data.
    s.serverId += 100;
    s.readOnly = true;
    await s.start();
    await s.waitReady();
    const f = FLAVOURS[this.flavour];
    if (this.init.mode === 'semi-sync') await adminQuery(s.admin, `SET GLOBAL ${f.semiSyncReplicaVar} = 0`, [], 10_000);
    const primary = this.server(this.rs.current);
    await follow(s, primary, this.flavour, this.init.replicationAddress);
    this.repoint.delete(s.name);
    this.catchingUp.set(s.name, primary.name);
    await this.admit(s);
  }

  /**
   * A rebuilt node becomes a standby once it applied what the primary has (and holds the faultline user).
   * Not within REBUILD_CATCH_UP_MS (the primary cut off, or a long history on a loaded machine): throws,
   * and the node stays fenced but keeps replicating, so the next restart waits again from where it got.
   */
  private async admit(s: MyServer): Promise<void> {
    const primary = this.server(this.rs.current);
    try {
      await waitCaughtUp(primary, [s], this.flavour, REBUILD_CATCH_UP_MS);
    } catch (e) {
      throw new Error(
        `mysql: ${s.name} was rebuilt from ${primary.name} but has not caught up yet, so it stays fenced (the next restart waits again): ${(e as Error).message}`,
        { cause: e },
      );
    }
    const users = await adminQuery<{ n: number }>(s.admin, 'SELECT COUNT(*) AS n FROM mysql.user WHERE User = ?', [USER], 5000);
    if (Number(users[0]?.n) < 1) throw new Error(`mysql: ${s.name} was rebuilt from ${primary.name} but has no '${USER}' user, so it stays fenced`);
    if (this.init.mode === 'semi-sync') {
      const f = FLAVOURS[this.flavour];
      // The IO thread reads the setting when it connects: reconnect it to start acknowledging.
      await adminQuery(s.admin, `SET GLOBAL ${f.semiSyncReplicaVar} = 1`, [], 10_000);
      await adminQuery(s.admin, f.stopIoThread, [], 10_000);
      await adminQuery(s.admin, f.startIoThread, [], 10_000);
    }
    this.catchingUp.delete(s.name);
    this.rs.setRole(s.name, 'standby');
  }

  describe(): Record<string, unknown> {
    return {
      database: 'mysql',
      flavour: this.flavour,
      version: this.init.bins.version,
      nodes: this.rs.all().map((s) => ({
        name: s.name,
        ip: s.node.ip,
        serverId: s.serverId,
        role: this.roles().get(s.name),
        data: s.paths.data,
        log: s.logFile,
      })),
      primary: this.rs.current,
      replication: this.init.mode,
      ...(this.init.mode === 'semi-sync' ? { semiSyncTimeoutMs: SEMI_SYNC_TIMEOUT_MS, semiSyncWaitPoint: 'AFTER_SYNC' } : {}),
      reads: this.init.reads,
      workload: this.init.workload,
      ...(this.init.isolation ? { isolation: this.init.isolation } : {}),
      ...(this.init.innodbSnapshotIsolation !== undefined ? { innodb_snapshot_isolation: this.init.innodbSnapshotIsolation } : {}),
    };
  }

  /** Every server process of the cluster, for leak checks. */
  pids(): number[] {
    return this.rs.all().flatMap((s) => s.pids());
  }

  teardown(): Promise<void> {
    this.tearing ??= (async () => {
      await Promise.all([...this.clients].map((c) => c.close()));
      await Promise.all(this.rs.all().map((s) => s.stop()));
    })();
    return this.tearing;
  }
}
