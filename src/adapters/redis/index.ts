import { userExists } from '../remote.js';
import type { Adapter } from '../types.js';
import { redisBinPath } from './bin.js';
import { bootstrap } from './bootstrap.js';
import { REDIS_USER } from './server.js';
import { PORT, REPLICATION_MODES, SENTINEL_PORT } from './settings.js';
import { WORKLOADS } from './workloads.js';

/**
 * Redis (Debian's redis-server 7.0): a primary (the first node) and replicas, optionally watched by
 * Sentinel (one redis-sentinel per node) doing real automatic failover.
 */
export const redisAdapter: Adapter = {
  name: 'redis',
  description: {
    defaultReplication: 'async',
    clientPort: PORT,
    // Sentinel's port: faultline asks the sentinels who the primary is, and sends them SENTINEL FAILOVER.
    hostPorts: [SENTINEL_PORT],
    // With Sentinel the adapter ignores replicationAddress (Sentinel re-points replicas around any proxy).
    proxiedLinks: ['client', 'replication'],
    abilities: ['failover'],
    // Its services start without `clock: true` (src/adapters/redis/server.ts).
    lacks: { clock: 'Redis hangs under libfaketime (its allocator does), so its clock cannot be skewed' },
  },
  replicationModes: REPLICATION_MODES,
  workloads: Object.keys(WORKLOADS),
  async unavailable(machine) {
    const missing: string[] = [];
    for (const b of ['redis-server', 'redis-sentinel']) if (!(await redisBinPath(machine, b))) missing.push(b);
    if (missing.length) return `redis: ${missing.join(' and ')} not found; install Debian's ${missing.join(' and ')} (scripts/setup.sh does it as root)`;
    if (!(await userExists(machine, REDIS_USER))) return `redis: the system user '${REDIS_USER}' does not exist (Debian's redis-server package creates it)`;
    return undefined;
  },
  setup: bootstrap,
};

export { RedisDb } from './db.js';
export type { Replication } from './settings.js';
