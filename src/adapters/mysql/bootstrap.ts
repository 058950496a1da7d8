import type { Cluster } from '../../runtime/types.js';
import type { DbOptions } from '../types.js';
import { mustBinaries } from './bin.js';
import { MyDb } from './db.js';
import { FLAVOURS } from './flavour.js';
import { follow, waitCaughtUp, waitSemiSync } from './replication.js';
import { MyServer, startFresh } from './server.js';
import { REPLICATION_MODES, type Replication } from './settings.js';
import { adminQuery, DATABASE, USER } from './sql.js';
import { ISOLATION, WORKLOADS, workloadSql, type WorkloadSql } from './workloads.js';

/** The run's /24 as a MySQL host pattern ('10.77.3.%'): clients come from the host, replicas from the nodes. */
function subnetPattern(cluster: Cluster): string {
  const parts = cluster.hostIp.split('.');
  if (parts.length !== 4) throw new Error(`mysql: cannot derive a subnet from host address ${cluster.hostIp}`);
  return `${parts.slice(0, 3).join('.')}.%`;
}

/** The options both topologies check first: the replication mode and the workload's SQL, or a refusal saying why. */
export function checkOptions(cluster: Cluster, opts: DbOptions): { mode: Replication; sql: WorkloadSql } {
  const mode = opts.replication as Replication;
  if (!REPLICATION_MODES.includes(mode)) throw new Error(`mysql: replication must be one of ${REPLICATION_MODES.join(', ')}, got '${opts.replication}'`);
  const sql = workloadSql(opts.workload, opts.isolation);
  if (!sql) throw new Error(`mysql: workload must be one of ${Object.keys(WORKLOADS).join(', ')}, got '${opts.workload}'`);
  if (!['primary', 'replicas', 'any'].includes(opts.reads)) throw new Error(`mysql: reads must be primary, replicas or any, got '${opts.reads}'`);
  if (sql.txn && opts.isolation !== undefined && !Object.hasOwn(ISOLATION, opts.isolation))
    throw new Error(`mysql: isolation must be one of ${Object.keys(ISOLATION).join(', ')}, got '${opts.isolation}'`);
  // Every statement of a transaction goes to one node, the primary: reads elsewhere would split it.
  if (sql.txn && opts.reads !== 'primary') throw new Error(`mysql: the ${opts.workload} workload runs each transaction on the primary; reads must be primary`);
  if (cluster.nodes.length < 1) throw new Error('mysql: needs at least one node');
  return { mode, sql };
}

/**
 * The clients' user (from the run's subnet only; replicas connect as it too) and the workload's tables, run on
 * the node every other node first replicates from.
 */
export function userAndSchema(cluster: Cluster, sql: WorkloadSql): string[] {
  const from = subnetPattern(cluster);
  return [
    `CREATE USER '${USER}'@'${from}' IDENTIFIED BY ''`,
    `GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, INDEX, ALTER ON ${DATABASE}.* TO '${USER}'@'${from}'`,
    // Replicas connect as the same user; no SUPER / READ_ONLY ADMIN, so read_only binds the clients.
    `GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '${USER}'@'${from}'`,
    `CREATE DATABASE IF NOT EXISTS ${DATABASE}`,
    ...sql.schema.map((s) => s.replace(/^CREATE TABLE IF NOT EXISTS /, `CREATE TABLE IF NOT EXISTS ${DATABASE}.`)),
  ];
}

/**
 * Copies the install template into every node's data dir and starts all servers at once (replicas
 * read-only); on the primary creates the user (from the run's subnet only) and the workload's tables;
 * points every replica at it by GTID, and waits until they applied all of it (and, for semi-sync, until
 * the primary counts a semi-sync replica). On any failure, stops what it started and rethrows.
 */
export async function bootstrap(cluster: Cluster, opts: DbOptions): Promise<MyDb> {
  const { mode, sql } = checkOptions(cluster, opts);
  // Every node runs the same installation: found once, on the first node.
  const bins = await mustBinaries(cluster.nodes[0]!);

  const servers = cluster.nodes.map((n, i) => new MyServer(n, i + 1, bins, mode, i > 0));
  const [p, ...rest] = servers as [MyServer, ...MyServer[]];
  try {
    await startFresh(servers);
    // The schema's own commits must not wait for a semi-sync ack from replicas that are not there yet.
    const semi = mode === 'semi-sync' && rest.length > 0;
    const semiVar = FLAVOURS[bins.flavour].semiSyncPrimaryVar;
    if (semi) await adminQuery(p.admin, `SET GLOBAL ${semiVar} = 0`);
    for (const stmt of userAndSchema(cluster, sql)) await adminQuery(p.admin, stmt, [], 10_000);
    await Promise.all(rest.map((s) => follow(s, p, bins.flavour, opts.replicationAddress)));
    await waitCaughtUp(p, rest, bins.flavour);
    if (semi) {
      await adminQuery(p.admin, `SET GLOBAL ${semiVar} = 1`);
      await waitSemiSync(p, bins.flavour);
    }
    // MariaDB 10.11+ has innodb_snapshot_isolation (OFF by default): whether REPEATABLE READ refuses to
    // write a row changed since its snapshot. Recorded, since it decides what that level allows.
    const snap = sql.txn ? await adminQuery<{ Value: string }>(p.admin, "SHOW GLOBAL VARIABLES LIKE 'innodb_snapshot_isolation'") : [];
    return new MyDb({
      cluster,
      servers,
      bins,
      mode,
      reads: opts.reads,
      workload: opts.workload,
      ...(sql.txn ? { isolation: opts.isolation ?? 'serializable' } : {}),
      ...(snap[0] ? { innodbSnapshotIsolation: snap[0].Value } : {}),
      sql,
      clientAddress: opts.clientAddress,
      replicationAddress: opts.replicationAddress,
    });
  } catch (e) {
    await Promise.allSettled(servers.map((s) => s.stop(2000)));
    throw new Error(`mysql: setting up ${servers.length} node(s) (${mode}) failed: ${(e as Error).message}`, { cause: e });
  }
}
