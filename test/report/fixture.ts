import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const XSS_IMG = '<img src=x onerror=alert(1)>';
export const XSS_SCRIPT = '</script><script>alert(1)</script>';

/**
 * A synthetic stored run with anomalies: 4 client processes doing appends and reads on 3 nodes, one
 * partition window, a read-your-writes anomaly whose values carry markup, and a linearizability witness.
 * Laid out as `faultline run` stores runs: <store>/<name>/<timestamp>/, <store>/.faultline-store.
 */
export function writeSyntheticRun(store: string, name = 'synthetic', ops = 400): string {
  const dir = join(store, name, '20260101T000000Z');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(store, '.faultline-store'), ''); // as createRunDir marks a store
  const lines: string[] = [];
  let index = 0;
  const add = (o: Record<string, unknown>) => {
    lines.push(JSON.stringify({ index: index++, ...o }));
    return index - 1;
  };
  let t = 1e6;
  const picks: Record<string, number> = {};
  for (let i = 0; i < ops; i++) {
    const p = i % 4;
    if (i === 100) add({ time: t, type: 'invoke', process: 'nemesis', f: 'start-partition', value: { n1: ['n2', 'n3'] } });
    if (i === 101) add({ time: t + 5e5, type: 'info', process: 'nemesis', f: 'start-partition', value: 'partitioned' });
    if (i === 300) add({ time: t, type: 'invoke', process: 'nemesis', f: 'stop-partition', value: null });
    if (i === 301) add({ time: t + 5e5, type: 'info', process: 'nemesis', f: 'stop-partition', value: 'healed' });
    const write = i % 3 === 0;
    const value = i === 200 ? [1, XSS_IMG] : write ? [i % 5, i] : [i % 5, null];
    const inv = add({ time: t, type: 'invoke', process: p, f: write || i === 200 ? 'append' : 'read', value });
    t += 2e5 + (i % 7) * 1e5;
    const type = i % 37 === 0 ? 'info' : i % 23 === 0 ? 'fail' : 'ok';
    const doneValue = i === 201 ? [1, [XSS_SCRIPT]] : write ? value : [i % 5, [1, 2, 3]];
    const done = add({
      time: t,
      type,
      process: p,
      f: write || i === 200 ? 'append' : 'read',
      value: doneValue,
      node: `n${(i % 3) + 1}`,
      ...(type === 'fail' ? { error: XSS_IMG } : {}),
    });
    if (i === 200) {
      picks.writeInv = inv;
      picks.writeOk = done;
    }
    if (i === 201) {
      picks.readInv = inv;
      picks.readOk = done;
    }
    if (i === 150) picks.linOp = inv;
    t += 1e5;
  }
  writeFileSync(join(dir, 'history.jsonl'), lines.join('\n') + '\n');
  const run = {
    runId: 'abc123',
    command: ['faultline', 'run', '--db', 'postgres', '--nemesis', 'partition', '--name', "it's <b>bold</b>"],
    seed: 42,
    spec: {
      db: 'postgres',
      workload: 'append',
      nemesis: 'partition',
      replication: 'async',
      reads: 'replicas',
      nodes: 3,
      concurrency: 4,
      rate: 100,
      timeLimitS: 1,
    },
    versions: { faultline: '0.1.0', node: process.version },
    cluster: {
      database: 'postgres',
      version: 'postgres 15',
      nodes: [
        { name: 'n1', role: 'primary' },
        { name: 'n2', role: 'standby' },
        { name: 'n3', role: 'standby' },
      ],
    },
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:00:02.000Z',
    aborted: false,
  };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(run));
  const results = {
    valid: false,
    ops: lines.length,
    elapsedMs: 5,
    checkedAt: '2026-01-01T00:00:03.000Z',
    verdicts: {
      'read-your-writes': {
        valid: false,
        anomalies: [
          {
            kind: 'read-your-writes',
            ops: [picks.writeInv, picks.writeOk, picks.readInv, picks.readOk],
            explanation: `process 0 appended ${XSS_IMG} to key 1 and got ok, then read key 1 without it ${XSS_SCRIPT}`,
          },
        ],
      },
      linearizable: {
        valid: false,
        anomalies: [{ kind: 'nonlinearizable', ops: [picks.linOp], explanation: 'process 2 read cannot be linearized' }],
        witness: { key: 1, op: picks.linOp, prefix: [0, 2, 4, 6], states: [`{1 [${XSS_IMG}]}`, '{1 [1 2]}'] },
      },
      staleness: {
        valid: true,
        anomalies: [],
        stats: {
          perNode: {
            n1: { reads: 10, lagMs: { count: 10, p50: 0, p95: 1, p99: 2, max: 3 }, missedVersions: { count: 10, p50: 0, p95: 1, p99: 1, max: 2 } },
            n2: { reads: 10, lagMs: { count: 10, p50: 5, p95: 9, p99: 12, max: 20 }, missedVersions: { count: 10, p50: 1, p95: 3, p99: 4, max: 5 } },
          },
        },
      },
      availability: {
        valid: true,
        anomalies: [],
        stats: {
          windows: [
            {
              window: { id: 0, kind: 'partition', startTime: 1e8, endTime: 2e8, healed: true },
              reads: { ok: 5, fail: 1, info: 0, successRatio: 0.83 },
              writes: { ok: 3, fail: 2, info: 1, successRatio: 0.5 },
              rtoMs: { write: { ms: 120 }, read: null },
              rpo: { lostWrites: 0 },
            },
          ],
        },
      },
      stats: { valid: 'unknown', anomalies: [], cause: 'nothing to say' },
    },
  };
  writeFileSync(join(dir, 'results.json'), JSON.stringify(results));
  return dir;
}
