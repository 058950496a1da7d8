import { withDeadline } from '../deadline.js';
import { txnCertainlyNotApplied, txnErrorText, txnProgress } from '../txn.js';
import type { Client, Completion, ReadRouting } from '../types.js';
import { certainlyNotApplied, connectionSurvives, errorText, type Phase } from './errors.js';
import { connect, destroy, type MyConn } from './sql.js';
import type { WorkloadSql } from './workloads.js';

/** What a client asks the database about where to send an op, at each (re)connect. */
export interface Routing {
  primary(): string;
  /** Nodes a session may read from for this routing, in a stable order (the session indexes into it). */
  readable(reads: ReadRouting): string[];
  /** Where a client connects for `node` (a proxy's address when DbOptions.clientAddress is set). */
  address(node: string): { host: string; port: number };
  /**
   * multi-leader: the node one op goes to (every node takes writes, so a write's node depends on the session
   * and the value, src/adapters/topology.ts). Absent: writes go to primary(), reads by readable().
   */
  target?(isWrite: boolean, session: number, value: unknown): string;
}

interface Conn {
  node: string;
  my?: MyConn;
  dead: boolean;
}

/**
 * One session, routed like the Postgres client: writes go to the primary the session picked when it
 * last connected and stay there while that connection lives (after a fenced failover the old primary is
 * dead, so the next op reconnects to the new one; in split brain a session keeps writing to the old
 * primary until its connection breaks). Reads go to the primary connection, or to the session's node
 * among the readable ones. With Routing.target (multi-leader: every node takes writes) each op goes to the
 * node it names, over one connection per node. The per-op timer decides: on timeout the socket is dropped and
 * the op is info (a write) or fail (a read).
 */
export class MyClient implements Client {
  private write?: Conn;
  private read?: Conn;
  private pending?: Conn;
  /** With Routing.target: one connection per node the session sent an op to. */
  private readonly byNode = new Map<string, Conn>();

  constructor(
    private readonly routing: Routing,
    private readonly workload: WorkloadSql,
    private readonly reads: ReadRouting,
    private readonly session: number,
    private readonly onClose: (c: MyClient) => void,
  ) {}

  async invoke(f: string, value: unknown, timeoutMs: number): Promise<Completion> {
    const isWrite = this.workload.writes.has(f);
    const useWrite = isWrite || this.reads === 'primary';
    let phase: Phase = 'connect';
    let conn: Conn | undefined;
    let node = '';
    const progress = this.workload.txn ? txnProgress() : undefined;
    const work = (async () => {
      const to = this.routing.target?.(isWrite, this.session, value);
      conn = to !== undefined ? await this.nodeConn(to, timeoutMs) : useWrite ? await this.writeConn(timeoutMs) : await this.readConn(timeoutMs);
      node = conn.node;
      phase = 'query';
      return this.workload.run(conn.my!, f, value, progress);
    })();
    return withDeadline(work, timeoutMs, {
      ok: (r): Completion => ({ ...r, node }),
      failed: (e) => {
        node ||= this.pending?.node ?? '';
        if (!conn) this.drop(this.pending);
        else if (!connectionSurvives(e)) this.drop(conn);
        const stmt = certainlyNotApplied(e, phase);
        return this.complete(isWrite, txnCertainlyNotApplied(progress, stmt), value, txnErrorText(progress, stmt, errorText(e)), node);
      },
      timedOut: () => {
        node ||= this.pending?.node ?? '';
        this.drop(conn ?? this.pending);
        // A txn whose COMMIT was not sent yet is rolled back by the server when the connection closes.
        if (progress) progress.gaveUp = true;
        const sent = !progress ? 'statement sent' : progress.commitSent ? 'COMMIT sent' : 'before COMMIT: rolled back';
        const error = `timed out after ${timeoutMs} ms (${phase === 'connect' ? 'connecting, nothing sent' : sent})`;
        return this.complete(isWrite, phase === 'connect' || txnCertainlyNotApplied(progress, false), value, error, node);
      },
    });
  }

  /** A read has no effect, so any error is fail; a write is fail only when certainly not applied. */
  private complete(isWrite: boolean, certain: boolean, value: unknown, error: string, node: string): Completion {
    const type = !isWrite || certain ? 'fail' : 'info';
    return node ? { type, value, error, node } : { type, value, error };
  }

  private async open(node: string, timeoutMs: number): Promise<Conn> {
    const c: Conn = { node, dead: false };
    this.pending = c;
    const my = await connect(this.routing.address(node), { timeoutMs });
    if (c.dead) {
      destroy(my);
      throw new Error(`connection to ${node} completed after the op gave up`);
    }
    c.my = my;
    my.on('error', () => {
      c.dead = true;
    });
    my.on('end', () => {
      c.dead = true;
    });
    this.pending = undefined;
    return c;
  }

  private async writeConn(timeoutMs: number): Promise<Conn> {
    if (this.write && !this.write.dead) return this.write;
    this.write = await this.open(this.routing.primary(), timeoutMs);
    return this.write;
  }

  private async nodeConn(node: string, timeoutMs: number): Promise<Conn> {
    const c = this.byNode.get(node);
    if (c && !c.dead) return c;
    const opened = await this.open(node, timeoutMs);
    this.byNode.set(node, opened);
    return opened;
  }

  private async readConn(timeoutMs: number): Promise<Conn> {
    if (this.read && !this.read.dead) return this.read;
    const nodes = this.routing.readable(this.reads);
    if (nodes.length === 0) throw new Error(`no node to read from (reads: ${this.reads})`);
    const target = nodes[this.session % nodes.length]!;
    if (this.write && !this.write.dead && this.write.node === target) return this.write;
    this.read = await this.open(target, timeoutMs);
    return this.read;
  }

  private drop(c: Conn | undefined): void {
    if (!c) return;
    c.dead = true;
    if (c.my) destroy(c.my);
    if (this.write === c) this.write = undefined;
    if (this.read === c) this.read = undefined;
    if (this.pending === c) this.pending = undefined;
    if (this.byNode.get(c.node) === c) this.byNode.delete(c.node);
  }

  async close(): Promise<void> {
    this.drop(this.write);
    this.drop(this.read);
    this.drop(this.pending);
    for (const c of [...this.byNode.values()]) this.drop(c);
    this.onClose(this);
  }
}
