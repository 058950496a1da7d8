import { parseLsn } from './lsn.js';
import type { PgServer } from './server.js';
import { adminQuery } from './sql.js';

/**
 * The standby that received the most WAL (pg_last_wal_receive_lsn, or the replay position when it never
 * streamed): promoting it loses the fewest commits, and under `sync` none that were acknowledged.
 * Standbys that do not answer within 2 s are skipped; none answering is an error naming the candidates.
 */
export async function mostAdvanced(candidates: readonly PgServer[]): Promise<string> {
  const positions = await Promise.all(candidates.map(async (s) => {
    try {
      const r = await adminQuery<{ recv: string | null; replay: string | null }>(s.node.ip,
        'SELECT pg_last_wal_receive_lsn()::text AS recv, pg_last_wal_replay_lsn()::text AS replay', [], 2000);
      const recv = parseLsn(r.rows[0]?.recv), replay = parseLsn(r.rows[0]?.replay);
      const at = recv === undefined ? replay : replay === undefined ? recv : (recv > replay ? recv : replay);
      return at === undefined ? undefined : { name: s.name, at };
    } catch { return undefined; }
  }));
  const answered = positions.filter((p): p is { name: string; at: bigint } => p !== undefined);
  if (answered.length === 0) {
    throw new Error(`postgres failover: no standby to promote (running standbys: ${candidates.map((s) => s.name).join(', ') || 'none'}; none answered with its WAL position)`);
  }
  return answered.reduce((a, b) => (b.at > a.at ? b : a)).name;
}
