import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cassandraAdapter } from '../../src/adapters/cassandra/index.js';
import type { Op } from '../../src/history/op.js';
import { runTest } from '../../src/run/run.js';
import { readJson } from '../../src/run/store.js';
import { RUNTIMES, verdict, type CheckedRun, runsOf } from './support.js';

// `faultline run` end to end against real 3-node Cassandra 5.0 clusters (RF 3) in network namespaces:
// the issue's known anomalies in unsafe configurations, none in the safe ones. Each test starts its own
// cluster (~15-60 s on 2 cores, depending on load), so the runs are kept short.

const nemesisOps = (r: CheckedRun) => r.history.filter((o) => o.process === 'nemesis' && o.type === 'info').map((o) => o.f);

/**
 * Lost updates won by `via`'s writes: a read returns v although an acknowledged write of another value,
 * through another coordinator, began after every write of v had completed and completed before the
 * read began; and v was written through `via` (whose timestamps, ahead, won last write wins).
 */
function lostToSkewed(history: Op[], via: string): string[] {
  type Done = { f: string; type: string; k: unknown; v: unknown; start: number; end: number; node?: string };
  const started = new Map<unknown, Op>();
  const done: Done[] = [];
  for (const o of history) {
    if (o.process === 'nemesis') continue;
    if (o.type === 'invoke') {
      started.set(o.process, o);
      continue;
    }
    const [k, v] = o.value as [unknown, unknown];
    done.push({ f: o.f, type: o.type, k, v, start: started.get(o.process)!.time, end: o.time, node: o.node });
  }
  const out: string[] = [];
  for (const r of done) {
    if (r.f !== 'read' || r.type !== 'ok' || r.v === null) continue;
    // Writes of v that could explain the read (begun before it ended); an info one could land any time.
    const same = done.filter((w) => w.f === 'write' && w.k === r.k && w.v === r.v && w.type !== 'fail' && w.start < r.end);
    if (!same.some((w) => w.node === via) || same.some((w) => w.type !== 'ok')) continue;
    const lastEnd = Math.max(...same.map((w) => w.end));
    const later = done.find((x) => x.f === 'write' && x.type === 'ok' && x.k === r.k && x.v !== r.v && x.node !== via && x.start > lastEnd && x.end < r.start);
    if (later) out.push(`key ${String(r.k)}: read ${String(r.v)} (written via ${via}) after ${String(later.v)} was acknowledged via ${later.node}`);
  }
  return out;
}

/** run.json's health wait after the final heal, and the final reads (every op after the last nemesis op). */
function afterHeal(r: CheckedRun) {
  const health = readJson<{ healthAfterHeal: { supported: boolean; healthy: boolean; waitedMs: number } }>(join(r.dir, 'run.json')).healthAfterHeal;
  const lastNemesis = Math.max(...r.history.filter((o) => o.process === 'nemesis').map((o) => o.index));
  const finals = r.history.filter((o) => o.process !== 'nemesis' && o.index > lastNemesis && o.type !== 'invoke' && o.f === 'read');
  return { health, finals, notOk: finals.filter((o) => o.type !== 'ok') };
}

describe.each(RUNTIMES)('faultline run: cassandra on %s', (runtime) => {
  const { run, spec } = runsOf(cassandraAdapter, { timeLimitS: 10, concurrency: 9, rate: 150, replication: 'quorum', reads: 'replicas', runtime });

  // Last write wins by the coordinator's clock. Seed 147 with a 3 s interval schedules one fault: n2's clock
  // 60 s ahead from 2.2 s to 5.5 s, long enough for libfaketime to pick up (it re-reads the offset each
  // second; seed 7's ~1 s windows were missed, and that run was linearizable). Sessions 1, 4 and 7 write
  // through n2, which stamps their writes 60 s ahead, so later acknowledged writes through n1 and n3 to the
  // same key lose. The heal steps n2's wall clock back 60 s and nothing else (skew-clock.ts): n2 serves at
  // once. Under libfaketime its monotonic clock stepped back too, and it timed out every request for ~60 s.
  // Reads and writes only: lightweight transactions mixed with plain writes are unsafe even without skew.
  const rw = { workload: 'rw-register', reads: 'any', nemesisIntervalS: 3, timeLimitS: 12, rate: 100, seed: 147 } as const;

  it('clock skew with server-side timestamps: last write wins loses acknowledged register writes (QUORUM/QUORUM)', async () => {
    const r = await run({ ...rw, nemesis: 'clock' });
    const skews = r.history.filter((o) => o.process === 'nemesis' && o.type === 'info' && o.f === 'start-clock').map((o) => o.value);
    expect(skews).toEqual([{ node: 'n2', mode: 'bump', seconds: 60 }]);
    expect(verdict(r, 'linearizable').valid).toBe(false);
    // For the right reason: reads return values written through n2 although a later write through another
    // coordinator was acknowledged before the read began.
    expect(lostToSkewed(r.history, 'n2').length).toBeGreaterThan(0);
    const { health, finals, notOk } = afterHeal(r);
    expect(health).toMatchObject({ supported: true, healthy: true });
    expect(health.waitedMs).toBeLessThan(5000);
    expect(finals.length).toBeGreaterThan(0);
    expect(notOk).toEqual([]);
  }, 400_000);

  it('control: the same reads and writes without clock skew are linearizable', async () => {
    const r = await run({ ...rw, nemesis: 'none' });
    expect(r.history.filter((o) => o.type === 'ok' && o.f === 'write').length).toBeGreaterThan(200);
    expect(verdict(r, 'linearizable').valid).toBe(true);
    expect(lostToSkewed(r.history, 'n2')).toEqual([]);
  }, 400_000);

  it('ONE/ONE with reads through another coordinator violates read-your-writes under partitions', async () => {
    const r = await run({ replication: 'one', nemesis: 'partition', nemesisIntervalS: 2 });
    expect(nemesisOps(r)).toContain('start-partition');
    const v = verdict(r, 'read-your-writes');
    expect(v.valid).toBe(false);
    expect(v.anomalies.length).toBeGreaterThan(0);
  }, 400_000);

  it('QUORUM/QUORUM with reads through another coordinator keeps read-your-writes, without faults', async () => {
    const r = await run({ replication: 'quorum' });
    expect(verdict(r, 'read-your-writes').valid).toBe(true);
    // Not vacuous: sessions read their keys through a coordinator other than the one they wrote through.
    expect(r.history.filter((o) => o.type === 'ok' && o.f === 'read').length).toBeGreaterThan(100);
  }, 400_000);

  it('lightweight transactions (SERIAL reads, LWT writes and cas) stay linearizable under partitions', async () => {
    const r = await run({ workload: 'register', replication: 'serial', reads: 'any', nemesis: 'partition', nemesisIntervalS: 2, rate: 60 });
    expect(nemesisOps(r)).toContain('start-partition');
    expect(r.history.filter((o) => o.type === 'ok' && o.process !== 'nemesis').length).toBeGreaterThan(50);
    expect(verdict(r, 'linearizable').valid).toBe(true);
  }, 400_000);

  it('after kill and clock faults the run waits until every node serves again, and every final read (at ALL) is ok', async () => {
    // Issue 11 (soak): final reads through n2 (clock bumped) failed at ALL 3-3.8 s after the heal, when the
    // run waited only its 3 s quiet period. Now it waits (bounded) for each node to see every replica alive.
    // Seed 16 bumps n2's clock -5 s (as in the soak) and kills n3, then n2. (A forward bump healed is the
    // clock-skew test above: with the monotonic clock left real, the node serves at once.)
    // A 60 s recovery bound gives the health wait its longest budget (30 s): one clean-clone CI run on a machine
    // loaded by other work saw n2 refuse CL=ALL probes for the 15 s a 30 s bound allows (quiet: healthy in ~60 ms).
    const r = await run({
      nemesis: 'kill,clock',
      nemesisIntervalS: 2,
      timeLimitS: 12,
      replication: 'quorum',
      reads: 'replicas',
      seed: 16,
      recoveryTimeoutS: 60,
    });
    const { health: h, finals, notOk } = afterHeal(r);
    console.log(
      `health after heal: ${JSON.stringify(h)}; final reads: ${finals.length - notOk.length} of ${finals.length} ok${notOk[0] ? `; first not ok: ${JSON.stringify(notOk[0])}` : ''}`,
    );
    expect(nemesisOps(r)).toContain('stop-kill');
    expect(h).toMatchObject({ supported: true, healthy: true });
    expect(finals.length).toBeGreaterThan(0);
    expect(notOk).toEqual([]);
  }, 400_000);

  it('kill, pause, partition and clock start and heal cleanly, and failover is refused', async () => {
    await expect(runTest(spec({ nemesis: 'failover' }), { log: () => {} })).rejects.toThrow(/masterless/);
    const r = await run({ nemesis: 'kill,pause,partition,clock', nemesisIntervalS: 2, timeLimitS: 12 });
    const nem = nemesisOps(r);
    for (const f of ['start-kill', 'stop-kill', 'pause', 'resume', 'start-partition', 'stop-partition']) expect(nem).toContain(f);
    expect(r.history.filter((o) => o.type === 'ok' && o.f === 'read').length).toBeGreaterThan(0);
  }, 400_000);

  it('leaderless at ONE under partitions (issue 16): after the heal every node, read at ONE through itself, converges', async () => {
    // Writes at ONE through a cut-off node are acknowledged by it alone; after the heal hinted handoff (or,
    // when the nodes still disagree at the end of the wait, the run's nodetool repair) must bring every
    // replica to the same lists. The wait is long enough for hints on a loaded 2-core machine (14-23 s seen).
    const r = await run({
      workload: 'append',
      replication: 'one',
      reads: 'any',
      nemesis: 'partition',
      nemesisIntervalS: 2,
      timeLimitS: 10,
      seed: 5,
      convergeWithinS: 60,
    });
    expect(nemesisOps(r)).toContain('start-partition');
    const c = verdict(r, 'convergence');
    const k = verdict(r, 'conflicts');
    const info = readJson<{ spec: { topology: string }; nodeReads: { rounds: number; disagreeing: unknown[]; agreed: number; repair?: unknown } }>(
      join(r.dir, 'run.json'),
    );
    console.log(
      `ONE under partitions: convergence ${String(c.valid)}, conflicts ${String(k.valid)}; node reads ${JSON.stringify(info.nodeReads)}; ` +
        `converged late: ${JSON.stringify((c.stats as { convergedLate?: unknown[] }).convergedLate?.length)}`,
    );
    expect(info.spec.topology).toBe('leaderless');
    // Every key read at ONE from each of the three nodes after the final heal.
    const heal = Math.max(...r.history.filter((o) => o.process === 'nemesis').map((o) => o.index));
    const perNode = new Map<string, number>();
    for (const o of r.history) if (o.index > heal && o.f === 'read' && o.type === 'ok' && o.node) perNode.set(o.node, (perNode.get(o.node) ?? 0) + 1);
    expect([...perNode.keys()].sort()).toEqual(['n1', 'n2', 'n3']);
    expect(info.nodeReads.disagreeing).toEqual([]);
    expect(c.valid, JSON.stringify(c.anomalies.slice(0, 2))).toBe(true);
    expect(k.valid, JSON.stringify(k.anomalies.slice(0, 2))).toBe(true);
  }, 400_000);
});
