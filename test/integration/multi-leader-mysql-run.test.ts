import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mysqlAdapter } from '../../src/adapters/mysql/index.js';
import type { Op } from '../../src/history/op.js';
import { readJson } from '../../src/run/store.js';
import { RUNTIMES, runCli, leftoversOf, runsOf, verdict, type CheckedRun } from './support.js';

// Issue 16's must-show on MariaDB: `faultline run --topology multi-leader`, every node a primary replicating
// from the others. Appends to the same keys through two leaders at once end in conflicts or divergence (the
// database's documented behaviour for multi-source replication without conflict resolution); the same run with
// each key written through one leader shows none.

/** The leaders that acknowledged appends to each key. */
function leadersPerKey(r: CheckedRun): Map<unknown, Set<string>> {
  const m = new Map<unknown, Set<string>>();
  for (const o of r.history as Op[]) {
    if (o.f !== 'append' || o.type !== 'ok' || o.node === undefined) continue;
    const k = (o.value as [unknown, unknown])[0];
    if (!m.has(k)) m.set(k, new Set());
    m.get(k)!.add(o.node);
  }
  return m;
}

/** The per-node final reads: ok reads after the last client write, by node. */
function finalReadNodes(r: CheckedRun): Set<string> {
  const lastWrite = Math.max(...(r.history as Op[]).filter((o) => o.f === 'append').map((o) => o.index));
  return new Set((r.history as Op[]).filter((o) => o.index > lastWrite && o.f === 'read' && o.type === 'ok' && o.node).map((o) => o.node!));
}

describe.each(RUNTIMES)('faultline run: MariaDB multi-leader on %s', (runtime) => {
  const { run, store } = runsOf(mysqlAdapter, {
    runtime,
    nodes: 2,
    topology: 'multi-leader',
    workload: 'append',
    timeLimitS: 6,
    concurrency: 8,
    rate: 200,
    keys: 4,
    convergeWithinS: 5,
  });

  it('appends to the same keys through two leaders: conflicts or divergence, named with both leaders', async () => {
    const r = await run({ writesTo: 'session' });
    const c = verdict(r, 'convergence');
    const k = verdict(r, 'conflicts');
    console.log(
      `session writes: convergence ${String(c.valid)} (${c.anomalies.length}), conflicts ${String(k.valid)} (${k.anomalies.length}); ` +
        `${c.anomalies[0]?.explanation ?? k.anomalies[0]?.explanation ?? ''}`,
    );
    // Both leaders took writes to one key: the conflicts this run is built to provoke.
    expect([...leadersPerKey(r).values()].some((s) => s.size === 2)).toBe(true);
    expect(finalReadNodes(r)).toEqual(new Set(['n1', 'n2']));
    expect(r.results.valid).toBe(false);
    expect(c.valid === false || k.valid === false).toBe(true);
    for (const a of [...c.anomalies, ...k.anomalies]) {
      expect(['diverged', 'converged-late', 'lww-lost', 'lost-append']).toContain(a.kind);
      expect(a.explanation).toMatch(/n1|n2/);
    }
    // Only the multi-leader checkers judge it (no session guarantee is promised across leaders).
    expect(Object.keys(r.results.verdicts).sort()).toEqual(['conflicts', 'convergence', 'stats']);
    const runJson = readJson<{ spec: { topology: string; writesTo: string }; nodeReads: { rounds: number } }>(join(r.dir, 'run.json'));
    expect(runJson.spec).toMatchObject({ topology: 'multi-leader', writesTo: 'session' });
    expect(runJson.nodeReads.rounds).toBeGreaterThanOrEqual(1);
  }, 240_000);

  it('the same run with each key written through one leader: no conflict, every node converges (valid)', async () => {
    const r = await run({ writesTo: 'key' });
    const per = leadersPerKey(r);
    expect(per.size).toBeGreaterThan(0);
    for (const s of per.values()) expect(s.size).toBe(1);
    // Both leaders took writes (to different keys).
    expect(new Set([...per.values()].flatMap((s) => [...s]))).toEqual(new Set(['n1', 'n2']));
    expect(finalReadNodes(r)).toEqual(new Set(['n1', 'n2']));
    expect(verdict(r, 'convergence').valid).toBe(true);
    expect(verdict(r, 'conflicts').valid).toBe(true);
    expect(r.results.valid).toBe(true);
  }, 240_000);

  it('as a user runs it: the CLI in a child process, one leader per key under partitions, ends by itself, valid (exit 0)', async () => {
    const e = await runCli(
      [
        'run',
        '--db',
        'mysql',
        '--runtime',
        runtime,
        '--topology',
        'multi-leader',
        '--writes-to',
        'key',
        '--nodes',
        '3',
        '--workload',
        'append',
        '--nemesis',
        'partition',
        '--nemesis-interval',
        '2',
        '--time-limit',
        '8',
        '--concurrency',
        '6',
        '--rate',
        '150',
        '--seed',
        '3',
        '--store',
        store(),
        '--name',
        `ml-cli-${runtime}`,
      ],
      180_000,
    );
    const runId = /faultline run ([0-9a-f]+):/.exec(e.stderr)?.[1];
    expect(runId, e.stderr.slice(-3000)).toBeDefined();
    expect(e.signal, e.stderr.slice(-3000)).toBeNull();
    expect(e.stderr).toMatch(/final reads of \d+ keys from each of the 3 nodes/);
    expect(e.code, `${e.stdout}\n${e.stderr.slice(-3000)}`).toBe(0);
    expect(e.stdout).toMatch(/convergence=valid conflicts=valid/);
    expect(await leftoversOf(runtime, runId!)).toEqual([]);
  }, 240_000);
});
