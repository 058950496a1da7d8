import { describe, expect, it } from 'vitest';
import { MyClient } from '../../src/adapters/mysql/client.js';
import { mysqlAdapter, type MyDb } from '../../src/adapters/mysql/index.js';
import { WORKLOADS } from '../../src/adapters/mysql/workloads.js';
import type { NemesisContext } from '../../src/nemesis/types.js';
import { localRuntime } from '../../src/runtime/local/index.js';
import { killEveryPrimaryAcrossTwoFailovers } from './failover-scenario.js';
import { clusterPerTest, requireRuntime } from './support.js';

// Issue 11, the same sequence as kill-after-failover-postgres.test.ts on MariaDB (the kill package is shared):
// every node killed across two failovers, then one stop-kill brings the whole cluster back.

await requireRuntime(async () => (await localRuntime.unavailable()) ?? (await mysqlAdapter.unavailable(localRuntime.probe())));

const T = 5000;
const perTest = clusterPerTest('mykill');

describe('kill after failover on a real MariaDB cluster', () => {
  it('every node killed across two failovers: stop-kill restarts the current primary first, rebuilds the others, and every node serves the new writes', async () => {
    const { cluster, db } = await perTest((c) => mysqlAdapter.setup(c, { replication: 'async', reads: 'primary', workload: 'set' }) as Promise<MyDb>);
    const ctx: NemesisContext = { cluster, db };
    const { killed, stop } = await killEveryPrimaryAcrossTwoFailovers(ctx);
    expect(stop).toEqual({ type: 'info', value: { restarted: [killed[2], killed[0], killed[1]], failed: [] } });
    expect(Object.fromEntries(db.roles())).toEqual({ [killed[0]!]: 'standby', [killed[1]!]: 'standby', [killed[2]!]: 'primary' });

    const c = await db.client(0);
    for (let i = 0; i < 5; i++) expect(await c.invoke('add', i, T)).toMatchObject({ type: 'ok', node: killed[2] });
    await c.close();
    const all = [0, 1, 2, 3, 4];
    for (const n of ['n1', 'n2', 'n3']) {
      const rc = new MyClient(
        { primary: () => n, readable: () => [n], address: (x) => ({ host: db.server(x).node.ip, port: 3306 }) },
        WORKLOADS.set!,
        'primary',
        0,
        () => {},
      );
      let got: unknown;
      for (let t = 0; t < 200; t++) {
        got = (await rc.invoke('read', null, T)).value;
        if (JSON.stringify(got) === JSON.stringify(all)) break;
        await new Promise((res) => setTimeout(res, 50));
      }
      await rc.close();
      expect(got, `node ${n}`).toEqual(all);
    }
  }, 180_000);
});
