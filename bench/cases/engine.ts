import { postgresAdapter } from '../../src/adapters/postgres/index.js';
import { connect, destroy, type PgConn } from '../../src/adapters/postgres/sql.js';
import { PORT } from '../../src/adapters/postgres/settings.js';
import { WORKLOADS as PG_SQL } from '../../src/adapters/postgres/workloads.js';
import type { BenchCase } from '../types.js';
import { engineCase } from './engine-common.js';

/** Postgres: the raw loop runs the adapter's register SQL on plain `pg` connections. */
const pg = (concurrency: number, runtime = 'local'): BenchCase =>
  engineCase({
    raw: 'raw pg loop',
    adapter: postgresAdapter,
    replication: 'async',
    concurrency,
    runtime,
    async openRaw(cluster) {
      const conns: PgConn[] = [];
      return {
        async worker() {
          const c = await connect(cluster.nodes[0]!.endpoint(PORT).host, { port: cluster.nodes[0]!.endpoint(PORT).port, timeoutMs: 5000 });
          conns.push(c);
          return (f, value) => PG_SQL.register!.run(c, f, value);
        },
        close: () => conns.forEach(destroy),
      };
    },
  });

export const cases: BenchCase[] = [pg(10), pg(50), pg(10, 'docker'), pg(50, 'docker')];
