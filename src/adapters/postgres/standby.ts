import type { DbOptions } from '../types.js';
import type { PgServer } from './server.js';
import { faultlineConf, PORT, type Replication } from './settings.js';

/**
 * Clones `from` into the (empty) data dir of `s` and starts it as a streaming standby. The base backup
 * creates the standby's slot on the primary (-C -S) so the primary keeps the WAL it still needs. We write
 * standby.signal and faultline.conf ourselves instead of -R, whose postgresql.auto.conf would override
 * the primary_conninfo that failover rewrites. `copyMs` bounds the base backup.
 */
export async function cloneStandby(s: PgServer, from: PgServer, mode: Replication, via?: DbOptions['replicationAddress'], copyMs = 60_000): Promise<void> {
  await s.asPostgres(
    [
      s.bin('pg_basebackup'),
      '-h',
      from.node.ip,
      '-p',
      String(PORT),
      '-U',
      'postgres',
      '-D',
      s.data,
      '-C',
      '-S',
      s.name,
      '-X',
      'stream',
      '--checkpoint=fast',
      '--no-sync',
    ],
    copyMs,
  );
  await s.writeDataFile('standby.signal', '');
  await s.writeDataFile('faultline.conf', faultlineConf({ mode, upstream: { ...(await upstreamOf(s, from, via)), slot: s.name, appName: s.name } }));
  await s.start();
  await s.waitReady();
}

/** Where standby `s` streams from to reach `from`: directly, or through the proxy `via` gives. */
export async function upstreamOf(s: PgServer, from: PgServer, via?: DbOptions['replicationAddress']): Promise<{ host: string; port: number }> {
  const direct = { host: from.node.ip, port: PORT };
  return via ? via(s.name, direct) : direct;
}
