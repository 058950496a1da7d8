/**
 * MariaDB and MySQL differ in replication statements, GTID variables and semi-sync plugins. Every
 * difference lives in this one table. Only the MariaDB column is tested (Debian ships MariaDB 10.11 and
 * no MySQL server); the MySQL 8.x column follows the MySQL 8.0.23+ manual and is UNTESTED.
 */
export type Flavour = 'mariadb' | 'mysql';

/** Semi-sync commits wait this long (ms) for a replica's ack before silently degrading to async: 1 h, i.e. never in a run. */
export const SEMI_SYNC_TIMEOUT_MS = 3_600_000;

export interface FlavourSql {
  /** Server arguments every node gets (GTID mode). */
  gtidArgs: readonly string[];
  /**
   * Server arguments for semi-sync on every node. The waiting side is turned on only on the primary
   * (semiSyncPrimaryVar, at start or promotion): a replica writes what it applies to its own binlog
   * (log_slave_updates), and with it on would wait for an ack from replicas it does not have.
   */
  semiSyncArgs: readonly string[];
  /** Server arguments of a read-only node (replica). */
  readOnlyArgs: readonly string[];
  /** Statements that make a promoted replica writable. */
  makeWritable: readonly string[];
  changePrimary(host: string, port: number, user: string): string;
  startReplica: string;
  stopReplica: string;
  stopIoThread: string;
  resetReplicaAll: string;
  showReplicaStatus: string;
  /** Column of showReplicaStatus with what the replica RECEIVED (relay log), and the flags of its threads. */
  receivedColumn: string;
  ioRunningColumn: string;
  sqlRunningColumn: string;
  lastErrorColumns: readonly string[];
  /** What this node has applied (a replica) or written (a primary), as a GTID position / set. */
  appliedPosition: string;
  /** Waits (seconds) until this node applied a position / set; returns -1 on timeout. */
  waitApplied: string;
  /** Status variable counting the replicas acknowledging semi-sync on a primary. */
  semiSyncClientsStatus: string;
  /** Global variable turning semi-sync waiting on or off on a primary. */
  semiSyncPrimaryVar: string;
  semiSyncReplicaStatus: string;
  /** Global variable turning a replica's semi-sync acknowledgements on or off (read when its IO thread connects). */
  semiSyncReplicaVar: string;
  startIoThread: string;
}

/** How far a GTID position (MariaDB 'd-s-n,...') or set (MySQL 'uuid:1-n,...') reaches: comparable within one cluster. */
export function progress(flavour: Flavour, pos: string | null | undefined): number {
  if (!pos) return 0;
  let total = 0;
  if (flavour === 'mariadb') {
    // With gtid_strict_mode, seq_no grows by one per transaction in a domain; we use one domain (0).
    for (const part of pos.split(',')) {
      const n = Number(part.trim().split('-')[2]);
      if (Number.isFinite(n)) total += n;
    }
    return total;
  }
  for (const m of pos.replace(/\s+/g, '').matchAll(/:(\d+)(?:-(\d+))?/g)) total += Number(m[2] ?? m[1]) - Number(m[1]) + 1;
  return total;
}

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

export const FLAVOURS: Readonly<Record<Flavour, FlavourSql>> = {
  mariadb: {
    // log_warnings=1: no 'Aborted connection' line each time our admin connections drop their socket.
    gtidArgs: ['--gtid-strict-mode=1', '--log-warnings=1'],
    semiSyncArgs: [
      // Built into MariaDB >= 10.3: no plugin to load.
      '--rpl-semi-sync-slave-enabled=1',
      // AFTER_SYNC: no session sees a commit before a replica has it (AFTER_COMMIT would let a read see
      // a write that a failover then loses).
      '--rpl-semi-sync-master-wait-point=AFTER_SYNC',
      `--rpl-semi-sync-master-timeout=${SEMI_SYNC_TIMEOUT_MS}`,
    ],
    readOnlyArgs: ['--read-only=1'],
    makeWritable: ['SET GLOBAL read_only = 0'],
    changePrimary: (host, port, user) =>
      `CHANGE MASTER TO MASTER_HOST=${quote(host)}, MASTER_PORT=${port}, MASTER_USER=${quote(user)}, ` +
      "MASTER_PASSWORD='', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1, MASTER_HEARTBEAT_PERIOD=1",
    startReplica: 'START SLAVE',
    stopReplica: 'STOP SLAVE',
    stopIoThread: 'STOP SLAVE IO_THREAD',
    resetReplicaAll: 'RESET SLAVE ALL',
    showReplicaStatus: 'SHOW SLAVE STATUS',
    receivedColumn: 'Gtid_IO_Pos',
    ioRunningColumn: 'Slave_IO_Running',
    sqlRunningColumn: 'Slave_SQL_Running',
    lastErrorColumns: ['Last_IO_Error', 'Last_SQL_Error'],
    appliedPosition: 'SELECT @@gtid_current_pos AS pos',
    waitApplied: 'SELECT MASTER_GTID_WAIT(?, ?) AS r',
    semiSyncClientsStatus: 'Rpl_semi_sync_master_clients',
    semiSyncPrimaryVar: 'rpl_semi_sync_master_enabled',
    semiSyncReplicaStatus: 'Rpl_semi_sync_slave_status',
    semiSyncReplicaVar: 'rpl_semi_sync_slave_enabled',
    startIoThread: 'START SLAVE IO_THREAD',
  },
  mysql: {
    gtidArgs: ['--gtid-mode=ON', '--enforce-gtid-consistency=ON'],
    semiSyncArgs: [
      '--plugin-load-add=semisync_source.so',
      '--plugin-load-add=semisync_replica.so',
      '--rpl-semi-sync-replica-enabled=1',
      '--rpl-semi-sync-source-wait-point=AFTER_SYNC',
      `--rpl-semi-sync-source-timeout=${SEMI_SYNC_TIMEOUT_MS}`,
    ],
    readOnlyArgs: ['--read-only=1', '--super-read-only=1'],
    makeWritable: ['SET GLOBAL super_read_only = 0', 'SET GLOBAL read_only = 0'],
    changePrimary: (host, port, user) =>
      `CHANGE REPLICATION SOURCE TO SOURCE_HOST=${quote(host)}, SOURCE_PORT=${port}, SOURCE_USER=${quote(user)}, ` +
      "SOURCE_PASSWORD='', SOURCE_AUTO_POSITION=1, SOURCE_CONNECT_RETRY=1, SOURCE_HEARTBEAT_PERIOD=1, GET_SOURCE_PUBLIC_KEY=1",
    startReplica: 'START REPLICA',
    stopReplica: 'STOP REPLICA',
    stopIoThread: 'STOP REPLICA IO_THREAD',
    resetReplicaAll: 'RESET REPLICA ALL',
    showReplicaStatus: 'SHOW REPLICA STATUS',
    receivedColumn: 'Retrieved_Gtid_Set',
    ioRunningColumn: 'Replica_IO_Running',
    sqlRunningColumn: 'Replica_SQL_Running',
    lastErrorColumns: ['Last_IO_Error', 'Last_SQL_Error'],
    appliedPosition: 'SELECT @@gtid_executed AS pos',
    waitApplied: 'SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?) AS r',
    semiSyncClientsStatus: 'Rpl_semi_sync_source_clients',
    semiSyncPrimaryVar: 'rpl_semi_sync_source_enabled',
    semiSyncReplicaStatus: 'Rpl_semi_sync_replica_status',
    semiSyncReplicaVar: 'rpl_semi_sync_replica_enabled',
    startIoThread: 'START REPLICA IO_THREAD',
  },
};
