import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mysqlAdapter, type MyDb } from '../../src/adapters/mysql/index.js';
import { FLAVOURS, progress } from '../../src/adapters/mysql/flavour.js';
import { adminQuery } from '../../src/adapters/mysql/sql.js';
import { checkLostWrites } from '../../src/checkers/replication/lost-writes.js';
import { localRuntime } from '../../src/runtime/local/index.js';
import type { Cluster } from '../../src/runtime/types.js';
import { onlyLaggingStandbyAnswers, writableAgain } from './failover-scenario.js';
import { leftovers, requireRuntime } from './support.js';

// The same steps as failover-choice-postgres.test.ts under MariaDB semi-sync (one ack of two replicas):
// the safe failover refuses while the replica holding the newest acknowledged commits is silent; the
// naive one promotes the lagging replica and loses them, and lost-writes says the failover chose it.

await requireRuntime(async () => (await localRuntime.unavailable()) ?? (await mysqlAdapter.unavailable()));

interface Started { cluster: Cluster; db: MyDb; dir: string }
let live: Started | undefined;
let seq = 0;

afterEach(async () => {
  if (!live) return;
  const { cluster, db, dir } = live;
  live = undefined;
  try { await db.teardown(); } finally {
    await cluster.down();
    rmSync(dir, { recursive: true, force: true });
    expect(leftovers(cluster.runId)).toEqual([]);
  }
});

async function start(): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), 'fl-myfo-'));
  chmodSync(dir, 0o755);
  const cluster = await localRuntime.up({ runId: `myfo-${process.pid}-${seq++}`, dir, nodes: 3 });
  try {
    const db = await mysqlAdapter.setup(cluster, { replication: 'semi-sync', reads: 'primary', workload: 'append' }) as MyDb;
    live = { cluster, db, dir };
    return live;
  } catch (e) {
    await cluster.down();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** GTIDs a replica received (the relay log), as the failover compares them. */
async function received(db: MyDb, n: string) {
  const s = db.server(n);
  const f = FLAVOURS[(db.describe() as { flavour: 'mariadb' | 'mysql' }).flavour];
  const rows = await adminQuery(s.socket, f.showReplicaStatus, [], 2000);
  const text = String(rows[0]?.[f.receivedColumn] ?? '');
  return { at: BigInt(progress((db.describe() as { flavour: 'mariadb' | 'mysql' }).flavour, text)), text };
}

describe('failover choice on a real semi-sync MariaDB cluster (one ack of n2, n3)', () => {
  it('safe: the most advanced replica cannot answer, so the failover waits, refuses, and no acknowledged write is lost', async () => {
    const { db, cluster } = await start();
    const { ops, fo, tookMs, final } = await onlyLaggingStandbyAnswers(db, cluster, 'safe', (n) => received(db, n));
    console.log(`mysql safe failover: ${JSON.stringify(fo.value)} in ${tookMs} ms; final read ${JSON.stringify(final.value)} from ${final.node}`);
    expect(fo.value).toMatchObject({ policy: 'safe', decision: 'refused', chosen: null, required: 2, heard: 1, quorum: false, unanswered: ['n3'], old: 'n1' });
    expect(db.primary().name).toBe('n1');
    expect(final).toMatchObject({ node: 'n1', value: [1, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]] });
    expect(checkLostWrites(ops)).toMatchObject({ valid: true, anomalies: [], stats: { acked: 10, stable: 10, lost: 0 } });
    expect(await writableAgain(db, [1, 11])).toMatchObject({ type: 'ok', node: 'n1' });
  }, 180_000);

  it('naive-failover: promotes the lagging replica, loses what only n3 held, and lost-writes says the failover chose it', async () => {
    const { db, cluster } = await start();
    const { ops, fo, final } = await onlyLaggingStandbyAnswers(db, cluster, 'naive', (n) => received(db, n));
    console.log(`mysql naive failover: ${JSON.stringify(fo.value)}; final read ${JSON.stringify(final.value)} from ${final.node}`);
    expect(fo.value).toMatchObject({ policy: 'naive', decision: 'promoted', chosen: 'n2', required: 2, heard: 1, quorum: false, unanswered: ['n3'] });
    expect(final).toMatchObject({ node: 'n2', value: [1, [1, 2, 3, 4, 5]] });
    const lost = checkLostWrites(ops).anomalies.filter((a) => a.kind === 'lost');
    expect(lost).toHaveLength(1);
    console.log(`mysql naive failover, lost-writes: ${lost[0]!.explanation}`);
    expect(lost[0]!.explanation).toMatch(new RegExp(/The failover at [\d.]+ s promoted n2 without hearing from n3 /.source +
      /\(naive-failover policy: semi-sync \(1 ack of n2, n3\) needs 2 answers, it had 1\); /.source +
      /these 5 writes were acknowledged before it and n2 did not hold them: a decision of faultline's, not a database fault$/.source));
  }, 180_000);
});
