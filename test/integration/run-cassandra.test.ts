import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cassandraAdapter } from '../../src/adapters/cassandra/index.js';
import { loadHistory } from '../../src/history/load.js';
import { lintHistory } from '../../src/history/lint.js';
import { runTest, type RunSpec } from '../../src/run/run.js';
import { readJson } from '../../src/run/store.js';
import { localRuntime } from '../../src/runtime/local/index.js';
import { leftovers, requireRuntime } from './support.js';

// `faultline run` end to end against real 3-node Cassandra 5.0 clusters (RF 3) in network namespaces:
// the known anomalies in unsafe configurations, none in the safe ones. Each test starts its own
// cluster (~15-60 s on 2 cores, depending on load), so the runs are kept short.
let store: string;
beforeAll(async () => {
  await requireRuntime(async () => (await localRuntime.unavailable()) ?? (await cassandraAdapter.unavailable()));
  store = mkdtempSync(join(tmpdir(), 'fl-run-cassandra-'));
});
afterAll(() => { if (store) rmSync(store, { recursive: true, force: true }); });

const base = (over: Partial<RunSpec>): RunSpec => ({
  db: 'cassandra', workload: 'append', nemesis: 'none', timeLimitS: 10, concurrency: 9, rate: 150, nodes: 3,
  replication: 'quorum', reads: 'replicas', keys: 20, seed: 7, runtime: 'local', opTimeoutMs: 3000,
  nemesisIntervalS: 3, store, argv: ['faultline', 'run', '(test)'], ...over,
});

async function run(over: Partial<RunSpec>) {
  const r = await runTest(base(over), { log: () => {} });
  const run = readJson<{ runId: string }>(join(r.dir, 'run.json'));
  expect(leftovers(run.runId)).toEqual([]);
  const h = await loadHistory(join(r.dir, 'history.jsonl'));
  expect(lintHistory(h)).toEqual([]);
  return { ...r, runId: run.runId, history: h.ops };
}

const verdict = (r: Awaited<ReturnType<typeof run>>, name: string) => r.results.verdicts[name]!;
const nemesisOps = (r: Awaited<ReturnType<typeof run>>) => r.history.filter((o) => o.process === 'nemesis' && o.type === 'info').map((o) => o.f);

describe('faultline run: cassandra', () => {
  it('clock skew with server-side timestamps: last write wins loses acknowledged register writes (QUORUM/QUORUM)', async () => {
    const r = await run({ workload: 'register', reads: 'any', nemesis: 'clock', nemesisIntervalS: 2, timeLimitS: 12, rate: 100 });
    expect(nemesisOps(r)).toContain('start-clock');
    const v = verdict(r, 'linearizable');
    expect(v.valid).toBe(false);
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

  it('kill, pause, partition and clock start and heal cleanly, and failover is refused', async () => {
    await expect(runTest(base({ nemesis: 'failover' }), { log: () => {} })).rejects.toThrow(/masterless/);
    const r = await run({ nemesis: 'kill,pause,partition,clock', nemesisIntervalS: 2, timeLimitS: 12 });
    const nem = nemesisOps(r);
    for (const f of ['kill', 'start', 'pause', 'resume', 'start-partition', 'stop-partition']) expect(nem).toContain(f);
    expect(r.history.filter((o) => o.type === 'ok' && o.f === 'read').length).toBeGreaterThan(0);
  }, 400_000);
});
