import type { Cluster, RuntimeNode } from '../../runtime/types.js';
import { gatherAndDecide, type Answer } from '../failover-choice.js';
import { ReplicaSet } from '../replicated.js';
import type { Client, Db, DbOptions, FailoverOptions, FailoverOutcome, ReadRouting, Role } from '../types.js';
import { RedisClient, type Routing } from './client.js';
import { adminCall, parseInfo } from './conn.js';
import type { RedisProcess } from './server.js';
import { SentinelView } from './sentinel.js';
import { PORT, serverConf, waitReplicas, waitRule, type Replication } from './settings.js';
import type { WorkloadOps } from './workloads.js';

export interface RedisDbInit {
  cluster: Cluster;
  servers: RedisProcess[];
  /** One per node when Sentinel runs, else empty. */
  sentinels: RedisProcess[];
  mode: Replication;
  reads: ReadRouting;
  workload: string;
  ops: WorkloadOps;
  version: string;
  /** Where clients connect instead of the node itself (DbOptions.clientAddress). */
  clientAddress?: (node: string) => { host: string; port: number };
  /** Where replicas stream from (DbOptions.replicationAddress); never with Sentinel. */
  replicationAddress?: DbOptions['replicationAddress'];
}

/**
 * A started Redis cluster: a primary, replicas (REPLICAOF), optionally Sentinel, and the faults it takes.
 * Without Sentinel faultline decides roles (failover promotes the most advanced replica). With Sentinel,
 * the sentinels decide, and primary() is their newest view (highest config epoch), polled every 100 ms.
 */
export class RedisDb implements Db {
  readonly name = 'redis';
  readonly cluster: Cluster;
  /** Servers, the role each is held in, the primary sessions write to, and its floor. */
  private readonly rs: ReplicaSet<RedisProcess>;
  private readonly clients = new Set<RedisClient>();
  private readonly view?: SentinelView;
  /** Primaries Sentinel has named, in order, with their epochs (for describe and tests). */
  readonly switches: { primary: string; epoch: number; at: number }[] = [];
  private tearing?: Promise<void>;

  constructor(private readonly init: RedisDbInit) {
    this.cluster = init.cluster;
    this.rs = new ReplicaSet({ db: 'redis', servers: init.servers, port: PORT, clientAddress: init.clientAddress });
    if (init.sentinels.length > 0) {
      this.view = new SentinelView(
        init.sentinels.map((s) => ({ name: s.name, ...s.endpoint })),
        // The sentinels name the primary by its address on the run's network: mapped back to its server.
        (ip, epoch) => {
          const s = this.rs.all().find((x) => x.ip === ip);
          if (!s) return;
          this.switches.push({ primary: s.name, epoch, at: Date.now() });
          this.rs.takeOver(s.name);
        },
      );
    }
  }

  get sentinel(): boolean {
    return this.view !== undefined;
  }

  /** Starts following the sentinels' view (after bootstrap, once they all monitor the primary). */
  async follow(): Promise<void> {
    if (!this.view) return;
    await this.view.poll();
    this.view.start();
  }

  /** One round of asking the sentinels now (tests use it to see a failover without waiting for the timer). */
  async refresh(): Promise<void> {
    await this.view?.poll();
  }

  server(name: string): RedisProcess {
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
    return {
      primary: () => this.rs.current,
      readable: (reads) => this.rs.readable(reads),
      address: (n) => this.rs.address(n),
      waitReplicas: () => waitReplicas(this.init.mode, this.rs.size - 1),
    };
  }

  async client(session: number, opts: { reads?: ReadRouting } = {}): Promise<Client> {
    const c = new RedisClient(this.routing(), this.init.ops, opts.reads ?? this.init.reads, session, (x) => this.clients.delete(x));
    this.clients.add(c);
    return c;
  }

  /** The config a node starts with: a replica of the current primary unless it is (or still claims to be) a primary. */
  async confFor(name: string): Promise<string> {
    const s = this.server(name);
    const primary = this.rs.held(name) === 'primary' ? undefined : await this.upstream(name, this.rs.current);
    return serverConf({ ip: s.ip, dir: s.dir, mode: this.init.mode, replicas: this.rs.size - 1, replicaof: primary });
  }

  /** Where replica `name` streams from to reach `primary`: directly, or through its replication proxy (retargeted). */
  private async upstream(name: string, primary: string): Promise<{ host: string; port: number }> {
    const direct = { host: this.server(primary).ip, port: PORT };
    return this.init.replicationAddress ? this.init.replicationAddress(name, direct) : direct;
  }

  async kill(node: RuntimeNode): Promise<void> {
    await this.server(node.name).kill();
  }

  /**
   * Starts a killed node again, in the role it holds now (its AOF brings its data back). A fenced old
   * primary, or one Sentinel replaced while it was down, comes back as a replica of the current primary
   * and resyncs from it (discarding what it alone had).
   */
  async restart(node: RuntimeNode): Promise<void> {
    const s = this.server(node.name);
    if (s.running()) return;
    if (this.rs.held(s.name) === 'fenced') this.rs.setRole(s.name, 'standby');
    await s.writeConf(await this.confFor(s.name));
    await s.start();
    await s.waitReady();
  }

  /** The primary answers PING (replicas catch up on their own; the final reads go to the primary). */
  async waitHealthy(timeoutMs: number): Promise<void> {
    await this.server(this.rs.current).waitReady(timeoutMs);
  }

  async pause(node: RuntimeNode): Promise<void> {
    await this.server(node.name).pause();
  }
  async resume(node: RuntimeNode): Promise<void> {
    await this.server(node.name).resume();
  }

  /** master_repl_offset a replica has received (its position in the primary's stream). */
  private async offset(name: string): Promise<number | undefined> {
    try {
      const info = parseInfo(String(await adminCall(this.server(name).endpoint.host, this.server(name).endpoint.port, ['INFO', 'replication'], 2000)));
      const v = Number(info.get('master_repl_offset'));
      return Number.isFinite(v) ? v : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Without Sentinel: promotes the replica chosen by src/adapters/failover-choice.ts, the one with the
   * highest replication offset, under `wait` (WAIT k of n replicas) only after hearing from n-k+1 of
   * them (with k = n: any one, since each holds every acknowledged write), else it waits up to waitMs and
   * refuses. REPLICAOF NO ONE, then the others are re-pointed at it. With fence the old primary is killed
   * first (a `safe` choice then compares offsets that no longer move) and stays down until restart (which
   * brings it back as a replica); a refusal starts it again as the primary it was. Without fence, it keeps
   * running and taking writes from the sessions still connected to it: split brain on purpose.
   * With Sentinel: asks a sentinel for a forced failover (SENTINEL FAILOVER) and waits until the
   * sentinels name the new primary; fence kills the old primary first. Sentinel's choice is its own.
   */
  async failover(opts: FailoverOptions): Promise<FailoverOutcome> {
    const old = this.rs.current;
    if (this.view) {
      const r = await this.sentinelFailover(old, opts.fence);
      return {
        policy: 'sentinel',
        sync: waitRule(this.init.mode, this.rs.size - 1, this.standbys())?.text ?? 'async',
        chosen: r.promoted,
        positions: {},
        unanswered: [],
        required: null,
        heard: 0,
        quorum: null,
        decision: 'promoted',
        reason: 'Sentinel chose the replica (SENTINEL FAILOVER)',
        waitedMs: 0,
        floor: null,
        ...r,
      };
    }
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
      rule: waitRule(this.init.mode, this.rs.size - 1, standbys),
      standbys,
      waitMs: opts.waitMs ?? 5000,
      askable: (n) => this.server(n).running() && !this.server(n).isPaused(),
      ask: async (n) => {
        const at = await this.offset(n);
        if (at === undefined) return undefined;
        const a = { at: BigInt(at), text: at };
        seen.set(n, a);
        return a;
      },
      floor: this.rs.floor,
    });
    if (rec.decision === 'refused') {
      if (fenceFirst) {
        this.rs.setRole(old, 'primary');
        if (wasRunning) {
          await oldServer.writeConf(await this.confFor(old));
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
    await adminCall(p.endpoint.host, p.endpoint.port, ['REPLICAOF', 'NO', 'ONE'], 5000);
    this.rs.promote(best, seen.get(best));
    if (!opts.fence) this.rs.setRole(old, 'primary');
    await Promise.all(
      this.standbys().map(async (n) => {
        const s = this.server(n);
        const to = await this.upstream(n, best);
        await s.writeConf(serverConf({ ip: s.ip, dir: s.dir, mode: this.init.mode, replicas: this.rs.size - 1, replicaof: to }));
        if (s.running() && !s.isPaused()) await adminCall(s.endpoint.host, s.endpoint.port, ['REPLICAOF', to.host, String(to.port)], 5000);
      }),
    );
    this.rs.switchTo(best);
    return { ...rec, old, promoted: best };
  }

  private async sentinelFailover(old: string, fence: boolean): Promise<{ promoted: string; old: string }> {
    if (fence) {
      await this.server(old).kill();
      this.rs.fence(old);
    }
    const asked = this.init.sentinels.filter((s) => s.name !== old && s.running());
    let lastErr = '';
    for (const s of asked) {
      try {
        await adminCall(s.endpoint.host, s.endpoint.port, ['SENTINEL', 'FAILOVER', 'faultline'], 3000);
        lastErr = '';
        break;
      } catch (e) {
        lastErr = (e as Error).message;
      }
    }
    // "INPROG" (a failover already running) or "NOGOODSLAVE" are reported unless the view changes anyway.
    const end = Date.now() + 15_000;
    while (this.rs.current === old) {
      if (Date.now() > end) {
        throw new Error(
          `redis failover: the sentinels still name ${old} 15 s after SENTINEL FAILOVER${lastErr ? ` (${lastErr})` : ''}; ` +
            `log of the sentinel on ${asked[0]?.name}:\n${await asked[0]?.logTail()}`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
      await this.view!.poll();
    }
    if (fence) this.rs.fence(old);
    return { promoted: this.rs.current, old };
  }

  describe(): Record<string, unknown> {
    return {
      database: 'redis',
      version: this.init.version,
      nodes: this.rs.all().map((s) => ({ name: s.name, ip: s.ip, role: this.roles().get(s.name), dir: s.dir, log: s.logFile })),
      primary: this.rs.current,
      replication: this.init.mode,
      wait: this.init.mode === 'wait' ? `WAIT ${this.rs.size - 1} (every replica); min-replicas-to-write ${this.rs.size - 1}, min-replicas-max-lag 1` : 'none',
      sentinel: this.view
        ? {
            sentinels: this.init.sentinels.map((s) => s.name),
            quorum: Math.floor(this.init.sentinels.length / 2) + 1,
            downAfterMs: 1000,
            failoverTimeoutMs: 3000,
          }
        : false,
      persistence: 'appendonly yes, appendfsync everysec, no RDB snapshots',
      reads: this.init.reads,
      workload: this.init.workload,
    };
  }

  /** Every redis-server and redis-sentinel process of the cluster, for leak checks. */
  async pids(): Promise<number[]> {
    return (await Promise.all([...this.rs.all(), ...this.init.sentinels].map((s) => s.pids()))).flat();
  }

  teardown(): Promise<void> {
    this.tearing ??= (async () => {
      this.view?.stop();
      await Promise.all([...this.clients].map((c) => c.close()));
      await Promise.all(this.init.sentinels.map((s) => s.stop()));
      await Promise.all(this.rs.all().map((s) => s.stop()));
    })();
    return this.tearing;
  }
}
