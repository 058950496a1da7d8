/**
 * MariaDB multi-source replication for the multi-leader topology (src/adapters/mysql/multi-leader.ts): the
 * statements, and the pure rule that judges a cluster's replication healthy, still catching up, or stopped.
 *
 * Every node writes its own GTID domain (node index + 1) and replicates from every other node over one named
 * connection each. With log_slave_updates a node's binlog also holds what it applied from the others, so from
 * three nodes on each event arrives more than once (directly, and relayed by a third node): gtid_ignore_duplicates
 * applies the first copy of each GTID and skips the others (without it gtid_strict_mode stops the second copy as
 * out of order). Filtering each connection to its source's domain (DO_DOMAIN_IDS) instead lost events here:
 * a node killed -9 while a write was in flight came back with its gtid_slave_pos past rows it never applied
 * (3 of 7 tries, MariaDB 10.11.19, 3 nodes); with gtid_ignore_duplicates, 0 of 5.
 */

/** A node's GTID domain: its index in the cluster + 1 (domain 0 is no node's, so a stray event shows). */
export const domainOf = (index: number): number => index + 1;

/**
 * A multi-leader node's server arguments on top of the shared ones (settings.ts serverArgs: binlog,
 * log_slave_updates, ROW format, slave_net_timeout=5, gtid_strict_mode): its domain, gtid_ignore_duplicates
 * (see above), and slave_exec_mode=STRICT, MariaDB's default, said explicitly: a row event that conflicts with
 * a local write (1062 duplicate key, 1032 row not found) stops that connection's SQL thread, where IDEMPOTENT
 * would silently skip it and hide the conflict.
 */
export function multiLeaderArgs(index: number): string[] {
  return [`--gtid-domain-id=${domainOf(index)}`, '--slave-exec-mode=STRICT', '--gtid-ignore-duplicates=1'];
}

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/**
 * Points `connection` (named after its source node) at the source, from this node's GTID position; it
 * reconnects every second (MASTER_CONNECT_RETRY=1: else 60 s after the source restarts or a partition heals),
 * with a heartbeat each second so slave_net_timeout (5 s) notices a dead link.
 */
export function changeMasterSql(connection: string, host: string, port: number, user: string): string {
  return (
    `CHANGE MASTER ${quote(connection)} TO MASTER_HOST=${quote(host)}, MASTER_PORT=${port}, MASTER_USER=${quote(user)}, ` +
    `MASTER_PASSWORD='', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1, MASTER_HEARTBEAT_PERIOD=1`
  );
}

export const START_ALL = 'START ALL SLAVES';
export const SHOW_ALL = 'SHOW ALL SLAVES STATUS';
/** What a node wrote (every domain it logged) and what it applied from its sources. */
export const POSITIONS = 'SELECT @@gtid_binlog_pos AS binlog, @@gtid_slave_pos AS applied';

/** One replication connection of a node, as SHOW ALL SLAVES STATUS says. */
export interface LinkStatus {
  connection: string;
  io: string;
  sql: string;
  ioError: string;
  sqlError: string;
}

/** One row of SHOW ALL SLAVES STATUS as a LinkStatus ('Errno: text' for an error, '' for none). */
export function linkStatus(row: Record<string, unknown>): LinkStatus {
  const str = (k: string) => String(row[k] ?? '');
  const err = (no: string, text: string) => (Number(row[no] ?? 0) !== 0 || str(text) ? `${str(no)}: ${str(text)}` : '');
  return {
    connection: str('Connection_name'),
    io: str('Slave_IO_Running'),
    sql: str('Slave_SQL_Running'),
    ioError: err('Last_IO_Errno', 'Last_IO_Error'),
    sqlError: err('Last_SQL_Errno', 'Last_SQL_Error'),
  };
}

/** A node's replication state at one moment. */
export interface NodeSnapshot {
  node: string;
  domain: number;
  /** @@gtid_binlog_pos: the last GTID of each domain in its binlog. */
  binlog: string;
  /** @@gtid_slave_pos: the last GTID of each domain it applied from a source. */
  applied: string;
  links: LinkStatus[];
}

/** The sequence number a MariaDB GTID position ('d-s-n,d-s-n') reaches in `domain`; 0 when it has none. */
export function seqOf(pos: string, domain: number): number {
  let seq = 0;
  for (const part of pos.split(',')) {
    const [d, , n] = part.trim().split('-');
    if (Number(d) === domain && Number.isFinite(Number(n))) seq = Math.max(seq, Number(n));
  }
  return seq;
}

export type Verdict = { state: 'healthy' } | { state: 'waiting'; why: string[] } | { state: 'stopped'; why: string[] };

/**
 * The multi-leader health rule: every node has a connection to each of its `sources`, with both threads
 * running, and has applied each source's domain up to what that source has in its binlog. A thread that
 * stopped with an error (a SQL thread on a conflicting row event, an IO thread the source refused) is
 * `stopped`: it does not restart by itself, so waiting would only hang the run. A thread still connecting
 * (a partition just healed, a source restarting) is `waiting`.
 */
export function judge(snaps: readonly NodeSnapshot[], sources: (node: string) => readonly string[]): Verdict {
  const by = new Map(snaps.map((s) => [s.node, s]));
  const stopped: string[] = [];
  const waiting: string[] = [];
  for (const x of snaps) {
    for (const src of sources(x.node)) {
      const s = by.get(src);
      const link = x.links.find((l) => l.connection === src);
      if (!s || !link) {
        waiting.push(`${x.node}: no replication connection '${src}'`);
        continue;
      }
      if (link.sql === 'No' && link.sqlError) stopped.push(`${x.node}: replication connection '${src}' stopped applying (SQL thread): ${link.sqlError}`);
      if (link.io === 'No' && link.ioError) stopped.push(`${x.node}: replication connection '${src}' stopped receiving (IO thread): ${link.ioError}`);
      if (link.io !== 'Yes' || link.sql !== 'Yes') {
        const err = [link.ioError, link.sqlError].filter(Boolean).join('; ');
        waiting.push(`${x.node}: connection '${src}' io ${link.io || '?'}, sql ${link.sql || '?'}${err ? ` (${err})` : ''}`);
        continue;
      }
      const want = seqOf(s.binlog, s.domain);
      const at = seqOf(x.applied, s.domain);
      if (at < want) waiting.push(`${x.node}: applied ${src}'s domain ${s.domain} up to ${at} of ${want}`);
    }
  }
  if (stopped.length > 0) return { state: 'stopped', why: stopped };
  return waiting.length > 0 ? { state: 'waiting', why: waiting } : { state: 'healthy' };
}
