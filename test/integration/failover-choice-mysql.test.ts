import { describe, expect, it } from 'vitest';
import { mysqlAdapter, type MyDb } from '../../src/adapters/mysql/index.js';
import { FLAVOURS, progress } from '../../src/adapters/mysql/flavour.js';
import { adminQuery } from '../../src/adapters/mysql/sql.js';
import { checkLostWrites } from '../../src/checkers/replication/lost-writes.js';
import { localRuntime } from '../../src/runtime/local/index.js';
import { onlyLaggingStandbyAnswers, promotedStandbyInheritedWrites, writableAgain } from './failover-scenario.js';
import { clusterPerTest, requireRuntime } from './support.js';

// The same steps as failover-choice-postgres.test.ts under MariaDB semi-sync (one ack of two replicas):
// the safe failover refuses while the replica holding the newest acknowledged commits is silent; the
// naive one promotes the lagging replica and loses them, and lost-writes says the failover chose it.

await requireRuntime(async () => (await localRuntime.unavailable()) ?? (await mysqlAdapter.unavailable(localRuntime.probe())));

const perTest = clusterPerTest('myfo');
const start = () => perTest((c) => mysqlAdapter.setup(c, { replication: 'semi-sync', reads: 'primary', workload: 'append' }) as Promise<MyDb>);

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
    const { ops, fo, final } = await onlyLaggingStandbyAnswers(db, cluster, 'safe', (n) => received(db, n));
    expect(fo.value).toMatchObject({ policy: 'safe', decision: 'refused', chosen: null, required: 2, heard: 1, quorum: false, unanswered: ['n3'], old: 'n1' });
    expect(db.primary().name).toBe('n1');
    expect(final).toMatchObject({ node: 'n1', value: [1, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]] });
    expect(checkLostWrites(ops)).toMatchObject({ valid: true, anomalies: [], stats: { acked: 10, stable: 10, lost: 0 } });
    expect(await writableAgain(db, [1, 11])).toMatchObject({ type: 'ok', node: 'n1' });
  }, 180_000);

  it('naive-failover: promotes the lagging replica, loses what only n3 held, and lost-writes says the failover chose it', async () => {
    const { db, cluster } = await start();
    const { ops, fo, final } = await onlyLaggingStandbyAnswers(db, cluster, 'naive', (n) => received(db, n));
    expect(fo.value).toMatchObject({ policy: 'naive', decision: 'promoted', chosen: 'n2', required: 2, heard: 1, quorum: false, unanswered: ['n3'] });
    expect(final).toMatchObject({ node: 'n2', value: [1, [1, 2, 3, 4, 5]] });
    const lost = checkLostWrites(ops).anomalies.filter((a) => a.kind === 'lost');
    expect(lost).toHaveLength(1);
    expect(lost[0]!.explanation).toMatch(
      /The failover at [\d.]+ s \(op #\d+\) promoted n2 without hearing from n3 \(naive-failover policy: semi-sync \(1 ack of n2, n3\) needs 2 answers, it had 1\); these 5 writes were acknowledged before it and n2 did not hold them: a decision of faultline's, not a database fault$/,
    );
  }, 180_000);
  it('safe: a second failover refuses the only replica when it lacks what the new primary inherited; nothing lost', async () => {
    const { db, cluster } = await start();
    const { ops, first, second, final } = await promotedStandbyInheritedWrites(db, cluster, (n) => received(db, n));
    expect(first.value).toMatchObject({ decision: 'promoted', chosen: 'n2', quorum: true, floor: null });
    expect(second.value).toMatchObject({ decision: 'refused', chosen: null, quorum: true, heard: 1, old: 'n2', floor: expect.any(String) });
    expect((second.value as { reason: string }).reason).toMatch(
      /the most advanced, n3 at \S*, has not reached \S+, what the primary held when it was promoted/,
    );
    expect(db.primary().name).toBe('n2');
    expect(final).toMatchObject({ node: 'n2', value: [1, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]] });
    expect(checkLostWrites(ops)).toMatchObject({ valid: true, anomalies: [], stats: { acked: 10, stable: 10, lost: 0 } });
  }, 120_000);
});
