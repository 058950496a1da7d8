import { describe, it } from 'vitest';
import { mysqlAdapter, type MyDb } from '../../src/adapters/mysql/index.js';
import { adminQuery, DATABASE } from '../../src/adapters/mysql/sql.js';
import { runtimeByName } from '../../src/runtime/index.js';
import { RUNTIMES } from './support.js';
import { latencyCheck } from './proxy-latency.js';
import { replicationThroughProxies } from './proxy-replication.js';

// MySQL's clients go through faultline's client-path proxy (DbOptions.clientAddress), and its replicas stream through
// a proxy in their own namespace (DbOptions.replicationAddress).
describe.each(RUNTIMES)('proxy faults in the client path: mysql on %s', (runtime) => {
  const run = latencyCheck(async () => {
    const rt = runtimeByName(runtime);
    return (await rt.unavailable('mysql')) ?? (await mysqlAdapter.unavailable(rt.probe('mysql')));
  }, runtime);

  it('latency: every op on the faulted node inside a window takes at least the injected latency', async () => {
    await run({ db: 'mysql' }); // its assertions are latencyCheck's (proxy-latency.ts)
  }, 120_000);

  it('replication link: replicas stream through their proxy, retargeted at failover', async () => {
    const sock = (db: unknown, n: string) => (db as MyDb).server(n).socket;
    // One table per writing primary, so a read names which primary's writes it expects.
    const made = new Set<string>();
    let writer = 'n1';
    await replicationThroughProxies(
      mysqlAdapter,
      {
        holdMs: 1000,
        // The rebuilt old primary must catch up through its proxy too (it failed to, with or without
        // proxies, until a rebuild took a fresh server id: see MyDb.rebuild).
        restart: true,
        async write(db, node, v) {
          if (!made.has(node)) {
            await adminQuery(sock(db, node), `CREATE TABLE ${DATABASE}.proxytest_${node} (k INT PRIMARY KEY, v INT)`);
            made.add(node);
          }
          await adminQuery(sock(db, node), `REPLACE INTO ${DATABASE}.proxytest_${node} VALUES (1, ?)`, [v]);
          writer = node;
        },
        async read(db, node) {
          const rows = await adminQuery<{ v: number }>(sock(db, node), `SELECT v FROM ${DATABASE}.proxytest_${writer} WHERE k = 1`, [], 2000);
          return rows[0]?.v;
        },
      },
      runtime,
    );
  }, 120_000);
});
