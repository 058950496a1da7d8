import { withDeadline } from '../deadline.js';
import { txnCertainlyNotApplied, txnErrorText, txnProgress, type TxnProgress } from '../txn.js';
import type { Client, Completion, ReadRouting } from '../types.js';
import { certainlyNotApplied, connectionSurvives, errorText, type Phase } from './errors.js';
import { connect, destroy, type PgConn } from './sql.js';
import type { OpResult, WorkloadSql } from './workloads.js';

/** What a client asks the database about where to send an op, at each (re)connect. */
export interface Routing {
  primary(): string;
  /** Nodes a session may read from for this routing, in a stable order (the session indexes into it). */
  readable(reads: ReadRouting): string[];
  ip(node: string): string;
  /** The client port of the node (a fault proxy's port when one is in the path); PORT when absent. */
  port?(node: string): number;
}

interface Conn {
  node: string;
  pg: PgConn;
  dead: boolean;
  stmtTimeoutMs: number;
}

/** An op's result with the node that answered. */
function withNode(r: OpResult, node: string): Completion {
  return r.type === 'ok' ? { type: 'ok', value: r.value, node } : { type: r.type, value: r.value, error: r.error, node };
}

/** Server-side statement_timeout sits just above our timer, so our timer decides (and says info) first. */
const SERVER_TIMEOUT_MARGIN_MS = 250;

/**
 * One session. Writes go to the primary the session picked when it last connected, and stay there
 * while that connection lives: after a fenced failover the old primary is dead, so the next op
 * reconnects to the new one; after an unfenced failover (split brain) a session keeps writing to the
 * old primary until its connection breaks. Reads go where `reads` says: the primary connection,
 * or the session's node among the readable ones (session number modulo their count).
 */
export class PgClient implements Client {
  private write?: Conn;
  private read?: Conn;

  constructor(
    private readonly routing: Routing,
    private readonly workload: WorkloadSql,
    private readonly reads: ReadRouting,
    private readonly session: number,
    private readonly onClose: (c: PgClient) => void,
  ) {}

  invoke(f: string, value: unknown, timeoutMs: number, callerTimesOut = false): Promise<Completion> {
    const isWrite = this.workload.writes.has(f);
    const useWrite = isWrite || this.reads === 'primary';
    // The common case: the session's connection is open and has our statement_timeout, so the op
    // is one query; no async frames or races around it (this runs for every op of a run).
    const conn = useWrite ? this.write : this.read;
    if (conn && !conn.dead && conn.stmtTimeoutMs === timeoutMs + SERVER_TIMEOUT_MARGIN_MS) {
      return this.query(conn, isWrite, f, value, timeoutMs, callerTimesOut);
    }
    return this.connectAndQuery(isWrite, useWrite, f, value, timeoutMs, callerTimesOut);
  }

  /** One op on an open connection: the query phase of connectAndQuery, with the same outcomes. */
  private query(conn: Conn, isWrite: boolean, f: string, value: unknown, timeoutMs: number, callerTimesOut: boolean): Promise<Completion> {
    let work: Promise<OpResult>;
    const progress = this.workload.txn ? txnProgress() : undefined;
    try {
      work = this.workload.run(conn.pg, f, value, progress);
    } catch (e) {
      work = Promise.reject(e);
    }
    const failed = (e: unknown): Completion => {
      if (!connectionSurvives(e)) this.drop(conn);
      const stmt = certainlyNotApplied(e, 'query');
      const error = txnErrorText(progress, stmt, errorText(e));
      return this.complete(isWrite, txnCertainlyNotApplied(progress, stmt), value, error, conn.node || (this.pending?.node ?? ''));
    };
    if (callerTimesOut) return work.then((r) => withNode(r, conn.node), failed);
    return withDeadline(work, timeoutMs, {
      ok: (r) => withNode(r, conn.node),
      failed,
      timedOut: () => {
        this.drop(conn);
        return this.timedOut(progress, isWrite, value, timeoutMs, conn.node || (this.pending?.node ?? ''));
      },
    });
  }

  private async connectAndQuery(
    isWrite: boolean,
    useWrite: boolean,
    f: string,
    value: unknown,
    timeoutMs: number,
    callerTimesOut: boolean,
  ): Promise<Completion> {
    let phase: Phase = 'connect';
    let conn: Conn | undefined;
    let node = '';
    const progress = this.workload.txn ? txnProgress() : undefined;
    const work = (async () => {
      conn = useWrite ? await this.writeConn(timeoutMs) : await this.readConn(timeoutMs);
      node = conn.node;
      if (conn.stmtTimeoutMs !== timeoutMs + SERVER_TIMEOUT_MARGIN_MS) {
        // Cannot have effects, so still the connect phase for the error mapping.
        await conn.pg.query(`SET statement_timeout = ${Math.ceil(timeoutMs + SERVER_TIMEOUT_MARGIN_MS)}`);
        conn.stmtTimeoutMs = timeoutMs + SERVER_TIMEOUT_MARGIN_MS;
      }
      phase = 'query';
      return this.workload.run(conn.pg, f, value, progress);
    })();
    const failed = (e: unknown): Completion => {
      node ||= this.pending?.node ?? '';
      if (!conn) this.drop(this.pending);
      else if (!connectionSurvives(e)) this.drop(conn);
      const stmt = certainlyNotApplied(e, phase);
      return this.complete(isWrite, txnCertainlyNotApplied(progress, stmt), value, txnErrorText(progress, stmt, errorText(e)), node);
    };
    // The caller's timer closes this client when it fires, which ends `work` (sockets destroyed).
    if (callerTimesOut) return work.then((r) => withNode(r, node), failed);
    return withDeadline(work, timeoutMs, {
      ok: (r) => withNode(r, node),
      failed,
      timedOut: () => {
        node ||= this.pending?.node ?? '';
        this.drop(conn ?? this.pending);
        if (phase === 'connect') return this.complete(isWrite, true, value, `timed out after ${timeoutMs} ms (connecting, nothing sent)`, node);
        return this.timedOut(progress, isWrite, value, timeoutMs, node);
      },
    });
  }

  /** Our timer fired after the op was sent (the connection is already dropped): a txn without COMMIT sent is rolled back. */
  private timedOut(progress: TxnProgress | undefined, isWrite: boolean, value: unknown, timeoutMs: number, node: string): Completion {
    if (progress) progress.gaveUp = true;
    const what = !progress ? 'statement sent' : progress.commitSent ? 'COMMIT sent' : 'before COMMIT: rolled back';
    return this.complete(isWrite, txnCertainlyNotApplied(progress, false), value, `timed out after ${timeoutMs} ms (${what})`, node);
  }

  /** A read has no effect, so any error is fail; a write is fail only when certainly not applied. */
  private complete(isWrite: boolean, certain: boolean, value: unknown, error: string, node: string): Completion {
    const type = !isWrite || certain ? 'fail' : 'info';
    return node ? { type, value, error, node } : { type, value, error };
  }

  /** The connection being opened when a timeout fires, so the timeout can drop it. */
  private pending?: Conn;

  private async open(node: string, timeoutMs: number): Promise<Conn> {
    const stmt = timeoutMs + SERVER_TIMEOUT_MARGIN_MS;
    const c: Conn = { node, pg: undefined as unknown as PgConn, dead: false, stmtTimeoutMs: stmt };
    this.pending = c;
    c.pg = await connect(this.routing.ip(node), { port: this.routing.port?.(node), timeoutMs, statementTimeoutMs: stmt, appName: `faultline-${this.session}` });
    if (c.dead) {
      destroy(c.pg);
      throw new Error(`connection to ${node} completed after the op gave up`);
    }
    c.pg.on('error', () => {
      c.dead = true;
    });
    c.pg.on('end', () => {
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

  private async readConn(timeoutMs: number): Promise<Conn> {
    if (this.read && !this.read.dead) return this.read;
    const nodes = this.routing.readable(this.reads);
    if (nodes.length === 0) throw new Error(`no node to read from (reads: ${this.reads})`);
    const target = nodes[this.session % nodes.length]!;
    // Share the write connection when both point at the same node.
    if (this.write && !this.write.dead && this.write.node === target) return this.write;
    this.read = await this.open(target, timeoutMs);
    return this.read;
  }

  private drop(c: Conn | undefined): void {
    if (!c) return;
    c.dead = true;
    if (c.pg) destroy(c.pg);
    if (this.write === c) this.write = undefined;
    if (this.read === c) this.read = undefined;
    if (this.pending === c) this.pending = undefined;
  }

  async close(): Promise<void> {
    this.drop(this.write);
    this.drop(this.read);
    this.drop(this.pending);
    this.onClose(this);
  }
}
