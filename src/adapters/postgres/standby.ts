import { pgBin } from './bin.js';
import type { PgServer } from './server.js';
import { faultlineConf, PORT, type Replication } from './settings.js';

/**
 * Clones `from` into the (empty) data dir of `s` and starts it as a streaming standby. The base backup
 * creates the standby's slot on the primary (-C -S) so the primary keeps the WAL it still needs. We write
 * standby.signal and faultline.conf ourselves instead of -R, whose postgresql.auto.conf would override
 * the primary_conninfo that failover rewrites.
 */
export async function cloneStandby(s: PgServer, from: PgServer, mode: Replication): Promise<void> {
  await s.asPostgres([pgBin('pg_basebackup'), '-h', from.node.ip, '-p', String(PORT), '-U', 'postgres', '-D', s.data,
    '-C', '-S', s.name, '-X', 'stream', '--checkpoint=fast', '--no-sync']);
  await s.writeDataFile('standby.signal', '');
  await s.writeDataFile('faultline.conf', faultlineConf({ mode, upstream: { host: from.node.ip, slot: s.name, appName: s.name } }));
  await s.start();
  await s.waitReady();
}
