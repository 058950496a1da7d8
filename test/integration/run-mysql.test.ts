import type { Op } from '../../src/history/op.js';
import { describe, expect, it } from 'vitest';
import { mysqlAdapter } from '../../src/adapters/mysql/index.js';
import { RUNTIMES, verdict, type CheckedRun, runsOf } from './support.js';

// `faultline run` end to end against real MariaDB clusters in network namespaces: the issue's
// known-anomaly pairs (an unsafe configuration finds the anomaly, the safe one does not).

const clientOps = (r: CheckedRun, type: string) => r.history.filter((o) => o.process !== 'nemesis' && o.type === type);

describe.each(RUNTIMES)('faultline run: mysql (MariaDB) on %s', (runtime) => {
  const { run } = runsOf(mysqlAdapter, { runtime });

  it('async replication with reads from replicas violates read-your-writes', async () => {
    // One key and a high rate, so a session often reads the key right after its own append: at 300
    // ops/s over 5 keys a session's next read of its key came ~30 ms later, after the replica had
    // usually caught up, and a quiet machine then showed no violation at all (a flaky pair).
    const r = await run({ replication: 'async', reads: 'replicas', keys: 1, rate: 2000 });
    const v = verdict(r, 'read-your-writes');
    expect(v.valid).toBe(false);
    expect(v.anomalies.length).toBeGreaterThan(0);
    expect(v.anomalies[0]!.explanation).toMatch(/read key \d+ from n[23]/);
  }, 120_000);

  it('reads from the primary keep read-your-writes, over the same workload', async () => {
    const r = await run({ replication: 'async', reads: 'primary', keys: 1, rate: 2000 });
    expect(verdict(r, 'read-your-writes').valid).toBe(true);
    expect(clientOps(r, 'ok').filter((o) => o.f === 'read').length).toBeGreaterThan(100);
  }, 120_000);

  it('async replication and a failover: acknowledged writes are lost', async () => {
    const r = await run({ replication: 'async', nemesis: 'failover', timeLimitS: 10, nemesisIntervalS: 3, rate: 500 });
    expect(r.history.filter((o) => o.process === 'nemesis' && o.f === 'start-failover' && o.type === 'info' && !o.error).length).toBeGreaterThan(0);
    const lw = verdict(r, 'lost-writes');
    expect(lw.valid).toBe(false);
    const lost = lw.anomalies.filter((a) => a.kind === 'lost');
    expect(lost.length).toBeGreaterThan(0);
  }, 180_000);

  it('semi-sync replication and a failover lose no acknowledged write', async () => {
    const r = await run({ replication: 'semi-sync', nemesis: 'failover', timeLimitS: 10, nemesisIntervalS: 3, rate: 500 });
    expect(r.history.filter((o) => o.process === 'nemesis' && o.f === 'start-failover' && o.type === 'info' && !o.error).length).toBeGreaterThan(0);
    expect(clientOps(r, 'ok').filter((o) => o.f === 'append').length).toBeGreaterThan(200);
    const lw = verdict(r, 'lost-writes');
    expect(lw.anomalies.filter((a) => a.kind === 'lost')).toEqual([]);
    expect(lw.valid).toBe(true);
  }, 180_000);

  it('kill, pause, partition and clock faults start and heal cleanly', async () => {
    const r = await run({ workload: 'register', nemesis: 'kill,pause,partition,clock', timeLimitS: 16, nemesisIntervalS: 1, rate: 200 });
    const nem = r.history.filter((o) => o.process === 'nemesis' && o.type !== 'invoke');
    const fs = new Set(nem.map((o) => o.f));
    for (const f of ['start-kill', 'stop-kill', 'pause', 'resume', 'start-partition', 'stop-partition', 'start-clock', 'stop-clock'])
      expect([...fs], f).toContain(f);
    // The schedule may pause or kill a node it killed a moment ago: that op is refused as fail ("not done: ...").
    // A stop-kill mid-run may fail to rebuild a node whose primary is paused or down (the next one retries it);
    // the last stop-kill must restart everything. Nothing else errs.
    const refused = (o: Op) => (o.f === 'pause' || o.f === 'start-kill') && o.type === 'fail' && /not running|^not done: /.test(String(o.error));
    const lastStopKill = Math.max(...nem.filter((o) => o.f === 'stop-kill').map((o) => o.index));
    const errs = nem.filter((o) => o.error && !refused(o) && !(o.f === 'stop-kill' && o.index < lastStopKill));
    expect(errs, JSON.stringify(errs)).toEqual([]);
    expect(clientOps(r, 'ok').length).toBeGreaterThan(200);
    expect(verdict(r, 'linearizable').valid).not.toBe(false);
  }, 240_000);
});
