import type { RuntimeNode } from '../runtime/types.js';
import type { Answer } from './failover-choice.js';
import type { ReadRouting, Role } from './types.js';

/** The role faultline holds a node in; Db.roles() shows 'down' for a primary or standby that is not running. */
export type Held = 'primary' | 'standby' | 'fenced';

/** What a replica set needs of a server: its node's name, its node, and whether its process runs. */
export interface ReplicaServer {
  readonly name: string;
  readonly node: RuntimeNode;
  running(): boolean;
}

export interface ReplicaSetInit<S extends ReplicaServer> {
  /** The database's name, for errors ("postgres: no node named n9"). */
  db: string;
  /** The servers; the first starts as the primary, the others as its standbys. */
  servers: readonly S[];
  /** The client port on each node. */
  port: number;
  /** Where clients connect instead of the node itself (DbOptions.clientAddress). */
  clientAddress?: (node: string) => { host: string; port: number };
}

/**
 * The role and routing bookkeeping of a single-primary replicated database (Postgres, MySQL, Redis): the
 * servers by name, the role faultline holds each in, which one sessions write to (current), what that
 * primary held when faultline promoted it (the floor), and where a session reads for a ReadRouting. Only
 * bookkeeping: starting, killing and re-pointing servers stays with each Db.
 */
export class ReplicaSet<S extends ReplicaServer> {
  private readonly byName = new Map<string, S>();
  private readonly roleOf = new Map<string, Held>();
  private cur: string;
  private promotedAt?: Answer;

  constructor(private readonly init: ReplicaSetInit<S>) {
    for (const s of init.servers) {
      this.byName.set(s.name, s);
      this.roleOf.set(s.name, 'standby');
    }
    this.cur = init.servers[0]!.name;
    this.roleOf.set(this.cur, 'primary');
  }

  /** The server named `name`; throws for a node the cluster does not have. */
  server(name: string): S {
    const s = this.byName.get(name);
    if (!s) throw new Error(`${this.init.db}: no node named ${name}`);
    return s;
  }

  /** Every server, in the order the cluster was given. */
  all(): S[] {
    return [...this.byName.values()];
  }

  get size(): number {
    return this.byName.size;
  }

  /** The node sessions write to: the primary faultline promoted last (or the first one). */
  get current(): string {
    return this.cur;
  }

  /** What the current primary held when faultline promoted it (failover-choice.ts); undefined for the first primary. */
  get floor(): Answer | undefined {
    return this.promotedAt;
  }

  /** The role faultline holds `name` in, whether or not it runs. */
  held(name: string): Held | undefined {
    return this.roleOf.get(name);
  }

  /** Each node's role: the one held, or 'down' when it is not running; a fenced node stays fenced. */
  roles(): Map<string, Role> {
    const out = new Map<string, Role>();
    for (const [name, role] of this.roleOf) out.set(name, role === 'fenced' ? 'fenced' : this.server(name).running() ? role : 'down');
    return out;
  }

  primary(): RuntimeNode {
    return this.server(this.cur).node;
  }

  /** Standbys of the current primary (fenced nodes and a split-brain old primary are not), by name. */
  standbys(): string[] {
    return this.named((r) => r === 'standby');
  }

  /** Nodes a session may read from for this routing, by name (the session indexes into it). */
  readable(reads: ReadRouting): string[] {
    if (reads === 'primary') return [this.cur];
    if (reads === 'replicas') {
      const s = this.standbys();
      return s.length ? s : [this.cur];
    }
    return this.named((r) => r !== 'fenced');
  }

  /** Where a client connects for `name`: a fault proxy's address when one sits in between, else where the host reaches the node's port. */
  address(name: string): { host: string; port: number } {
    return this.init.clientAddress?.(name) ?? this.server(name).node.endpoint(this.init.port);
  }

  /** Holds `name` in `role` (a rebuilt node back as a standby, a refused failover's old primary back as the primary). */
  setRole(name: string, role: Held): void {
    this.roleOf.set(name, role);
  }

  /** Holds `name` as fenced: no session reads from it, no failover asks it, and roles() shows it fenced. */
  fence(name: string): void {
    this.roleOf.set(name, 'fenced');
  }

  /**
   * Holds `name` as a primary that held `floor` when promoted. Sessions keep going to the old primary
   * until switchTo(name): a Db finishes re-pointing the standbys first.
   */
  promote(name: string, floor: Answer | undefined): void {
    this.roleOf.set(name, 'primary');
    this.promotedAt = floor;
  }

  /** Sessions write to `name` from now on. */
  switchTo(name: string): void {
    this.cur = name;
  }

  /** `name` is the one primary now (someone else, Sentinel, chose it): any other primary becomes a standby, and sessions go to it. */
  takeOver(name: string): void {
    for (const [n, r] of this.roleOf) if (r === 'primary') this.roleOf.set(n, 'standby');
    this.roleOf.set(name, 'primary');
    this.cur = name;
  }

  private named(keep: (r: Held) => boolean): string[] {
    return [...this.roleOf]
      .filter(([, r]) => keep(r))
      .map(([n]) => n)
      .sort();
  }
}
