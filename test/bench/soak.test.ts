import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SAFE_CONFIGS, supportedPackages } from '../../bench/soak/configs.js';
import { classify } from '../../bench/soak/known.js';
import { measureRun } from '../../bench/soak/measure.js';
import { pairOps } from '../../src/history/index.js';
import { h } from '../support/history.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function storedRun(ops: ReturnType<typeof h>, verdicts: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'soak-test-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'history.jsonl'), ops.map((o) => JSON.stringify(o)).join('\n') + '\n');
  writeFileSync(join(dir, 'results.json'), JSON.stringify({ valid: true, verdicts }));
  return dir;
}

describe('soak: which faults each safe configuration gets', () => {
  it("asks the run's own refusals: no clock on Redis, no failover or proxy faults on Cassandra, never the unsafe failovers", () => {
    const redis = supportedPackages('redis');
    expect(redis.supported).not.toContain('clock');
    expect(redis.refused.clock).toMatch(/not supported for redis/);
    const cass = supportedPackages('cassandra');
    expect(cass.supported).toEqual(['partition', 'kill', 'pause', 'clock', 'loss', 'bandwidth']);
    expect(cass.refused.failover).toMatch(/masterless/);
    const pg = supportedPackages('postgres');
    expect(pg.supported).toContain('failover');
    expect(pg.supported).toContain('latency');
    for (const db of ['postgres', 'mysql', 'redis', 'cassandra']) {
      expect(supportedPackages(db).supported).not.toContain('split-brain');
      expect(supportedPackages(db).supported).not.toContain('naive-failover');
    }
    expect(new Set(SAFE_CONFIGS.map((c) => c.db))).toEqual(new Set(['postgres', 'mysql', 'redis', 'cassandra']));
  });
});

describe('soak: figures from a stored run', () => {
  // time = index ms. A partition from 2 to 9; ok at 1, a gap while it is on, then a final read after the heal.
  const ops = h([
    [0, 'invoke', 'append', [1, 1]],
    [0, 'ok', 'append', [1, 1]],
    ['nemesis', 'invoke', 'start-partition', 'one'],
    ['nemesis', 'info', 'start-partition', 'one'],
    [0, 'invoke', 'append', [1, 2]],
    [0, 'info', 'append', [1, 2]],
    [1, 'invoke', 'append', [1, 3]],
    [1, 'fail', 'append', [1, 3]],
    [2, 'invoke', 'append', [1, 4]],
    ['nemesis', 'invoke', 'stop-partition', null],
    ['nemesis', 'info', 'stop-partition', 'healed'],
    [2, 'ok', 'append', [1, 4]],
    [3, 'invoke', 'read', [1, null]],
    [3, 'ok', 'read', [1, [1, 4]]],
  ]);

  it('counts ops, the longest gap without an ok, and the time from the final heal to the first ok after it', async () => {
    const g = await measureRun(storedRun(ops));
    expect([g.ok, g.fail, g.info]).toEqual([3, 1, 1]);
    expect(g.longestGapMs).toBe(10); // ok at 1 ms, then none until the end of the workload at 11 ms
    expect(g.finalHealAtS).toBeCloseTo(0.01);
    expect(g.healToOkMs).toBe(3); // the read invoked at 12 completes at 13
    expect(g.recovery).toEqual({ source: 'history', recovered: true });
  });

  it("is not recovered when a final read fails, and takes the recovery checker's word when results.json has one", async () => {
    const failing = h([
      ...ops.slice(0, 12).map((o) => [o.process, o.type, o.f, o.value] as [typeof o.process, typeof o.type, string, unknown]),
      [3, 'invoke', 'read', [1, null]],
      [3, 'ok', 'read', [1, [1, 4]]],
      [4, 'invoke', 'read', [2, null]],
      [4, 'fail', 'read', [2, null]],
    ]);
    const g = await measureRun(storedRun(failing));
    expect(g.recovery.recovered).toBe(false);
    expect(g.recovery.why).toMatch(/1 of 2 final reads were not ok/);
    const c = await measureRun(
      storedRun(ops, { recovery: { valid: false, anomalies: [{ kind: 'not-recovered', ops: [10], explanation: 'no ok for 30 s' }] } }),
    );
    expect(c.recovery).toEqual({ source: 'checker', recovered: false, why: 'no ok for 30 s' });
  });
});

describe('soak: documented anomalies', () => {
  const redis = SAFE_CONFIGS.find((c) => c.db === 'redis')!;
  const ops = h([
    [0, 'invoke', 'append', [1, 1]],
    [0, 'info', 'append', [1, 1]],
    [1, 'invoke', 'append', [1, 2]],
    [1, 'ok', 'append', [1, 2]],
  ]);
  const pairs = pairOps(ops);

  it('Redis WAIT: a vanished info write is the documented anomaly; a vanished ok write is a finding', () => {
    const lostInfo = { kind: 'lost', ops: [0, 1], explanation: 'lost 1' };
    const lostOk = { kind: 'lost', ops: [2, 3], explanation: 'lost 2' };
    const r = classify(redis, [{ name: 'lost-writes', valid: false, anomalies: [lostInfo, lostOk] }], pairs);
    expect(r.known.map((k) => [k.entry.id, k.count])).toEqual([['redis-wait-info-write-discarded', 1]]);
    expect(r.unexplained.map((u) => u.anomaly?.explanation)).toEqual(['lost 2']);
    const mono = classify(
      redis,
      [{ name: 'monotonic-reads', valid: false, anomalies: [{ kind: 'monotonic-reads', ops: [], explanation: 'x', data: { key: 1, element: 1 } }] }],
      pairs,
    );
    expect(mono.unexplained).toEqual([]);
  });

  it('MariaDB semi-sync: a vanished info write is documented only when its node was killed while it was in flight', () => {
    const mysql = SAFE_CONFIGS.find((c) => c.db === 'mysql')!;
    const at = (i: number, t: number, process: number | 'nemesis', type: string, f: string, value: unknown, node?: string) => ({
      index: i,
      time: t,
      process,
      type,
      f,
      value,
      ...(node ? { node } : {}),
    });
    const history = [
      at(0, 10, 0, 'invoke', 'append', [1, 1]),
      at(1, 20, 'nemesis', 'invoke', 'start-kill', { node: 'primary' }),
      at(2, 30, 'nemesis', 'info', 'start-kill', { node: 'n3' }),
      at(3, 40, 0, 'info', 'append', [1, 1], 'n3'),
      at(4, 50, 1, 'invoke', 'append', [1, 2]),
      at(5, 60, 1, 'info', 'append', [1, 2], 'n3'),
    ] as never[];
    const r = classify(
      mysql,
      [
        {
          name: 'lost-writes',
          valid: false,
          anomalies: [
            { kind: 'lost', ops: [0, 3], explanation: 'killed in flight' },
            { kind: 'lost', ops: [4, 5], explanation: 'info, but no kill while in flight' },
          ],
        },
      ],
      pairOps(history),
      history,
    );
    expect(r.known.map((k) => [k.entry.id, k.count])).toEqual([['mariadb-semisync-crash-recovered-info-write-discarded', 1]]);
    expect(r.unexplained.map((u) => u.anomaly?.explanation)).toEqual(['info, but no kill while in flight']);
  });

  it('Cassandra quorum: a read lacking an append it overlapped is documented; one that began after the append completed is a finding', () => {
    const cass = SAFE_CONFIGS.find((c) => c.db === 'cassandra' && c.replication === 'quorum')!;
    const at = (i: number, t: number, process: number, type: string, f: string, value: unknown) => ({ index: i, time: t, process, type, f, value });
    const history = [
      at(0, 100, 17, 'invoke', 'read', [3, null]), // the overlapping observer
      at(1, 224, 8, 'invoke', 'append', [3, 8]),
      at(2, 233, 8, 'ok', 'append', [3, 8]),
      at(3, 240, 19, 'invoke', 'read', [3, null]),
      at(4, 258, 19, 'ok', 'read', [3, [7, 8]]),
      at(5, 259, 19, 'invoke', 'append', [3, 11]),
      at(6, 270, 19, 'ok', 'append', [3, 11]),
      at(7, 332, 17, 'ok', 'read', [3, [7, 11]]),
      at(8, 300, 20, 'invoke', 'read', [3, null]), // began after 8 was acknowledged
      at(9, 340, 20, 'ok', 'read', [3, [7, 11]]),
    ] as never[];
    const wfr = (ops: number[], explanation: string) => ({ kind: 'writes-follow-reads', ops, explanation, data: { key: 3, read: 8, append: 11, session: 19 } });
    const r = classify(
      cass,
      [{ name: 'writes-follow-reads', valid: false, anomalies: [wfr([0, 3, 4, 5, 6, 7], 'overlapping'), wfr([3, 4, 5, 6, 8, 9], 'after')] }],
      pairOps(history),
      history,
    );
    expect(r.known.map((k) => [k.entry.id, k.count])).toEqual([['cassandra-quorum-read-merges-moments', 1]]);
    expect(r.unexplained.map((u) => u.anomaly?.explanation)).toEqual(['after']);
    // A read holding both, the later append first: the list order by coordinator clock.
    const reordered = [...history.slice(0, 9), at(9, 340, 20, 'ok', 'read', [3, [7, 11, 8]])] as never[];
    const o = classify(cass, [{ name: 'writes-follow-reads', valid: false, anomalies: [wfr([8, 9], 'order')] }], pairOps(reordered), reordered);
    expect(o.known.map((k) => k.entry.id)).toEqual(['cassandra-list-order-by-coordinator-clock']);
    expect(o.unexplained).toEqual([]);
  });

  it('the same anomaly under another configuration, and any unknown verdict, are findings', () => {
    const pg = SAFE_CONFIGS.find((c) => c.db === 'postgres')!;
    const r = classify(
      pg,
      [
        { name: 'lost-writes', valid: false, anomalies: [{ kind: 'lost', ops: [0, 1], explanation: 'lost 1' }] },
        { name: 'stats', valid: 'unknown', anomalies: [], cause: 'no read after the final heal' },
      ],
      pairs,
    );
    expect(r.known).toEqual([]);
    expect(r.unexplained.map((u) => u.checker)).toEqual(['lost-writes', 'stats']);
  });
});
