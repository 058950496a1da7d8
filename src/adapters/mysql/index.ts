import { userExists } from '../remote.js';
import type { Adapter } from '../types.js';
import { serverBinaries } from './bin.js';
import { bootstrap } from './bootstrap.js';
import { bootstrapMultiLeader } from './multi-leader.js';
import { MYSQL_USER, REPLICATION_MODES } from './settings.js';
import { PORT } from './sql.js';
import { ISOLATION, WORKLOADS } from './workloads.js';

/**
 * MySQL 8.x or MariaDB 10.11+ (Debian's mariadb-server): one primary (the first node) and GTID replicas, or
 * (--topology multi-leader, MariaDB only) every node a primary replicating from every other one.
 */
export const mysqlAdapter: Adapter = {
  name: 'mysql',
  description: {
    defaultReplication: 'async',
    clientPort: PORT,
    proxiedLinks: ['client', 'replication'],
    topologies: ['single-leader', 'multi-leader'],
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
  async setup(cluster, opts) {
    if (opts.topology === undefined || opts.topology === 'single-leader') return bootstrap(cluster, opts);
    if (opts.topology === 'multi-leader') return bootstrapMultiLeader(cluster, opts);
    throw new Error(`mysql: topology must be single-leader or multi-leader, got '${opts.topology}'`);
  },
};

export { MyDb } from './db.js';
export { MultiLeaderDb } from './multi-leader.js';
export type { Replication } from './settings.js';
