import { execFile } from 'node:child_process';
import type { Adapter } from '../types.js';
import { missingBinaries } from './bin.js';
import { bootstrap } from './bootstrap.js';
import { PORT, REPLICATION_MODES } from './settings.js';
import { WORKLOADS } from './workloads.js';

function userExists(name: string): Promise<boolean> {
  return new Promise((res) => execFile('getent', ['passwd', name], (e) => res(!e)));
}

/** PostgreSQL (Debian's server packages): one primary (the first node) and streaming standbys. */
export const postgresAdapter: Adapter = {
  name: 'postgres',
  description: {
    defaultReplication: 'async',
    clientPort: PORT,
    proxiedLinks: ['client', 'replication'],
    abilities: ['failover', 'clock'],
  },
  replicationModes: REPLICATION_MODES,
  workloads: Object.keys(WORKLOADS),
  async unavailable() {
    const missing = missingBinaries();
    if (missing) return missing;
    if (!(await userExists('postgres'))) return "postgres: the system user 'postgres' does not exist (Debian's postgresql package creates it)";
    return undefined;
  },
  setup: bootstrap,
};

export { PgDb } from './db.js';
export type { Replication } from './settings.js';
