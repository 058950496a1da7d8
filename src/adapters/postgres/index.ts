import { userExists } from '../remote.js';
import type { Adapter } from '../types.js';
import { missingBinaries } from './bin.js';
import { bootstrap } from './bootstrap.js';
import { PORT, REPLICATION_MODES } from './settings.js';
import { ISOLATION, WORKLOADS } from './workloads.js';

/** PostgreSQL (Debian's server packages): one primary (the first node) and streaming standbys. */
export const postgresAdapter: Adapter = {
  name: 'postgres',
  description: {
    defaultReplication: 'async',
    clientPort: PORT,
    proxiedLinks: ['client', 'replication'],
    abilities: ['failover', 'clock'],
    lacksTopology: {
      'multi-leader':
        "bidirectional logical replication needs Postgres 16's subscription option origin = none, without which every change " +
        "is sent back to where it came from; Debian bookworm's Postgres is 15",
    },
    isolation: ISOLATION,
  },
  replicationModes: REPLICATION_MODES,
  workloads: Object.keys(WORKLOADS),
  async unavailable(machine) {
    const missing = await missingBinaries(machine);
    if (missing) return missing;
    if (!(await userExists(machine, 'postgres'))) return "postgres: the system user 'postgres' does not exist (Debian's postgresql package creates it)";
    return undefined;
  },
  setup: bootstrap,
};

export { PgDb } from './db.js';
export type { Replication } from './settings.js';
