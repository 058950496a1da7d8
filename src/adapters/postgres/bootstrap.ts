import type { Cluster } from '../../runtime/types.js';
import { versionOf } from '../remote.js';
import type { DbOptions } from '../types.js';
import { mustPgBinDir } from './bin.js';
import { PgDb } from './db.js';
import { PgServer } from './server.js';
import { baseConf, faultlineConf, hbaConf, PORT, REPLICATION_MODES, type Replication } from './settings.js';
import { adminQuery } from './sql.js';
import { cloneStandby } from './standby.js';
import { initPrimaryData } from './template.js';
import { ISOLATION, WORKLOADS, workloadSql } from './workloads.js';

/**
 * initdb on the first node (the primary), start it, create the workload's table, clone the other
 * nodes in parallel as standbys, then turn synchronous replication on once every standby streams (so
 * the schema's own commit never waits for a standby that does not exist yet). On any failure, stops
 * what it started and rethrows with what failed.
 */
export async function bootstrap(cluster: Cluster, opts: DbOptions): Promise<PgDb> {
  const mode = opts.replication as Replication;
  if (!REPLICATION_MODES.includes(mode)) throw new Error(`postgres: replication must be one of ${REPLICATION_MODES.join(', ')}, got '${opts.replication}'`);
  const sql = workloadSql(opts.workload, opts.isolation);
  if (!sql) throw new Error(`postgres: workload must be one of ${Object.keys(WORKLOADS).join(', ')}, got '${opts.workload}'`);
  if (!['primary', 'replicas', 'any'].includes(opts.reads)) throw new Error(`postgres: reads must be primary, replicas or any, got '${opts.reads}'`);
  if (sql.txn && opts.isolation !== undefined && !Object.hasOwn(ISOLATION, opts.isolation))
    throw new Error(`postgres: isolation must be one of ${Object.keys(ISOLATION).join(', ')}, got '${opts.isolation}'`);
  // Every statement of a transaction goes to one node, the primary: reads elsewhere would split it.
  if (sql.txn && opts.reads !== 'primary')
    throw new Error(`postgres: the ${opts.workload} workload runs each transaction on the primary; reads must be primary`);
  if (cluster.nodes.length < 1) throw new Error('postgres: needs at least one node');

  // Every node runs the same installation: found once, on the first node.
  const binDir = await mustPgBinDir(cluster.nodes[0]!);
  const servers = cluster.nodes.map((n) => new PgServer(n, binDir));
  const [p, ...rest] = servers as [PgServer, ...PgServer[]];
  try {
    await Promise.all(servers.map((s) => s.makeDirs()));
    const ver = await versionOf(p.node, p.bin('postgres'));
    await initPrimaryData(p, ver);
    await p.writeDataFile('postgresql.conf', baseConf(), true);
    await p.writeDataFile('pg_hba.conf', hbaConf([...cluster.nodes.map((n) => n.ip), cluster.hostIp]));
    await p.writeDataFile('faultline.conf', faultlineConf({ mode, standbys: [] }));
    await p.start();
    await p.waitReady();
    await adminQuery(p.node.endpoint(PORT), sql.schema);
    await Promise.all(rest.map((s) => cloneStandby(s, p, mode, opts.replicationAddress)));
    const db = new PgDb({
      cluster,
      servers,
      mode,
      reads: opts.reads,
      workload: opts.workload,
      ...(sql.txn ? { isolation: opts.isolation ?? 'serializable' } : {}),
      sql,
      version: ver,
      clientAddress: opts.clientAddress,
      replicationAddress: opts.replicationAddress,
    });
    await db.configurePrimary();
    await waitStreaming(
      p,
      rest.map((s) => s.name),
      mode,
    );
    return db;
  } catch (e) {
    await Promise.allSettled(servers.map((s) => s.stop(2000)));
    throw new Error(`postgres: setting up ${servers.length} node(s) (${mode}) failed: ${(e as Error).message}`, { cause: e });
  }
}

/** Until the primary sees every standby streaming, and in sync modes, counts them as synchronous. */
async function waitStreaming(p: PgServer, standbys: string[], mode: Replication, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  const want = mode === 'async' ? 'async' : 'quorum'; // 'ANY k (...)' lists standbys as quorum
  let seen = '';
  for (;;) {
    const r = await adminQuery<{ application_name: string; state: string; sync_state: string }>(
      p.node.endpoint(PORT),
      'SELECT application_name, state, sync_state FROM pg_stat_replication',
    ).catch(() => undefined);
    const rows = r?.rows ?? [];
    seen = rows.map((x) => `${x.application_name}:${x.state}/${x.sync_state}`).join(', ') || 'none';
    const ok = standbys.every((n) => rows.some((x) => x.application_name === n && x.state === 'streaming' && x.sync_state === want));
    if (ok) return;
    if (Date.now() > end)
      throw new Error(
        `${p.name}: standbys ${standbys.join(', ')} not all streaming as ${want} after ${timeoutMs} ms (seen: ${seen}); primary log:\n${await p.logTail()}`,
      );
    await new Promise((res) => setTimeout(res, 30));
  }
}
