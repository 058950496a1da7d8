import mysql from 'mysql2/promise';
import { deadlineOrThrow } from '../deadline.js';

export const PORT = 3306;
/** The workload's database and the user clients and replicas connect as (from the run's subnet only). */
export const DATABASE = 'faultline';
export const USER = 'faultline';
/**
 * The user faultline's own process runs admin statements as, over TCP at the node's endpoint (a published
 * port where the host cannot route to nodes, and cannot open a unix socket inside them: Docker Desktop).
 * Every server creates it at each start (--init-file, out of the binlog), from the run's subnet only.
 */
export const ADMIN_USER = 'faultline_admin';

export type MyConn = mysql.Connection;
export type Row = Record<string, unknown>;

/**
 * Where to connect: a node's TCP address as the faultline user (or as ADMIN_USER with `admin`), or its unix
 * socket as root.
 */
export type Target = { host: string; port?: number; admin?: boolean } | { socket: string };

export interface ConnectOptions {
  timeoutMs: number;
}

export async function connect(to: Target, o: ConnectOptions): Promise<MyConn> {
  const common = {
    connectTimeout: Math.max(1, Math.ceil(o.timeoutMs)),
    // cas counts matched rows, not changed ones (an UPDATE that writes the same value still matched).
    flags: ['+FOUND_ROWS'],
    enableKeepAlive: true,
  };
  const c =
    'host' in to
      ? to.admin
        ? await mysql.createConnection({ ...common, host: to.host, port: to.port ?? PORT, user: ADMIN_USER, password: '' })
        : await mysql.createConnection({ ...common, host: to.host, port: to.port ?? PORT, user: USER, password: '', database: DATABASE })
      : await mysql.createConnection({ ...common, socketPath: to.socket, user: 'root', password: '' });
  // An idle connection whose server dies emits 'error'; without a listener that would crash the process.
  c.on('error', () => {
    /* the next query on it fails and is mapped there */
  });
  return c;
}

/** Drops the socket at once (end() would wait for a reply a paused server never sends). */
export function destroy(c: MyConn): void {
  try {
    c.destroy();
  } catch {
    /* already closed */
  }
}

/**
 * One admin statement on a fresh connection, bounded by timeoutMs end to end: as ADMIN_USER at a node's
 * endpoint (MyServer.admin, what the adapter uses), or as root over a unix socket path (tests on the host).
 */
export async function adminQuery<R extends Row = Row>(
  to: string | { host: string; port: number },
  text: string,
  params: unknown[] = [],
  timeoutMs = 5000,
): Promise<R[]> {
  let conn: MyConn | undefined;
  let over = false;
  const where = typeof to === 'string' ? to : `${to.host}:${to.port}`;
  const work = (async () => {
    const c = await connect(typeof to === 'string' ? { socket: to } : { ...to, admin: true }, { timeoutMs });
    if (over) {
      destroy(c);
      throw new Error('connected after the deadline');
    }
    conn = c;
    const [rows] = await c.query(text, params);
    return (Array.isArray(rows) ? rows : []) as R[];
  })();
  try {
    return await deadlineOrThrow(work, timeoutMs, () => new Error(`query on ${where} timed out after ${timeoutMs} ms: ${text}`));
  } finally {
    over = true;
    if (conn) destroy(conn);
  }
}
