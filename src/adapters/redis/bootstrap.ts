import type { Cluster } from '../../runtime/types.js';
import { versionOf } from '../remote.js';
import type { DbOptions } from '../types.js';
import { redisBin } from './bin.js';
import { adminCall, parseInfo } from './conn.js';
import { RedisDb } from './db.js';
import { askSentinel } from './sentinel.js';
import { RedisProcess } from './server.js';
import { connect } from './conn.js';
import { PORT, REPLICATION_MODES, SENTINEL_PORT, sentinelConf, serverConf, type Replication } from './settings.js';
import { WORKLOADS } from './workloads.js';

/**
 * Starts the primary on the first node, the others as its replicas (in parallel), waits until the
 * primary counts every replica online, then (with Sentinel) one sentinel per node, and waits until each
 * sentinel sees the primary, every replica and every other sentinel, so a failover can reach quorum
 * from the first second. On any failure, stops what it started and rethrows with what failed.
 */
export async function bootstrap(cluster: Cluster, opts: DbOptions): Promise<RedisDb> {
  const mode = opts.replication as Replication;
  if (!REPLICATION_MODES.includes(mode)) throw new Error(`redis: replication must be one of ${REPLICATION_MODES.join(', ')}, got '${opts.replication}'`);
  const ops = WORKLOADS[opts.workload];
  if (!ops) throw new Error(`redis: workload must be one of ${Object.keys(WORKLOADS).join(', ')}, got '${opts.workload}'`);
  if (!['primary', 'replicas', 'any'].includes(opts.reads)) throw new Error(`redis: reads must be primary, replicas or any, got '${opts.reads}'`);
  if (cluster.nodes.length < 1) throw new Error('redis: needs at least one node');
  const withSentinel = opts.sentinel === true;
  if (withSentinel && cluster.nodes.length < 3)
    throw new Error(`redis: Sentinel needs at least 3 nodes (one sentinel per node, quorum a majority), got ${cluster.nodes.length}`);

  // Every node runs the same installation: found once, on the first node.
  const serverBin = await redisBin(cluster.nodes[0]!, 'redis-server');
  const sentinelBin = withSentinel ? await redisBin(cluster.nodes[0]!, 'redis-sentinel') : '';
  const servers = cluster.nodes.map((n) => new RedisProcess(n, 'redis-server', PORT, serverBin));
  const sentinels = withSentinel ? cluster.nodes.map((n) => new RedisProcess(n, 'redis-sentinel', SENTINEL_PORT, sentinelBin)) : [];
  const [p, ...rest] = servers as [RedisProcess, ...RedisProcess[]];
  const replicas = servers.length - 1;
  // Not with Sentinel: it re-points replicas at the primary's own address (+fix-slave-config), around any proxy.
  const via = withSentinel ? undefined : opts.replicationAddress;
  const upstream = async (s: RedisProcess) => (via ? via(s.name, { host: p.ip, port: PORT }) : { host: p.ip, port: PORT });
  try {
    await Promise.all([...servers, ...sentinels].map((s) => s.makeDir()));
    const ver = await versionOf(p.node, serverBin);
    await p.writeConf(serverConf({ ip: p.ip, dir: p.dir, mode, replicas }));
    await p.start();
    await p.waitReady();
    await Promise.all(
      rest.map(async (s) => {
        await s.writeConf(serverConf({ ip: s.ip, dir: s.dir, mode, replicas, replicaof: await upstream(s) }));
        await s.start();
        await s.waitReady();
      }),
    );
    await waitReplicasOnline(p, replicas);
    const quorum = Math.floor(sentinels.length / 2) + 1;
    await Promise.all(
      sentinels.map(async (s) => {
        await s.writeConf(sentinelConf({ ip: s.ip, dir: s.dir, primaryIp: p.ip, quorum }));
        await s.start();
        await s.waitReady();
      }),
    );
    if (sentinels.length > 0) await waitSentinelsAgree(sentinels, replicas);
    const db = new RedisDb({
      cluster,
      servers,
      sentinels,
      mode,
      reads: opts.reads,
      workload: opts.workload,
      ops,
      version: ver,
      clientAddress: opts.clientAddress,
      replicationAddress: via,
    });
    await db.follow();
    return db;
  } catch (e) {
    await Promise.allSettled([...sentinels, ...servers].map((s) => s.stop(2000)));
    throw new Error(`redis: setting up ${servers.length} node(s) (${mode}${withSentinel ? ', sentinel' : ''}) failed: ${(e as Error).message}`, { cause: e });
  }
}

async function waitReplicasOnline(p: RedisProcess, replicas: number, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  let seen = '';
  for (;;) {
    try {
      const info = parseInfo(String(await adminCall(p.endpoint.host, p.endpoint.port, ['INFO', 'replication'], 2000)));
      const online = [...info].filter(([k, v]) => /^slave\d+$/.test(k) && v.includes('state=online'));
      seen = `${online.length} online (${info.get('connected_slaves') ?? '?'} connected)`;
      if (online.length >= replicas) return;
    } catch (e) {
      seen = (e as Error).message;
    }
    if (Date.now() > end)
      throw new Error(`${p.name}: ${replicas} replica(s) not all online after ${timeoutMs} ms (seen: ${seen}); primary log:\n${await p.logTail()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Until every sentinel sees every replica and every other sentinel (hello messages take a second or two). */
async function waitSentinelsAgree(sentinels: RedisProcess[], replicas: number, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  let seen = '';
  for (;;) {
    const answers = await Promise.all(
      sentinels.map(async (s) => {
        try {
          const r = await connect(s.endpoint.host, s.endpoint.port, 1000);
          try {
            return await askSentinel(r, s.name);
          } finally {
            r.disconnect();
          }
        } catch (e) {
          return { sentinel: s.name, error: (e as Error).message };
        }
      }),
    );
    seen = answers
      .map((a) => ('error' in a ? `${a.sentinel}: ${a.error}` : `${a.sentinel}: ${a.slaves} replicas, ${a.sentinels} sentinels, ${a.flags}`))
      .join('; ');
    if (answers.every((a) => !('error' in a) && a.slaves >= replicas && a.sentinels >= sentinels.length && a.flags === 'master')) return;
    if (Date.now() > end)
      throw new Error(
        `sentinels did not all see ${replicas} replicas and ${sentinels.length} sentinels after ${timeoutMs} ms (${seen}); ` +
          `log of ${sentinels[0]!.name}:\n${await sentinels[0]!.logTail()}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}
