import { cassandraAdapter } from '../../src/adapters/cassandra/index.js';
import { Coordinator } from '../../src/adapters/cassandra/coordinator.js';
import { WORKLOADS as CQL } from '../../src/adapters/cassandra/cql.js';
import { cqlEndpoint, NodeAddressTranslator } from '../../src/adapters/cassandra/endpoints.js';
import type { BenchCase } from '../types.js';
import { engineCase } from './engine-common.js';

/**
 * Cassandra: the raw loop runs the same register CQL on one cassandra-driver client pinned to the node
 * (no client-side timestamps, as the adapter), consistency ONE.
 */
const cass = (concurrency: number): BenchCase =>
  engineCase({
    raw: 'raw cassandra-driver loop',
    adapter: cassandraAdapter,
    replication: 'one',
    concurrency,
    async openRaw(cluster) {
      const coord = new Coordinator('n1', cqlEndpoint(cluster.nodes[0]!), new NodeAddressTranslator(cluster.nodes));
      const consistency = { read: 'one', write: 'one' } as const;
      const exec = (s: Parameters<Coordinator['execute']>[0]) => coord.execute(s, 5000, { sent: false });
      return {
        async worker() {
          return (f, value) => CQL.register!.run(exec, consistency, f, value);
        },
        close: () => coord.close(),
      };
    },
  });

export const cases: BenchCase[] = [cass(10), cass(50)];
