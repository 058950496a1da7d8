/**
 * Configuration text. postgresql.conf gets the fixed settings once (at initdb, copied by base backups);
 * faultline.conf, included from it, holds what failover changes (primary_conninfo, slot, synchronous
 * standbys). We rewrite that one file and send SIGHUP, which works the same for a node that is down
 * (it reads the file when it starts) and avoids ALTER SYSTEM's postgresql.auto.conf overriding our include.
 */
import type { SyncRule } from '../failover-choice.js';

export const PORT = 5432;

export type Replication = 'async' | 'sync' | 'remote-apply';
export const REPLICATION_MODES: readonly Replication[] = ['async', 'sync', 'remote-apply'];

export function baseConf(): string {
  return [
    '',
    '# --- faultline ---',
    'wal_level = replica',
    'max_wal_senders = 16',
    'max_replication_slots = 16',
    // Slots keep WAL for standbys; wal_keep_size covers a slot created on a new primary after failover.
    'wal_keep_size = 256MB',
    'hot_standby = on',
    // Standbys retry their primary quickly (default 5 s) after a kill, restart or failover.
    'wal_retrieve_retry_interval = 200ms',
    'wal_receiver_timeout = 10s',
    'wal_sender_timeout = 10s',
    'max_connections = 300',
    'shared_buffers = 32MB',
    // Dynamic shared memory as files in the data dir, not /dev/shm: a postmaster killed -9 and never
    // restarted (fenced, torn down) would leave ~1 MB per kill in /dev/shm (RAM) for good.
    'dynamic_shared_memory_type = mmap',
    'logging_collector = off',
    "log_line_prefix = '%m [%p] %q%a '",
    "include_if_exists = 'faultline.conf'",
    '',
  ].join('\n');
}

/** Trust from the nodes and the host on the run's bridge only (a private namespace network). */
export function hbaConf(addresses: readonly string[]): string {
  const lines = ["# faultline: trust inside the run's private network", 'local all all trust', 'local replication all trust'];
  for (const a of addresses) lines.push(`host all all ${a}/32 trust`, `host replication all ${a}/32 trust`);
  return lines.join('\n') + '\n';
}

function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * synchronous_standby_names for a primary with these standbys:
 * - async: none.
 * - sync: 'ANY 1 (...)': a commit is acknowledged once one standby flushed it, so the most advanced
 *   standby holds every acknowledged write and a failover to it loses none.
 * - remote-apply: 'ANY k (...)' with k = every standby: a commit returns only when all standbys applied it,
 *   so a read on any replica sees it. The price: a killed, paused or cut-off standby blocks commits
 *   (they time out as info) until it is back.
 */
export function syncStandbyNames(mode: Replication, standbys: readonly string[]): string {
  if (mode === 'async' || standbys.length === 0) return '';
  const k = mode === 'sync' ? 1 : standbys.length;
  return `ANY ${k} (${standbys.map((s) => `"${s}"`).join(', ')})`;
}

/** The failover's quorum rule (src/adapters/failover-choice.ts) for these standbys; undefined under async. */
export function syncRule(mode: Replication, standbys: readonly string[]): SyncRule | undefined {
  if (mode === 'async') return undefined;
  return { k: mode === 'sync' ? 1 : standbys.length, standbys, text: syncStandbyNames(mode, standbys) || `${mode} (no standby)` };
}

export function synchronousCommit(mode: Replication): string {
  return mode === 'remote-apply' ? 'remote_apply' : 'on';
}

export interface NodeSettings {
  mode: Replication;
  /** Set on a standby: where it streams from, and its slot there. */
  upstream?: { host: string; slot: string; appName: string; port?: number };
  /** Set on a primary: its standbys' names. */
  standbys?: readonly string[];
}

export function faultlineConf(s: NodeSettings): string {
  const lines = ['# written by faultline; rewritten at failover'];
  lines.push(`synchronous_commit = ${synchronousCommit(s.mode)}`);
  lines.push(`synchronous_standby_names = ${quote(syncStandbyNames(s.mode, s.standbys ?? []))}`);
  if (s.upstream) {
    const u = s.upstream;
    lines.push(`primary_conninfo = ${quote(`host=${u.host} port=${u.port ?? PORT} user=postgres application_name=${u.appName} connect_timeout=2`)}`);
    lines.push(`primary_slot_name = ${quote(u.slot)}`);
  } else {
    lines.push("primary_conninfo = ''", "primary_slot_name = ''");
  }
  return lines.join('\n') + '\n';
}
