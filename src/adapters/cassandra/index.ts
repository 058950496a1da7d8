import { userExists } from '../remote.js';
import type { Adapter } from '../types.js';
import { bootstrap } from './bootstrap.js';
import { CQL_PORT } from './config.js';
import { CONSISTENCY_MODES } from './consistency.js';
import { WORKLOADS } from './cql.js';
import { CASSANDRA_USER, findInstall } from './install.js';

/**
 * Apache Cassandra 5.0 (cassandra-all from Maven Central, Java 17): n masterless nodes, RF = n.
 * `replication` names the read/write consistency: one, quorum, all, serial, or READ/WRITE such as one/quorum.
 */
export const cassandraAdapter: Adapter = {
  name: 'cassandra',
  description: {
    defaultReplication: 'quorum',
    clientPort: CQL_PORT,
    // Its driver connects to node.endpoint(CQL_PORT) and the peers it discovers, not DbOptions.clientAddress; no standby to re-point.
    proxiedLinks: [],
    topologies: ['leaderless'],
    abilities: ['clock'],
    lacks: { failover: 'Cassandra is masterless (every node accepts writes), so there is no primary to fail over; use kill, pause or partition' },
  },
  replicationModes: CONSISTENCY_MODES,
  workloads: Object.keys(WORKLOADS),
  async unavailable(machine) {
    const install = await findInstall(machine);
    if (typeof install === 'string') return install;
    if (!(await userExists(machine, CASSANDRA_USER)))
      return `cassandra: the system user '${CASSANDRA_USER}' does not exist (scripts/setup.sh creates it as root)`;
    return undefined;
  },
  setup: bootstrap,
};

export { CassDb } from './db.js';
export { parseConsistency, CONSISTENCY_MODES, type Consistency } from './consistency.js';
