import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redisAdapter, type RedisDb } from '../../src/adapters/redis/index.js';
import type { Replication } from '../../src/adapters/redis/index.js';
import { adminCall, parseInfo } from '../../src/adapters/redis/conn.js';
import { PORT } from '../../src/adapters/redis/settings.js';
import { checkLostWrites } from '../../src/checkers/replication/index.js';
import type { Op } from '../../src/history/op.js';
import { runtimeByName } from '../../src/runtime/index.js';
import { RUNTIMES, tearDown, verdict, runsOf } from './support.js';

// `faultline run` end to end against real Redis clusters in network namespaces, and the classic Redis
// Sentinel result driven directly (RunSpec has no Sentinel switch yet): the unsafe configuration finds the
// anomaly, the safer one does not.

describe.each(RUNTIMES)('faultline run: redis on %s', (runtime) => {
  const { run, store } = runsOf(redisAdapter, { opTimeoutMs: 2000, nemesisIntervalS: 2, runtime });

  // Replication on one machine takes microseconds, so a replica read right after an acknowledged write
  // almost always sees it; a replica cut off by a partition keeps serving its stale copy.
  it('async + reads from replicas under partitions violates read-your-writes', async () => {
    const r = await run({ reads: 'replicas', nemesis: 'partition' });
    const v = verdict(r, 'read-your-writes');
    expect(v.valid).toBe(false);
    expect(v.anomalies[0]!.explanation).toMatch(/read key \d+ from n[23]/);
  }, 120_000);

  it('async + reads from the primary under the same partitions keeps read-your-writes', async () => {
    const r = await run({ reads: 'primary', nemesis: 'partition' });
    expect(verdict(r, 'read-your-writes').valid).toBe(true);
    expect(r.history.filter((o) => o.type === 'ok' && o.f === 'read').length).toBeGreaterThan(100);
  }, 120_000);

  it('the register workload on the primary stays linearizable under partitions, kills and pauses, which start and heal cleanly', async () => {
    const r = await run({ workload: 'register', nemesis: 'partition,kill,pause', timeLimitS: 12, rate: 200 });
    const nem = r.history.filter((o) => o.process === 'nemesis' && o.type === 'info').map((o) => o.f);
    for (const f of ['start-partition', 'stop-partition', 'start-kill', 'stop-kill', 'pause', 'resume']) expect(nem).toContain(f);
    expect(r.history.filter((o) => o.type === 'ok' && o.process !== 'nemesis').length).toBeGreaterThan(200);
    expect(verdict(r, 'linearizable').valid).toBe(true);
  }, 180_000);

  it('faultline run --db redis --nemesis clock is refused with exit 64 and a sentence saying why', () => {
    const cli = join(process.cwd(), 'dist/src/cli/main.js');
    expect(existsSync(cli)).toBe(true);
    const r = spawnSync(process.execPath, [cli, 'run', '--db', 'redis', '--nemesis', 'clock', '--time-limit', '1', '--store', store(), '--runtime', runtime], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(64);
    expect(r.stderr).toMatch(/clock.*redis.*libfaketime/s);
  });
});

/**
 * The classic result, driven directly: 8 writers append unique elements to 5 lists on the primary while a
 * partition cuts the primary (n1, and its sentinel) off from n2 and n3. The majority's sentinels promote a
 * replica; the writers connected to n1 keep writing to it (clients still reach it) until the heal, when
 * Sentinel demotes n1 and it resyncs from the new primary, throwing away what only it had.
 */
interface Outcome {
  history: Op[];
  acked: number;
  lostAcked: number;
  promoted: string;
  tookMs: number;
}

async function isolatedPrimaryWithSentinel(runtime: string, mode: Replication): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'fl-redis-classic-'));
  chmodSync(dir, 0o755);
  const cluster = await runtimeByName(runtime).up({ runId: `redisclassic-${process.pid}-${runtime}-${mode}`, dir, nodes: 3, image: 'redis' });
  let db: RedisDb | undefined;
  const history: Op[] = [];
  const t0 = process.hrtime.bigint();
  const log = (op: Omit<Op, 'index' | 'time'>) => {
    history.push({ ...op, index: history.length, time: Number(process.hrtime.bigint() - t0) });
  };
  let stop = false;
  try {
    db = (await redisAdapter.setup(cluster, { replication: mode, reads: 'primary', workload: 'append', sentinel: true })) as RedisDb;
    const d = db;
    let next = 0;
    const workers = Array.from({ length: 8 }, async (_, p) => {
      const c = await d.client(p);
      try {
        while (!stop) {
          const e = next++;
          const value = [e % 5, e];
          log({ type: 'invoke', process: p, f: 'append', value });
          const r = await c.invoke('append', value, 1000);
          log({ type: r.type, process: p, f: 'append', value, ...(r.error ? { error: r.error } : {}), ...(r.node ? { node: r.node } : {}) });
          if (r.type !== 'ok') await new Promise((res) => setTimeout(res, 20));
        }
      } finally {
        await c.close();
      }
    });
    await new Promise((res) => setTimeout(res, 1000));
    const [n1, n2, n3] = cluster.nodes as [(typeof cluster.nodes)[0], (typeof cluster.nodes)[0], (typeof cluster.nodes)[0]];
    log({ type: 'invoke', process: 'nemesis', f: 'start-partition', value: { shape: 'primary' } });
    const cutAt = Date.now();
    await n1.partition([n2.ip, n3.ip]);
    log({ type: 'info', process: 'nemesis', f: 'start-partition', value: { shape: 'primary' } });
    while (d.primary().name === 'n1' && Date.now() - cutAt < 20_000) await new Promise((res) => setTimeout(res, 50));
    const tookMs = Date.now() - cutAt;
    const promoted = d.primary().name;
    await new Promise((res) => setTimeout(res, 1000)); // writers on n1 keep going a while after the promotion
    log({ type: 'invoke', process: 'nemesis', f: 'stop-partition', value: null });
    await cluster.healAll();
    log({ type: 'info', process: 'nemesis', f: 'stop-partition', value: 'healed' });
    // Sentinel notices n1 (INFO every 10 s at most) and makes it a replica of the new primary.
    const end = Date.now() + 25_000;
    while (Date.now() < end) {
      const role = await adminCall(n1.ip, PORT, ['INFO', 'replication'], 1000)
        .then((x) => parseInfo(String(x)).get('role'))
        .catch(() => undefined);
      if (role === 'slave') break;
      await new Promise((res) => setTimeout(res, 100));
    }
    await new Promise((res) => setTimeout(res, 1000));
    stop = true;
    await Promise.all(workers);
    // Final reads of every key from the primary.
    const c = await d.client(100, { reads: 'primary' });
    for (let k = 0; k < 5; k++) {
      log({ type: 'invoke', process: 100, f: 'read', value: [k, null] });
      const r = await c.invoke('read', [k, null], 2000);
      log({ type: r.type, process: 100, f: 'read', value: r.value, ...(r.node ? { node: r.node } : {}) });
    }
    await c.close();
    const finals = new Map<number, Set<number>>();
    for (const o of history)
      if (o.process === 100 && o.type === 'ok') finals.set((o.value as [number, number[]])[0], new Set((o.value as [number, number[]])[1]));
    const acked = history.filter((o) => o.type === 'ok' && o.f === 'append');
    const lostAcked = acked.filter((o) => {
      const [k, e] = o.value as [number, number];
      return !finals.get(k)?.has(e);
    }).length;
    return { history, acked: acked.length, lostAcked, promoted, tookMs };
  } finally {
    stop = true;
    await tearDown({ cluster, db, dir, runtime });
  }
}

describe.each(RUNTIMES)('redis with Sentinel on %s: a partition isolates the primary with a minority', (runtime) => {
  it('async: Sentinel promotes a replica, the old primary keeps acknowledging writes, and they are lost after the heal', async () => {
    const o = await isolatedPrimaryWithSentinel(runtime, 'async');
    expect(o.promoted).not.toBe('n1');
    expect(o.lostAcked).toBeGreaterThan(0);
    const v = checkLostWrites(o.history);
    expect(v.valid).toBe(false);
    expect(v.anomalies.some((a) => a.kind === 'lost')).toBe(true);
  }, 120_000);

  it('wait (WAIT every replica + min-replicas-to-write): the same failover loses no acknowledged write', async () => {
    const o = await isolatedPrimaryWithSentinel(runtime, 'wait');
    expect(o.promoted).not.toBe('n1');
    expect(o.acked).toBeGreaterThan(100);
    expect(o.lostAcked).toBe(0);
    const v = checkLostWrites(o.history);
    expect(v.anomalies.filter((a) => a.kind === 'lost')).toEqual([]);
  }, 120_000);
});
