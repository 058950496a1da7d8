import { mysqlAdapter } from '../../src/adapters/mysql/index.js';
import { connect, destroy, PORT } from '../../src/adapters/mysql/sql.js';
import { WORKLOADS as MY_SQL } from '../../src/adapters/mysql/workloads.js';
import type { BenchCase } from '../types.js';
import { engineCase } from './engine-common.js';

type Conn = Awaited<ReturnType<typeof connect>>;

/** MariaDB: the raw loop runs the adapter's register SQL on plain `mysql2` connections. */
const my = (concurrency: number): BenchCase =>
  engineCase({
    raw: 'raw mysql2 loop',
    adapter: mysqlAdapter,
    replication: 'async',
    concurrency,
    async openRaw(cluster) {
      const conns: Conn[] = [];
      return {
        async worker() {
          const c = await connect(cluster.nodes[0]!.endpoint(PORT), { timeoutMs: 5000 });
          conns.push(c);
          return (f, value) => MY_SQL.register!.run(c, f, value);
        },
        close: () => conns.forEach(destroy),
      };
    },
  });

export const cases: BenchCase[] = [my(10), my(50)];
