import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postgresAdapter } from '../../src/adapters/postgres/index.js';
import { loadHistory } from '../../src/history/load.js';
import { lintHistory } from '../../src/history/lint.js';
import { readJson } from '../../src/run/store.js';
import { leftoversOf, RUNTIMES, verdict, runsOf } from './support.js';

// `faultline run` end to end against real Postgres clusters in network namespaces: the issue's
// known-anomaly pairs (an unsafe configuration finds the anomaly, the safe one does not).

describe.each(RUNTIMES)('faultline run: postgres on %s', (runtime) => {
  const { run, store } = runsOf(postgresAdapter, { runtime });

  it('async replication with reads from replicas violates read-your-writes', async () => {
    // One key at a high rate: a session reads its key right behind its own append (over 20 keys at
    // 300 ops/s the read came ~30 ms later, after the standby had caught up, and the pair was flaky).
    const r = await run({ replication: 'async', reads: 'replicas', keys: 1, rate: 2000 });
    const v = verdict(r, 'read-your-writes');
    expect(v.valid).toBe(false);
    expect(v.anomalies.length).toBeGreaterThan(0);
    expect(v.anomalies[0]!.explanation).toMatch(/read key \d+ from n[23]/);
  }, 120_000);

  it('remote-apply with reads from replicas keeps read-your-writes, over the same workload', async () => {
    const r = await run({ replication: 'remote-apply', reads: 'replicas', keys: 1, rate: 2000 });
    const v = verdict(r, 'read-your-writes');
    expect(v.valid).toBe(true);
    // Not vacuous: sessions did read their own keys from replicas.
    expect(r.history.filter((o) => o.type === 'ok' && o.f === 'read' && o.node !== 'n1').length).toBeGreaterThan(100);
  }, 120_000);

  it('async replication and a failover: acknowledged writes lost are found, or none were at risk', async () => {
    const r = await run({ replication: 'async', nemesis: 'failover', timeLimitS: 10, nemesisIntervalS: 3, rate: 500 });
    const failovers = r.history.filter((o) => o.process === 'nemesis' && o.f === 'start-failover' && o.type === 'info');
    expect(failovers.length).toBeGreaterThan(0);
    // The failover cuts the primary off from its standbys for a second first, while clients still
    // write to it: under async replication those acknowledged appends are gone after the promotion.
    const lw = verdict(r, 'lost-writes');
    expect(lw.valid).toBe(false);
    const lost = lw.anomalies.filter((a) => a.kind === 'lost');
    expect(lost.length).toBeGreaterThan(0);
    // One write or several: the sentence ends with the reads that lack it (fates.ts).
    expect(lost[0]!.explanation).toMatch(/, but every read of key \S+ .*lacks it \(/);
  }, 180_000);

  it('sync replication and a failover lose no acknowledged write', async () => {
    const r = await run({ replication: 'sync', nemesis: 'failover', timeLimitS: 10, nemesisIntervalS: 3, rate: 500 });
    expect(r.history.some((o) => o.process === 'nemesis' && o.f === 'start-failover' && o.type === 'info')).toBe(true);
    const lw = verdict(r, 'lost-writes');
    expect(lw.anomalies.filter((a) => a.kind === 'lost')).toEqual([]);
    expect(lw.valid).toBe(true);
  }, 180_000);

  it('the register workload on the primary stays linearizable under partitions and kills', async () => {
    const r = await run({ workload: 'register', nemesis: 'partition,kill', timeLimitS: 12, nemesisIntervalS: 2, rate: 200 });
    const nem = r.history.filter((o) => o.process === 'nemesis' && o.type === 'info').map((o) => o.f);
    expect(nem).toContain('start-partition');
    expect(nem).toContain('start-kill');
    expect(r.history.filter((o) => o.type === 'ok' && o.process !== 'nemesis').length).toBeGreaterThan(200);
    expect(verdict(r, 'linearizable').valid).toBe(true);
    // After the final heal the run waited until the primary answered and every standby streamed again.
    const h = readJson<{ healthAfterHeal: { supported: boolean; healthy: boolean; waitedMs: number } }>(join(r.dir, 'run.json')).healthAfterHeal;
    expect(h).toMatchObject({ supported: true, healthy: true });
    expect(h.waitedMs).toBeLessThan(30_000);
  }, 180_000);

  it('Ctrl-C with an active partition and a paused node heals and removes everything and keeps the history', async () => {
    const cli = join(process.cwd(), 'dist/src/cli/main.js');
    expect(existsSync(cli)).toBe(true);
    const child = spawn(
      process.execPath,
      [
        cli,
        'run',
        '--db',
        'postgres',
        '--workload',
        'append',
        '--nemesis',
        'partition,pause',
        '--time-limit',
        '60',
        '--nemesis-interval',
        '1.5',
        '--seed',
        '3',
        '--store',
        store(),
        '--name',
        'ctrl-c',
        '--runtime',
        runtime,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (d) => {
      err += String(d);
    });
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    const hist = join(store(), 'ctrl-c', 'latest', 'history.jsonl');
    // Wait until a partition and a pause are both in effect (their info completions, no stop after).
    const deadline = Date.now() + 90_000;
    let both = false;
    while (!both && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      if (!existsSync(hist)) continue;
      const active = new Set<string>();
      for (const line of readFileSync(hist, 'utf8').split('\n')) {
        if (!line.includes('"nemesis"') || !line.includes('"info"')) continue;
        const op = JSON.parse(line) as { f: string };
        if (op.f === 'start-partition' || op.f === 'pause') active.add(op.f);
        if (op.f === 'stop-partition') active.delete('start-partition');
        if (op.f === 'resume') active.delete('pause');
      }
      both = active.size === 2;
    }
    expect(both).toBe(true);
    child.kill('SIGINT');
    const code = await exited;
    expect(err).toMatch(/SIGINT: stopping the workload/);
    expect([0, 1, 2]).toContain(code);
    const run = readJson<{ runId: string; aborted: boolean }>(join(store(), 'ctrl-c', 'latest', 'run.json'));
    expect(run.aborted).toBe(true);
    expect(await leftoversOf(runtime, run.runId)).toEqual([]);
    const h = await loadHistory(hist);
    expect(lintHistory(h)).toEqual([]);
    // The heal is in the history: the last nemesis ops stop the partition and resume the node.
    const lastNem = h.ops
      .filter((o) => o.process === 'nemesis')
      .slice(-4)
      .map((o) => `${o.type} ${o.f}`);
    expect(lastNem).toEqual(expect.arrayContaining(['info resume', 'info stop-partition']));
    expect(existsSync(join(store(), 'ctrl-c', 'latest', 'results.json'))).toBe(true);
  }, 180_000);
});
