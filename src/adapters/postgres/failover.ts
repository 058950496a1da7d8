import type { Answer } from '../failover-choice.js';
import { parseLsn } from './lsn.js';
import type { PgServer } from './server.js';
import { PORT } from './settings.js';
import { adminQuery } from './sql.js';

/**
 * How much WAL a standby received (pg_last_wal_receive_lsn, or the replay position when it never
 * streamed, whichever reaches further), or undefined when it does not answer within 2 s.
 */
export async function walPosition(s: PgServer): Promise<Answer | undefined> {
  try {
    const r = await adminQuery<{ recv: string | null; replay: string | null }>(
      s.node.endpoint(PORT),
      'SELECT pg_last_wal_receive_lsn()::text AS recv, pg_last_wal_replay_lsn()::text AS replay',
      [],
      2000,
    );
    const recv = parseLsn(r.rows[0]?.recv),
      replay = parseLsn(r.rows[0]?.replay);
    const useRecv = recv !== undefined && (replay === undefined || recv >= replay);
    const at = useRecv ? recv : replay;
    return at === undefined ? undefined : { at, text: (useRecv ? r.rows[0]!.recv : r.rows[0]!.replay)! };
  } catch {
    return undefined;
  }
}
