import type { RuntimeNode } from '../../runtime/types.js';
import { FLAVOURS, type Flavour } from './flavour.js';
import { PORT } from './sql.js';

import type { SyncRule } from '../failover-choice.js';

export const MYSQL_USER = 'mysql';

export type Replication = 'async' | 'semi-sync';
export const REPLICATION_MODES: readonly Replication[] = ['async', 'semi-sync'];

/** Small InnoDB files: a copy of the template is ~80 MB instead of ~115 MB, and the nodes share 2 cores. */
export const INNODB_ARGS = ['--innodb-log-file-size=8M', '--innodb-buffer-pool-size=32M'];

export interface NodePaths {
  data: string;
  socket: string;
  pidFile: string;
}

/**
 * The server's whole configuration, as arguments (--no-defaults: Debian's /etc/mysql files are not read).
 * Durable commits (sync_binlog=1, flush at commit): a primary killed -9 and restarted must not lose
 * binlog events its replicas already have, or gtid_strict_mode stops them. log_slave_updates: a replica's
 * binlog holds the whole history, so after a promotion it can serve a rebuilt node from the start.
 */
export function serverArgs(o: { flavour: Flavour; node: RuntimeNode; serverId: number; paths: NodePaths; mode: Replication; readOnly: boolean }): string[] {
  const f = FLAVOURS[o.flavour];
  return [
    '--no-defaults',
    `--datadir=${o.paths.data}`,
    `--socket=${o.paths.socket}`,
    `--pid-file=${o.paths.pidFile}`,
    `--bind-address=${o.node.ip}`,
    `--port=${PORT}`,
    `--server-id=${o.serverId}`,
    '--log-bin=binlog',
    '--relay-log=relay',
    '--binlog-format=ROW',
    '--log-slave-updates=1',
    '--sync-binlog=1',
    '--innodb-flush-log-at-trx-commit=1',
    '--skip-name-resolve',
    '--max-connections=300',
    // A replica notices a dead link after 5 s without events (heartbeats come every second).
    '--slave-net-timeout=5',
    ...INNODB_ARGS,
    ...f.gtidArgs,
    ...(o.mode === 'semi-sync' ? f.semiSyncArgs : []),
    ...(o.mode === 'semi-sync' && !o.readOnly ? [`--${f.semiSyncPrimaryVar.replace(/_/g, '-')}=1`] : []),
    ...(o.readOnly ? f.readOnlyArgs : []),
  ];
}

/**
 * The failover's quorum rule (src/adapters/failover-choice.ts): semi-sync acknowledges a commit once ONE
 * replica has it in its relay log (MariaDB waits for one ack; MySQL's rpl_semi_sync_source_wait_for_replica_count
 * is left at 1), among every replica of the primary. Undefined under async.
 */
export function semiSyncRule(mode: Replication, standbys: readonly string[]): SyncRule | undefined {
  if (mode !== 'semi-sync') return undefined;
  return { k: 1, standbys, text: `semi-sync (1 ack of ${standbys.join(', ') || 'no replica'})` };
}
