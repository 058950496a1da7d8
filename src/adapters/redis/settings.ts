/**
 * Configuration text. Each redis-server reads a redis.conf we write before every start (so a restarted
 * node comes back in the role faultline or Sentinel gave it); Sentinel may rewrite it meanwhile
 * (CONFIG REWRITE after REPLICAOF), which is why it is a file the redis user owns.
 */
import type { SyncRule } from '../failover-choice.js';

export const PORT = 6379;
export const SENTINEL_PORT = 26379;
/** The name Sentinel monitors the primary under. */
export const MASTER_NAME = 'faultline';

export type Replication = 'async' | 'wait';
export const REPLICATION_MODES: readonly Replication[] = ['async', 'wait'];

/**
 * `wait`: every write is followed by WAIT <all replicas>: acknowledged only once every replica has it, so
 * whichever replica a failover promotes holds every acknowledged write. A WAIT that counts fewer is info
 * (the write is on the primary and may or may not survive). The primary also refuses writes (NOREPLICAS,
 * a certain fail) once fewer than all replicas have acknowledged within min-replicas-max-lag seconds, so
 * an isolated primary stops taking writes about a second or two into a partition.
 */
export function waitReplicas(mode: Replication, replicas: number): number | undefined {
  return mode === 'wait' ? replicas : undefined;
}

/**
 * The failover's quorum rule (src/adapters/failover-choice.ts): under `wait` a write is acknowledged once
 * WAIT counted k replicas (k = every replica the cluster has, `replicas`), among the current replicas.
 * Undefined under async.
 */
export function waitRule(mode: Replication, replicas: number, standbys: readonly string[]): SyncRule | undefined {
  const k = waitReplicas(mode, replicas);
  if (k === undefined) return undefined;
  return { k, standbys, text: `WAIT ${k} (of ${standbys.join(', ') || 'no replica'})` };
}

export interface ServerConf {
  ip: string;
  dir: string;
  mode: Replication;
  /** How many replicas the cluster has (for min-replicas-to-write in `wait` mode). */
  replicas: number;
  /** Set on a replica: where it streams from (the primary, or a replication proxy in its namespace). */
  replicaof?: { host: string; port: number };
}

export function serverConf(c: ServerConf): string {
  const lines = [
    '# written by faultline before each start; Sentinel may rewrite it',
    `bind ${c.ip}`,
    `port ${PORT}`,
    'protected-mode no',
    'daemonize no',
    'supervised no',
    'logfile ""',
    `dir ${c.dir}`,
    // Full syncs stream straight to the replica, at once (the default waits 5 s for more replicas).
    'repl-diskless-sync yes',
    'repl-diskless-sync-delay 0',
    'repl-diskless-load disabled',
    // A replica notices a silent primary (partition) in seconds, not the default minute.
    'repl-ping-replica-period 1',
    'repl-timeout 5',
    'replica-serve-stale-data yes',
    'replica-read-only yes',
    // The AOF, not snapshots: a kill -9 loses no acknowledged write (Redis writes the AOF before it
    // replies, so the data is in the OS page cache; appendfsync only matters when the machine dies).
    'save ""',
    'appendonly yes',
    'appendfsync everysec',
    // Teardown and restarts should not wait up to 10 s for lagging replicas.
    'shutdown-timeout 0',
    'maxclients 1000',
  ];
  if (c.mode === 'wait' && c.replicas > 0) lines.push(`min-replicas-to-write ${c.replicas}`, 'min-replicas-max-lag 1');
  if (c.replicaof) lines.push(`replicaof ${c.replicaof.host} ${c.replicaof.port}`);
  return lines.join('\n') + '\n';
}

export interface SentinelConf {
  ip: string;
  dir: string;
  primaryIp: string;
  quorum: number;
}

/** Sentinel: fails over after ~1 s of silence; quorum is a majority of the sentinels. */
export function sentinelConf(c: SentinelConf): string {
  return [
    '# written by faultline; Sentinel rewrites it as it learns the cluster',
    `bind ${c.ip}`,
    `port ${SENTINEL_PORT}`,
    'protected-mode no',
    'daemonize no',
    'logfile ""',
    `dir ${c.dir}`,
    `sentinel monitor ${MASTER_NAME} ${c.primaryIp} ${PORT} ${c.quorum}`,
    `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
    `sentinel failover-timeout ${MASTER_NAME} 3000`,
    `sentinel parallel-syncs ${MASTER_NAME} 2`,
    '',
  ].join('\n');
}
