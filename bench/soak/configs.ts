import { cassandraAdapter } from '../../src/adapters/cassandra/index.js';
import { mysqlAdapter } from '../../src/adapters/mysql/index.js';
import { postgresAdapter } from '../../src/adapters/postgres/index.js';
import { redisAdapter } from '../../src/adapters/redis/index.js';
import type { Adapter } from '../../src/adapters/types.js';
import { UsageError } from '../../src/errors.js';
import { faultPackages, resolvePackages } from '../../src/nemesis/index.js';
import { localRuntime } from '../../src/runtime/local/index.js';

/** One configuration a database promises to keep safe, and the load the soak puts on it here. */
export interface SoakConfig {
  db: string;
  replication: string;
  workload: string;
  /** 2 shared cores: what each database sustains with every fault on (issue 11: 20-30 workers, 500-1000 ops/s). */
  concurrency: number;
  rate: number;
}

export const SAFE_CONFIGS: readonly SoakConfig[] = [
  { db: 'postgres', replication: 'sync', workload: 'append', concurrency: 20, rate: 500 },
  { db: 'postgres', replication: 'remote-apply', workload: 'append', concurrency: 20, rate: 500 },
  { db: 'mysql', replication: 'semi-sync', workload: 'append', concurrency: 20, rate: 500 },
  // Transactions at the default --isolation serializable, checked against serializable (issue 14).
  { db: 'postgres', replication: 'sync', workload: 'list-append', concurrency: 10, rate: 200 },
  { db: 'mysql', replication: 'semi-sync', workload: 'txn-register', concurrency: 10, rate: 200 },
  { db: 'redis', replication: 'wait', workload: 'append', concurrency: 30, rate: 1000 },
  // append, not rw-register: list appends never overwrite, so clock skew's last-write-wins losses (a
  // documented anomaly of plain writes) do not drown out everything else, and lost-writes can speak.
  { db: 'cassandra', replication: 'quorum', workload: 'append', concurrency: 20, rate: 500 },
  { db: 'cassandra', replication: 'serial', workload: 'register', concurrency: 20, rate: 500 },
];

/**
 * Packages that break the guarantee on purpose, so no safe configuration is run with them:
 * split-brain leaves the old primary writable, naive-failover promotes without the quorum.
 * (Only one failover package may run at once anyway; `failover` is the safe one.)
 */
export const UNSAFE_BY_DESIGN: Readonly<Record<string, string>> = {
  'split-brain': 'leaves the old primary accepting writes (no fencing): divergence is the point',
  'naive-failover': "promotes without hearing from enough replicas: losses are faultline's by design",
};

/** The adapters the soak runs, by --db name: their descriptions decide which faults each gets. */
const ADAPTERS: Readonly<Record<string, Adapter>> = { postgres: postgresAdapter, mysql: mysqlAdapter, redis: redisAdapter, cassandra: cassandraAdapter };

/**
 * Every fault package `faultline run` would accept for this database on the local runtime, asked of
 * the same resolvePackages the run's preflight calls, one package at a time; those it refuses come
 * back with the run's own sentence.
 */
export function supportedPackages(db: string): { supported: string[]; refused: Record<string, string> } {
  const adapter = Object.hasOwn(ADAPTERS, db) ? ADAPTERS[db] : undefined;
  if (!adapter) throw new Error(`soak: no adapter named '${db}'; adapters: ${Object.keys(ADAPTERS).join(', ')}`);
  const supported: string[] = [];
  const refused: Record<string, string> = {};
  for (const name of Object.keys(faultPackages)) {
    if (Object.hasOwn(UNSAFE_BY_DESIGN, name)) {
      refused[name] = `unsafe by design: ${UNSAFE_BY_DESIGN[name]}`;
      continue;
    }
    try {
      resolvePackages(name, localRuntime, adapter);
      supported.push(name);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      refused[name] = e.message;
    }
  }
  // The same call with all of them at once: it must accept the whole set the soak will pass.
  resolvePackages(supported.join(','), localRuntime, adapter);
  return { supported, refused };
}

export const configLabel = (c: SoakConfig): string => `${c.db} ${c.replication} ${c.workload}`;
