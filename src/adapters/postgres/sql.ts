import pg from 'pg';
import { deadlineOrThrow } from '../deadline.js';
import { PORT } from './settings.js';

export type PgConn = pg.Client;

export interface ConnectOptions {
  timeoutMs: number;
  statementTimeoutMs?: number;
  appName?: string;
  port?: number;
}

/** A connection to one node's postgres database as the postgres superuser (trust auth inside the run). */
export async function connect(host: string, o: ConnectOptions): Promise<PgConn> {
  const c = new pg.Client({
    host,
    port: o.port ?? PORT,
    user: 'postgres',
    database: 'postgres',
    connectionTimeoutMillis: Math.max(1, Math.ceil(o.timeoutMs)),
    statement_timeout: o.statementTimeoutMs,
    application_name: o.appName ?? 'faultline',
    keepAlive: true,
  });
  // An idle connection whose server dies emits 'error'; without a listener that would crash the process.
  c.on('error', () => {
    /* the next query on it fails and is mapped there */
  });
  try {
    await c.connect();
  } catch (e) {
    destroy(c);
    throw e;
  }
  return c;
}

/** Drops the socket at once (end() would wait for a reply a paused server never sends). */
export function destroy(c: PgConn): void {
  const stream = (c as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream;
  try {
    stream?.destroy();
  } catch {
    /* already closed */
  }
  c.end().catch(() => {
    /* closed */
  });
}

/** One admin query on a fresh connection to `to` (a node's endpoint(PORT)), bounded by timeoutMs end to end. */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  to: { host: string; port: number },
  text: string,
  params: unknown[] = [],
  timeoutMs = 5000,
): Promise<pg.QueryResult<R>> {
  let conn: PgConn | undefined;
  let over = false;
  const work = (async () => {
    const c = await connect(to.host, { port: to.port, timeoutMs, statementTimeoutMs: timeoutMs });
    if (over) {
      destroy(c);
      throw new Error('connected after the deadline');
    }
    conn = c;
    return c.query<R>(text, params);
  })();
  try {
    return await deadlineOrThrow(work, timeoutMs, () => new Error(`query on ${to.host}:${to.port} timed out after ${timeoutMs} ms: ${text}`));
  } finally {
    over = true;
    if (conn) destroy(conn);
  }
}
