import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localRuntime } from '../../src/runtime/local/index.js';
import { leftovers, requireRuntime, runCli } from './support.js';

// `faultline run` as a user runs it, a child process, with kill faults: it must exit by itself within a
// bound after the workload's time limit, with a verdict exit code, the run stored, and nothing left on the
// machine. In-process tests cannot see a command that never ends (a stray timer of a driver keeps the
// process alive after "stored in"; in CI that is a hung job).

let store: string;

beforeAll(async () => {
  await requireRuntime(() => localRuntime.unavailable());
  store = mkdtempSync(join(tmpdir(), 'faultline-cli-exit-'));
});
afterAll(() => {
  if (store) rmSync(store, { recursive: true, force: true });
});

const TIME_LIMIT_S = 8;
// Cluster start (Cassandra's JVMs take longest), the run, the final heal (a restart), quiet, final reads,
// check, report: generous bounds, but bounds.
const cases: Array<{ db: string; workload: string; replication: string; boundS: number }> = [
  { db: 'postgres', workload: 'append', replication: 'sync', boundS: 90 },
  { db: 'mysql', workload: 'append', replication: 'semi-sync', boundS: 120 },
  { db: 'redis', workload: 'append', replication: 'async', boundS: 90 },
  { db: 'cassandra', workload: 'register', replication: 'serial', boundS: 300 },
];

describe('faultline run with kill faults, as a child process', () => {
  for (const c of cases) {
    it(`${c.db}: exits by itself with a verdict, the run stored, nothing left`, async () => {
      const tmpBefore = new Set(readdirSync(tmpdir()));
      const r = await runCli(
        [
          'run',
          '--db',
          c.db,
          '--workload',
          c.workload,
          '--replication',
          c.replication,
          '--nemesis',
          'kill',
          '--nemesis-interval',
          '2',
          '--time-limit',
          String(TIME_LIMIT_S),
          '--seed',
          '11',
          '--store',
          store,
          '--name',
          `exit-${c.db}`,
        ],
        c.boundS * 1000,
      );
      const runId = /faultline run ([0-9a-f]+):/.exec(r.stderr)?.[1];
      expect(runId, r.stderr.slice(-2000)).toBeDefined();
      expect(r.signal, `hung: killed after ${c.boundS} s; last output:\n${r.stderr.slice(-2000)}`).toBeNull();
      expect([0, 1, 2], r.stderr.slice(-2000)).toContain(r.code);
      const dir = /stored in (\S+)/.exec(r.stdout)?.[1];
      expect(dir, r.stdout).toBeDefined();
      expect(existsSync(join(dir!, 'results.json'))).toBe(true);
      expect(readFileSync(join(dir!, 'history.jsonl'), 'utf8')).toMatch(/"f":"start-kill"/);
      expect(leftovers(runId!)).toEqual([]);
      // Nothing new in the machine's temp folder but faultline's own caches (initdb / install-db templates):
      // e.g. the Cassandra JVM's lz4 native library or hsperfdata, or the run's work folder.
      // Another run's work folder (faultline-<its run id>-...) is not this run's leak: runs may share the machine.
      const cache = /^faultline-(pg-initdb|mysql-template)-/;
      const otherRun = (n: string) => /^faultline-[0-9a-f]{6}-/.test(n) && !n.startsWith(`faultline-${runId}-`);
      expect(readdirSync(tmpdir()).filter((n) => !tmpBefore.has(n) && !cache.test(n) && !otherRun(n) && !join(tmpdir(), n).startsWith(store))).toEqual([]);
    }, 330_000);
  }
});

describe('faultline run whose output reader goes away', () => {
  it('keeps working without output (EPIPE), heals, stores the run and leaves nothing behind', async () => {
    const r = await runCli(
      [
        'run',
        '--db',
        'redis',
        '--workload',
        'append',
        '--nemesis',
        'kill',
        '--nemesis-interval',
        '1',
        '--time-limit',
        '4',
        '--seed',
        '3',
        '--store',
        store,
        '--name',
        'epipe',
      ],
      90_000,
      true,
    );
    const runId = /faultline run ([0-9a-f]+):/.exec(r.stderr)?.[1];
    expect(runId, r.stderr).toBeDefined();
    expect(r.signal).toBeNull();
    expect([0, 1, 2]).toContain(r.code);
    const runs = join(store, 'epipe');
    const stored = readdirSync(runs).filter((n) => n !== 'latest');
    expect(stored).toHaveLength(1);
    expect(existsSync(join(runs, stored[0]!, 'results.json'))).toBe(true);
    expect(leftovers(runId!)).toEqual([]);
  }, 120_000);
});

describe('faultline run --json', () => {
  it('prints one JSON document (schema faultline.results/1) and nothing else on stdout; progress stays on stderr', async () => {
    const argv = ['run', '--db', 'redis', '--workload', 'register', '--time-limit', '3', '--seed', '4', '--store', store, '--name', 'json', '--json'];
    const r = await runCli(argv, 90_000);
    expect(r.signal).toBeNull();
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      schema: string;
      summary: { valid: number; invalid: number };
      results: Array<{ file: string; valid: boolean; verdicts: Record<string, { valid: boolean }>; aborted: boolean }>;
    };
    expect(doc.schema).toBe('faultline.results/1');
    expect(doc.summary).toMatchObject({ valid: 1, invalid: 0 });
    expect(doc.results).toHaveLength(1);
    expect(doc.results[0]).toMatchObject({ valid: true, aborted: false });
    expect(doc.results[0]!.verdicts.linearizable?.valid).toBe(true);
    expect(existsSync(join(doc.results[0]!.file, 'results.json'))).toBe(true);
    expect(r.stderr).toMatch(/faultline run [0-9a-f]+:/);
  }, 120_000);
});
