import { describe, expect, it } from 'vitest';
import { mysqlAdapter, type MyDb } from '../../src/adapters/mysql/index.js';
import { adminQuery, USER } from '../../src/adapters/mysql/sql.js';
import type { Client, Completion } from '../../src/adapters/types.js';
import { failoverPackage, killPackage, pausePackage } from '../../src/nemesis/process-faults.js';
import { localRuntime } from '../../src/runtime/local/index.js';
import { clusterPerTest, requireRuntime } from './support.js';

// Issue 11: a soak under MariaDB semi-sync had three failovers within ten seconds and the cluster never
// served again (1130 "Host ... is not allowed to connect" from a rebuilt, then promoted, node). Here the
// same sequence is driven directly: three fenced failovers in a row, the fenced old primary restarted
// (rebuilt as a replica, as the kill package's stop-kill would) between them; then the cluster must
// serve writes and reads through its primary, and every node must accept the clients' user.

await requireRuntime(async () => (await localRuntime.unavailable()) ?? (await mysqlAdapter.unavailable(localRuntime.probe())));

const perTest = clusterPerTest('myfo3');
const start = () => perTest((c) => mysqlAdapter.setup(c, { replication: 'semi-sync', reads: 'any', workload: 'append' }) as Promise<MyDb>);

/** An op retried for up to `ms` (a session reconnects after its node died); every error seen is returned too. */
async function until(c: Client, f: string, value: unknown, ms = 15_000): Promise<{ last: Completion; errors: string[] }> {
  const end = Date.now() + ms;
  const errors: string[] = [];
  for (;;) {
    const last = await c.invoke(f, value, 3000);
    if (last.type === 'ok' || Date.now() > end) return { last, errors };
    errors.push(`${last.node ?? '?'}: ${last.error}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('three fenced failovers in a row on a semi-sync MariaDB cluster', () => {
  it('the rebuilt old primaries hold the users and grants, and the cluster serves writes and reads through its primary', async () => {
    const { db, cluster } = await start();
    const c = await db.client(0, { reads: 'primary' });
    const written: number[] = [];
    let next = 1;
    const promoted: string[] = [];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 3; i++, next++) {
        const w = await until(c, 'append', [1, next]);
        expect(w.last, `append ${next} (errors: ${w.errors.join(' | ')})`).toMatchObject({ type: 'ok' });
        written.push(next);
      }
      const r = await db.failover({ fence: true, waitMs: 10_000 });
      expect(r, JSON.stringify(r)).toMatchObject({ decision: 'promoted' });
      promoted.push(`${r.old}->${r.promoted}`);
      expect(db.roles().get(r.old)).toBe('fenced');
      // What the kill package's stop-kill does with a node it finds fenced: restart rebuilds it as a replica.
      await db.restart(cluster.nodes.find((n) => n.name === r.old)!);
      expect(db.roles().get(r.old)).toBe('standby');
    }
    console.log(`mysql three failovers: ${promoted.join(', ')}`);
    const w = await until(c, 'append', [1, next]);
    expect(w.last, `append after three failovers (errors: ${w.errors.join(' | ')})`).toMatchObject({ type: 'ok', node: db.primary().name });
    written.push(next);
    const r = await until(c, 'read', [1, null]);
    expect(r.last).toMatchObject({ type: 'ok', node: db.primary().name, value: [1, written] });
    expect([...r.errors, ...w.errors].filter((e) => /1130|not allowed to connect/.test(e))).toEqual([]);
    // Every node serves the clients' user (a replica read of each, by session index), and holds every write.
    for (let s = 0; s < 3; s++) {
      const rc = await db.client(s, { reads: 'any' });
      const got = await until(rc, 'read', [1, null]);
      expect(
        got.errors.filter((e) => /1130|not allowed to connect/.test(e)),
        `session ${s}`,
      ).toEqual([]);
      expect(got.last, `session ${s}`).toMatchObject({ type: 'ok' });
      await rc.close();
    }
    for (const n of ['n1', 'n2', 'n3']) {
      const users = await adminQuery(db.server(n).socket, 'SELECT COUNT(*) AS n FROM mysql.user WHERE User = ?', [USER]);
      expect(Number(users[0]?.n), `${n} has the '${USER}' user`).toBeGreaterThan(0);
    }
    await c.close();
  }, 240_000);

  it('a node rebuilt while cut off from the primary stays fenced, acknowledges nothing and is never promoted empty; once the cut heals, the next restart admits it and the cluster serves', async () => {
    const { db, cluster } = await start();
    const n1 = cluster.nodes[0]!;
    const c = await db.client(0, { reads: 'primary' });
    const written: number[] = [];
    for (let e = 1; e <= 3; e++) {
      expect((await until(c, 'append', [1, e])).last).toMatchObject({ type: 'ok' });
      written.push(e);
    }
    expect(await db.failover({ fence: true, waitMs: 10_000 })).toMatchObject({ old: 'n1', decision: 'promoted' });
    const second = await db.failover({ fence: true, waitMs: 10_000 });
    expect(second).toMatchObject({ decision: 'promoted' });
    expect(db.roles().get(second.old)).toBe('fenced');
    const primary = db.primary();
    // n1 is rebuilt while it cannot reach the primary: it cannot catch up, so it must not count as a replica.
    await n1.partition([primary.ip]);
    await expect(db.restart(n1)).rejects.toThrow(/n1 was rebuilt from n[23] but has not caught up yet, so it stays fenced/);
    expect(db.roles().get('n1')).toBe('fenced');
    // While it catches up it acknowledges no semi-sync commit (a failover, hearing only standbys, would miss it).
    const acks = async () => String((await adminQuery(db.server('n1').socket, "SHOW GLOBAL VARIABLES LIKE 'rpl_semi_sync_slave_enabled'"))[0]?.Value);
    expect(await acks()).toBe('OFF');
    const third = await db.failover({ fence: true, waitMs: 1000 });
    console.log(`mysql failover with only an unrebuilt node left: ${third.reason}`);
    expect(third).toMatchObject({ decision: 'refused', chosen: null });
    expect(db.primary().name).toBe(primary.name);
    await n1.healPartition();
    await db.restart(n1);
    expect(db.roles().get('n1')).toBe('standby');
    expect(await acks()).toBe('ON');
    const w = await until(c, 'append', [1, 4], 20_000);
    expect(w.last, `append after the rebuild (errors: ${w.errors.join(' | ')})`).toMatchObject({ type: 'ok', node: primary.name });
    written.push(4);
    expect((await until(c, 'read', [1, null])).last).toMatchObject({ type: 'ok', value: [1, written] });
    await c.close();
  }, 240_000);

  it('the failover package rebuilds the old primary it fenced at its stop, twice in a row; pause and kill of a fenced node are refused with a reason', async () => {
    const { db, cluster } = await start();
    const ctx = { cluster, db };
    const fo = failoverPackage(true, 200, 'safe', 10_000);
    const c = await db.client(0, { reads: 'primary' });
    const written: number[] = [];
    for (let round = 1; round <= 2; round++) {
      expect((await until(c, 'append', [1, round])).last).toMatchObject({ type: 'ok' });
      written.push(round);
      const started = await fo.invoke(ctx, { f: 'start-failover', value: null });
      const old = (started.value as { old: string }).old;
      expect(started.value).toMatchObject({ decision: 'promoted' });
      expect(db.roles().get(old)).toBe('fenced');
      const paused = await pausePackage().invoke(ctx, { f: 'pause', value: { node: old } });
      expect(paused).toMatchObject({ type: 'fail', value: { node: old, refused: 'fenced' } });
      expect(paused.error).toMatch(
        new RegExp(`^not done: ${old} is fenced \\(a failover's old primary, out of the cluster until it is rebuilt\\); a careful schedule does not pause it$`),
      );
      expect(await killPackage().invoke(ctx, { f: 'start-kill', value: { node: old } })).toMatchObject({
        type: 'fail',
        value: { node: old, refused: 'fenced' },
      });
      const stopped = await fo.invoke(ctx, { f: 'stop-failover', value: null });
      expect(stopped).toMatchObject({ type: 'info', value: { primary: db.primary().name, rebuilt: [old] } });
      expect(stopped.error).toBeUndefined();
      expect(db.roles().get(old)).toBe('standby');
    }
    // A killed node not yet restarted is down: a pause of it is refused too.
    const standby = db.standbys()[0]!;
    await db.kill(cluster.nodes.find((n) => n.name === standby)!);
    expect(await pausePackage().invoke(ctx, { f: 'pause', value: { node: standby } })).toMatchObject({ type: 'fail', value: { refused: 'down' } });
    await db.restart(cluster.nodes.find((n) => n.name === standby)!);
    const w = await until(c, 'append', [1, 3], 20_000);
    expect(w.last, `append after two failovers (errors: ${w.errors.join(' | ')})`).toMatchObject({ type: 'ok', node: db.primary().name });
    written.push(3);
    expect((await until(c, 'read', [1, null])).last).toMatchObject({ type: 'ok', value: [1, written] });
    await c.close();
  }, 240_000);

  it("the kill package's stop restarts a killed primary before it rebuilds a fenced node from it (the soak kept its primary down)", async () => {
    const { db, cluster } = await start();
    const ctx = { cluster, db };
    const kill = killPackage();
    const c = await db.client(0, { reads: 'primary' });
    expect((await until(c, 'append', [1, 1])).last).toMatchObject({ type: 'ok' });
    expect(await kill.invoke(ctx, { f: 'start-kill', value: { node: 'primary' } })).toMatchObject({ type: 'info', value: { node: 'n1' } });
    const fo = await db.failover({ fence: true, waitMs: 10_000 });
    expect(fo).toMatchObject({ old: 'n1', decision: 'promoted' });
    // The new primary is killed too: the killed set is now [n1 (fenced), the new primary].
    expect(await kill.invoke(ctx, { f: 'start-kill', value: { node: 'primary' } })).toMatchObject({ type: 'info', value: { node: fo.promoted } });
    const stopped = await kill.invoke(ctx, { f: 'stop-kill', value: null });
    expect(stopped).toMatchObject({ type: 'info', value: { restarted: [fo.promoted, 'n1'] } });
    expect(stopped.error).toBeUndefined();
    expect(db.roles().get(fo.promoted!)).toBe('primary');
    expect(db.roles().get('n1')).toBe('standby');
    const w = await until(c, 'append', [1, 2], 20_000);
    expect(w.last, `append after the restarts (errors: ${w.errors.join(' | ')})`).toMatchObject({ type: 'ok', node: fo.promoted });
    expect((await until(c, 'read', [1, null])).last).toMatchObject({ type: 'ok', value: [1, [1, 2]] });
    await c.close();
  }, 240_000);
});
