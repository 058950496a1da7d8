import type { Cluster } from '../../runtime/types.js';
import type { DbOptions } from '../types.js';
import { initialToken } from './config.js';
import { parseConsistency } from './consistency.js';
import { KEYSPACE, WORKLOADS } from './cql.js';
import { CassDb } from './db.js';
import { CASSANDRA_VERSION, findInstall } from './install.js';
import { adminClient, waitServing } from './ready.js';
import { CassServer } from './server.js';
import { shutdownClient } from './shutdown.js';

/**
 * Writes each node's cassandra.yaml (one fixed token, every node a seed), starts every JVM at once
 * (safe: no node bootstraps, tokens are fixed, so nothing streams or waits on another's join), waits for
 * CQL on each, creates the keyspace (RF = nodes) and the workload's table, then waits until every node
 * coordinates a CL=ALL write (so all see all as up). On failure, stops what it started and rethrows.
 */
export async function bootstrap(cluster: Cluster, opts: DbOptions): Promise<CassDb> {
  const consistency = parseConsistency(opts.replication);
  const cql = WORKLOADS[opts.workload];
  if (!cql) throw new Error(`cassandra: workload must be one of ${Object.keys(WORKLOADS).join(', ')}, got '${opts.workload}'`);
  if (!['primary', 'replicas', 'any'].includes(opts.reads)) throw new Error(`cassandra: reads must be primary, replicas or any, got '${opts.reads}'`);
  if (cluster.nodes.length < 1) throw new Error('cassandra: needs at least one node');
  // Every node runs the same installation: found once, on the first node.
  const install = await findInstall(cluster.nodes[0]!);
  if (typeof install === 'string') throw new Error(install);
  const servers = cluster.nodes.map((n) => new CassServer(n, install.java, install.classpath));
  const t0 = Date.now();
  try {
    const seeds = cluster.nodes.map((n) => n.ip);
    await Promise.all(servers.map((s, i) => s.prepare({ seeds, token: initialToken(i, servers.length) })));
    await Promise.all(servers.map((s) => s.start()));
    await Promise.all(servers.map((s) => waitServing(s, servers, 240_000, false)));
    const admin = await adminClient(servers[0]!.node, cluster.nodes);
    try {
      await admin.execute(`CREATE KEYSPACE IF NOT EXISTS ${KEYSPACE} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': ${servers.length}}`);
      await admin.execute(`CREATE TABLE IF NOT EXISTS ${KEYSPACE}.ready (node text PRIMARY KEY, at timestamp)`);
      for (const ddl of cql.schema) await admin.execute(ddl);
    } finally {
      await shutdownClient(admin);
    }
    await Promise.all(servers.map((s) => waitServing(s, servers, 60_000)));
    return new CassDb({
      cluster,
      servers,
      mode: opts.replication,
      consistency,
      reads: opts.reads,
      workload: opts.workload,
      cql,
      version: CASSANDRA_VERSION,
      startupMs: Date.now() - t0,
    });
  } catch (e) {
    await Promise.allSettled(servers.map((s) => s.stop(2000)));
    throw new Error(`cassandra: setting up ${servers.length} node(s) failed: ${(e as Error).message}`, { cause: e });
  }
}
