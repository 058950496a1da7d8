import { describe, expect, it } from 'vitest';
import { postgresAdapter, type PgDb } from '../../src/adapters/postgres/index.js';
import { walPosition } from '../../src/adapters/postgres/failover.js';
import { checkLostWrites } from '../../src/checkers/replication/lost-writes.js';
import { localRuntime } from '../../src/runtime/local/index.js';
import { onlyLaggingStandbyAnswers, promotedStandbyInheritedWrites, writableAgain } from './failover-scenario.js';
import { clusterPerTest, requireRuntime } from './support.js';

// Issue 9 item 12: faultline's own failover must not lose acknowledged writes and blame Postgres.
// Under `sync` (ANY 1 (n2, n3)) the steps are driven one by one (failover-scenario.ts), not by a random
// schedule: the safe policy waits and refuses (n1 starts again as primary), the naive one promotes n2,
// which never had the writes only n3 acknowledged; lost-writes judges the recorded history.

await requireRuntime(async () => (await localRuntime.unavailable()) ?? (await postgresAdapter.unavailable(localRuntime.probe())));

const perTest = clusterPerTest('pgfo');
const start = () => perTest((c) => postgresAdapter.setup(c, { replication: 'sync', reads: 'primary', workload: 'append' }) as Promise<PgDb>);

describe('failover choice on a real sync Postgres cluster (ANY 1 (n2, n3))', () => {
  it('safe: the most advanced standby cannot answer, so the failover waits, refuses, and no acknowledged write is lost', async () => {
    const { db, cluster } = await start();
    const { ops, fo, final, positions } = await onlyLaggingStandbyAnswers(db, cluster, 'safe', (n) => walPosition(db.server(n)));
    expect(fo.type).toBe('info');
    expect(fo.value).toMatchObject({
      policy: 'safe',
      decision: 'refused',
      chosen: null,
      required: 2,
      heard: 1,
      quorum: false,
      unanswered: ['n3'],
      positions: { n2: positions.n2, n3: null },
      old: 'n1',
      sync: 'ANY 1 ("n2", "n3")',
    });
    expect((fo.value as { waitedMs: number }).waitedMs).toBeGreaterThanOrEqual(3000);
    expect(db.primary().name).toBe('n1');
    expect(final).toMatchObject({ node: 'n1', value: [1, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]] });
    const v = checkLostWrites(ops);
    expect(v.anomalies).toEqual([]);
    expect(v.valid).toBe(true);
    expect(v.stats).toMatchObject({ acked: 10, stable: 10, lost: 0 });
    // The cluster takes writes again once healed.
    expect(await writableAgain(db, [1, 11])).toMatchObject({ type: 'ok', node: 'n1' });
  }, 120_000);

  it('safe: waits while the most advanced standby is paused, and promotes it once it answers; nothing lost', async () => {
    const { db, cluster } = await start();
    const { ops, fo, final } = await onlyLaggingStandbyAnswers(db, cluster, 'safe', (n) => walPosition(db.server(n)), 1000);
    expect(fo.value).toMatchObject({ policy: 'safe', decision: 'promoted', chosen: 'n3', promoted: 'n3', required: 2, heard: 2, quorum: true, unanswered: [] });
    expect((fo.value as { waitedMs: number }).waitedMs).toBeGreaterThanOrEqual(700);
    expect(final).toMatchObject({ node: 'n3', value: [1, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]] });
    const v = checkLostWrites(ops);
    expect(v).toMatchObject({ valid: true, anomalies: [], stats: { acked: 10, stable: 10, lost: 0 } });
    expect(await writableAgain(db, [1, 11])).toMatchObject({ type: 'ok', node: 'n3' });
  }, 120_000);

  it('naive-failover: promotes the lagging standby that answered, loses the writes only n3 held, and lost-writes says the failover chose it', async () => {
    const { db, cluster } = await start();
    const { ops, fo, final, positions } = await onlyLaggingStandbyAnswers(db, cluster, 'naive', (n) => walPosition(db.server(n)));
    expect(fo.value).toMatchObject({
      policy: 'naive',
      decision: 'promoted',
      chosen: 'n2',
      promoted: 'n2',
      required: 2,
      heard: 1,
      quorum: false,
      unanswered: ['n3'],
      positions: { n2: positions.n2, n3: null },
    });
    expect(final).toMatchObject({ node: 'n2', value: [1, [1, 2, 3, 4, 5]] });
    const v = checkLostWrites(ops);
    expect(v.valid).toBe(false);
    const lost = v.anomalies.filter((a) => a.kind === 'lost');
    expect(lost).toHaveLength(1);
    expect(lost[0]!.data).toMatchObject({ elements: [6, 7, 8, 9, 10] });
    expect(lost[0]!.explanation).toMatch(/5 writes that were acknowledged or seen are lost from key/);
    expect(lost[0]!.explanation).toMatch(
      /The failover at [\d.]+ s \(op #\d+\) promoted n2 without hearing from n3 \(naive-failover policy: ANY 1 \("n2", "n3"\) needs 2 answers, it had 1\); these 5 writes were acknowledged before it and n2 did not hold them: a decision of faultline's, not a database fault$/,
    );
  }, 120_000);

  it('safe: a second failover refuses the only standby when it lacks what the new primary inherited; nothing lost', async () => {
    const { db, cluster } = await start();
    const { ops, first, second, final } = await promotedStandbyInheritedWrites(db, cluster, (n) => walPosition(db.server(n)));
    expect(first.value).toMatchObject({ decision: 'promoted', chosen: 'n2', quorum: true, floor: null });
    expect(second.value).toMatchObject({
      decision: 'refused',
      chosen: null,
      quorum: true,
      heard: 1,
      old: 'n2',
      sync: 'ANY 1 ("n3")',
      floor: expect.any(String),
    });
    expect((second.value as { reason: string }).reason).toMatch(
      /the most advanced, n3 at [0-9A-F/]+, has not reached [0-9A-F/]+, what the primary held when it was promoted/,
    );
    expect(db.primary().name).toBe('n2');
    expect(final).toMatchObject({ node: 'n2', value: [1, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]] });
    const v = checkLostWrites(ops);
    expect(v).toMatchObject({ valid: true, anomalies: [], stats: { acked: 10, stable: 10, lost: 0 } });
  }, 120_000);
});
