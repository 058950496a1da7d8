import type { Redis } from 'ioredis';
import { withDeadline } from '../deadline.js';
import type { Client, Completion, ReadRouting } from '../types.js';
import { connect } from './conn.js';
import { certainlyNotApplied, connectionSurvives, errorText, type Phase } from './errors.js';
import type { OpResult, WaitFor, WorkloadOps } from './workloads.js';

/** What a client asks the database about where to send an op, at each (re)connect. */
export interface Routing {
  /** The primary as faultline (or, with Sentinel, the sentinels' newest view) sees it now. */
  primary(): string;
  readable(reads: ReadRouting): string[];
  /** Where a client connects for `node` (a proxy's address when DbOptions.clientAddress is set). */
  address(node: string): { host: string; port: number };
  /** Replicas a write waits for (`wait` mode), or undefined. */
  waitReplicas(): number | undefined;
}

interface Conn {
  node: string;
  r?: Redis;
  dead: boolean;
}

/** WAIT gives up a little before our own timer, so a short count is reported as such, not as a timeout. */
const WAIT_FRACTION = 0.8;

/**
 * One session, like the Postgres client: writes go to the primary the session found when it last
 * connected and stay there while that connection lives (after a failover, a client of the old primary
 * keeps writing to it until it is demoted: READONLY, or Sentinel's CLIENT KILL, then it reconnects and
 * asks again). Reads go to the primary connection or to the session's replica.
 */
export class RedisClient implements Client {
  private write?: Conn;
  private read?: Conn;
  private pending?: Conn;

  constructor(
    private readonly routing: Routing,
    private readonly ops: WorkloadOps,
    private readonly reads: ReadRouting,
    private readonly session: number,
    private readonly onClose: (c: RedisClient) => void,
  ) {}

  invoke(f: string, value: unknown, timeoutMs: number, callerTimesOut = false): Promise<Completion> {
    const isWrite = this.ops.writes.has(f);
    const useWrite = isWrite || this.reads === 'primary';
    // The common case under the interpreter (which owns the timeout and closes this client when it
    // fires): the session's connection is open and ready, so the op is one command with no timer,
    // async frame or race of its own (this runs for every op of a run; a timer per op cost more than
    // the rest of the client). Anything else takes the general path below, with the same outcomes.
    if (callerTimesOut) {
      const conn = useWrite ? this.write : this.read;
      if (conn && !conn.dead && conn.r?.status === 'ready') return this.send(conn, isWrite, f, value, timeoutMs);
    }
    return this.connectAndSend(isWrite, useWrite, f, value, timeoutMs);
  }

  /** One op on an open, ready connection: the 'sent' phase of connectAndSend, with the same outcomes. */
  private send(conn: Conn, isWrite: boolean, f: string, value: unknown, timeoutMs: number): Promise<Completion> {
    const wait = isWrite ? this.waitFor(timeoutMs) : undefined;
    return this.ops.run(conn.r!, f, value, wait).then(
      (r) => withNode(r, conn.node),
      (e) => {
        if (!connectionSurvives(e)) this.drop(conn);
        return this.complete(isWrite, certainlyNotApplied(e, 'sent'), value, errorText(e), conn.node);
      },
    );
  }

  private waitFor(timeoutMs: number): WaitFor | undefined {
    const replicas = this.routing.waitReplicas();
    return replicas === undefined ? undefined : { replicas, timeoutMs: Math.max(1, Math.floor(timeoutMs * WAIT_FRACTION)) };
  }

  private connectAndSend(isWrite: boolean, useWrite: boolean, f: string, value: unknown, timeoutMs: number): Promise<Completion> {
    let phase: Phase = 'connect';
    let conn: Conn | undefined;
    let node = '';
    const wait = this.waitFor(timeoutMs);
    const work = (async () => {
      conn = useWrite ? await this.writeConn(timeoutMs) : await this.readConn(timeoutMs);
      node = conn.node;
      // ioredis without an offline queue refuses a command on a socket that is not ready, before writing.
      if (conn.r!.status !== 'ready') throw new NotReady(`connection to ${node} is ${conn.r!.status}`);
      phase = 'sent';
      return this.ops.run(conn.r!, f, value, isWrite ? wait : undefined);
    })();
    return withDeadline(work, timeoutMs, {
      ok: (r) => withNode(r, node),
      failed: (e) => {
        node ||= this.pending?.node ?? '';
        if (!conn) this.drop(this.pending);
        else if (!connectionSurvives(e)) this.drop(conn);
        const certain = e instanceof NotReady || certainlyNotApplied(e, phase);
        return this.complete(isWrite, certain, value, errorText(e), node);
      },
      timedOut: () => {
        node ||= this.pending?.node ?? '';
        this.drop(conn ?? this.pending);
        const error = `timed out after ${timeoutMs} ms (${phase === 'connect' ? 'connecting, nothing sent' : 'command sent'})`;
        return this.complete(isWrite, phase === 'connect', value, error, node);
      },
    });
  }

  private complete(isWrite: boolean, certain: boolean, value: unknown, error: string, node: string): Completion {
    const type = !isWrite || certain ? 'fail' : 'info';
    return node ? { type, value, error, node } : { type, value, error };
  }

  private async open(node: string, timeoutMs: number): Promise<Conn> {
    const c: Conn = { node, dead: false };
    this.pending = c;
    const a = this.routing.address(node);
    const r = await connect(a.host, a.port, timeoutMs);
    if (c.dead) {
      r.disconnect();
      throw new Error(`connection to ${node} completed after the op gave up`);
    }
    c.r = r;
    r.on('close', () => {
      c.dead = true;
    });
    r.on('end', () => {
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
    if (nodes.length === 0) throw new NotReady(`no node to read from (reads: ${this.reads})`);
    const target = nodes[this.session % nodes.length]!;
    if (this.write && !this.write.dead && this.write.node === target) return this.write;
    this.read = await this.open(target, timeoutMs);
    return this.read;
  }

  private drop(c: Conn | undefined): void {
    if (!c) return;
    c.dead = true;
    c.r?.disconnect();
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

/** An op's result with the node that answered. */
function withNode(r: OpResult, node: string): Completion {
  return r.type === 'ok' ? { type: 'ok', value: r.value, node } : { type: r.type, value: r.value, error: r.error, node };
}

/** Raised before anything was sent. */
class NotReady extends Error {}
