import { userExists } from '../remote.js';
import type { Adapter } from '../types.js';
import { serverBinaries } from './bin.js';
import { bootstrap } from './bootstrap.js';
import { MYSQL_USER, REPLICATION_MODES } from './settings.js';
import { PORT } from './sql.js';
import { ISOLATION, WORKLOADS } from './workloads.js';

/** MySQL 8.x or MariaDB 10.11+ (Debian's mariadb-server): one primary (the first node) and GTID replicas. */
export const mysqlAdapter: Adapter = {
  name: 'mysql',
  description: {
    defaultReplication: 'async',
    clientPort: PORT,
    proxiedLinks: ['client', 'replication'],
    abilities: ['failover', 'clock'],
    isolation: ISOLATION,
  },
  replicationModes: REPLICATION_MODES,
  workloads: Object.keys(WORKLOADS),
  async unavailable(machine) {
    const b = await serverBinaries(machine);
    if (typeof b === 'string') return b;
    if (!(await userExists(machine, MYSQL_USER))) return `mysql: the system user '${MYSQL_USER}' does not exist (Debian's mariadb-server package creates it)`;
    return undefined;
  },
  setup: bootstrap,
};

export { MyDb } from './db.js';
export type { Replication } from './settings.js';
