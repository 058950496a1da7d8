import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAdapter } from '../../src/adapters/postgres/index.js';
import { redisAdapter } from '../../src/adapters/redis/index.js';
import { runtimeByName } from '../../src/runtime/index.js';
import { readJson } from '../../src/run/store.js';
import type { SuiteResult } from '../../src/suite/types.js';
import { buildCli } from '../cli/cli.js';
import { leftoversOf, repoRoot, requireRuntime, runCli } from './support.js';

// `faultline suite` end to end, as a child process, on the local runtime: the known-anomaly pairs of
// run-postgres and run-redis (their settings: one key at 2000 ops/s for postgres; partitions every 2 s for
// redis) as one suite, judged against their expectations; then a suite whose expectation is wrong.

const RUNTIME = 'local';
let dir = '';
beforeAll(async () => {
  const rt = runtimeByName(RUNTIME);
  for (const a of [postgresAdapter, redisAdapter]) await requireRuntime(async () => (await rt.unavailable(a.name)) ?? (await a.unavailable(rt.probe(a.name))));
  await buildCli();
  dir = mkdtempSync(join(tmpdir(), 'fl-suite-'));
}, 300_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const common = { runtime: RUNTIME, workload: 'append', timeLimit: 8, concurrency: 10, seed: 7 };
const pg = { db: 'postgres', reads: 'replicas', keys: 1, rate: 2000, opTimeout: 3, nemesisInterval: 3 };
const redis = { db: 'redis', replication: 'async', nemesis: 'partition', keys: 20, rate: 300, opTimeout: 2, nemesisInterval: 2 };

function suiteFile(name: string, body: Record<string, unknown>): string {
  const f = join(dir, `${name}.json`);
  writeFileSync(f, JSON.stringify({ name, defaults: common, ...body }, null, 2));
  return f;
}

async function noLeftovers(out: string, r: SuiteResult): Promise<void> {
  for (const e of r.entries)
    for (const run of e.runs) {
      const info = readJson<{ runId: string }>(join(out, run.dir, 'run.json'));
      expect(await leftoversOf(RUNTIME, info.runId)).toEqual([]);
    }
}

describe('faultline suite on the local runtime', () => {
  it('runs the safe and unsafe configurations of postgres and redis, each as expected: exit 0 and suite.json', async () => {
    const file = suiteFile('pairs', {
      entries: [
        { ...pg, replication: 'async', expect: { anomalies: ['read-your-writes'] } },
        { ...pg, replication: 'remote-apply', expect: 'valid' },
        { ...redis, reads: 'replicas', expect: { anomalies: ['read-your-writes'] } },
        { ...redis, reads: 'primary', expect: 'valid' },
      ],
    });
    const out = join(dir, 'pairs-out');
    const r = await runCli(['suite', file, '--out', out, '--json'], 600_000);
    const result = JSON.parse(r.stdout) as SuiteResult;
    const why = result.entries.map((e) => `${e.entry.id}: ${e.outcome}: ${e.why}`).join('\n');
    expect(r.code, `${why}\n${r.stderr}`).toBe(0);
    expect(result).toEqual(readJson<SuiteResult>(join(out, 'suite.json')));
    expect(result).toMatchObject({ schema: 'faultline.suite-result/1', name: 'pairs', outcome: 'as-expected' });
    expect(result.entries.map((e) => [e.entry.id, e.outcome])).toEqual([
      ['postgres-async-replicas-append-none', 'as-expected'],
      ['postgres-remote-apply-replicas-append-none', 'as-expected'],
      ['redis-async-replicas-append-partition', 'as-expected'],
      ['redis-async-primary-append-partition', 'as-expected'],
    ]);
    const [pgAsync, pgRemote, redisReplicas] = result.entries;
    expect(pgAsync!.found['read-your-writes']).toBe(1);
    expect(pgAsync!.why).toMatch(/read-your-writes/);
    expect(pgAsync!.runs[0]!.sentences['read-your-writes']![0]).toMatch(/read key \d+ from n[23]/);
    expect(redisReplicas!.runs[0]!.verdicts['read-your-writes']).toBe(false);
    for (const e of result.entries) {
      expect(e.runs).toHaveLength(1);
      const run = e.runs[0]!;
      expect(run.seed).toBe(7);
      expect(run.error).toBeUndefined();
      expect(run.dir).toMatch(new RegExp(`^runs/${e.entry.id}/`));
      expect(run.stats.ops).toBeGreaterThan(100);
      expect(run.stats.okPerS).toBeGreaterThan(0);
      expect(run.stats.p99Ms).toBeGreaterThanOrEqual(run.stats.p50Ms);
      expect(JSON.parse(readFileSync(join(out, run.dir, 'results.json'), 'utf8'))).toHaveProperty('verdicts');
    }
    expect(pgRemote!.runs[0]!.valid).toBe(true);
    // The outputs a CI job reads: JUnit XML (one passing testcase per entry), the JSON and Markdown summaries, index.html.
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuite [^>]*tests="4"[^>]*failures="0"/);
    expect(junit.match(/<testcase /g)).toHaveLength(4);
    expect(junit).toMatch(/<testcase [^>]*name="postgres-async-replicas-append-none"[^>]*classname="postgres"/);
    expect(junit).not.toMatch(/<failure/);
    const summary = readJson<{ totals: { entries: number; asExpected: number; contradictions: number } }>(join(out, 'suite-summary.json'));
    expect(summary.totals).toMatchObject({ entries: 4, asExpected: 4, contradictions: 0 });
    const md = readFileSync(join(out, 'suite-summary.md'), 'utf8');
    expect(md).toMatch(/all as expected\*\*: 4 entries, 4 runs/);
    expect(md).toMatch(/\| postgres-async-replicas-append-none \|/);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toMatch(new RegExp(`href="${result.entries[0]!.runs[0]!.report}"`));
    // Progress on stderr: one line per repetition.
    expect(r.stderr).toMatch(/\[1\/4\] postgres-async-replicas-append-none rep 1\/1: invalid \([^)]*read-your-writes[^)]*\) \d+\.\d s/);
    expect(r.stderr).toMatch(/\[4\/4\] redis-async-primary-append-partition rep 1\/1: valid \d+\.\d s/);
    await noLeftovers(out, result);
  }, 600_000);

  it('a suite expecting valid of the unsafe configuration exits 1 and names the contradiction', async () => {
    const file = suiteFile('wrong', { entries: [{ ...pg, id: 'pg-unsafe', replication: 'async', expect: 'valid' }] });
    const out = join(dir, 'wrong-out');
    const r = await runCli(['suite', file, '--out', out], 300_000);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/CONTRADICTS pg-unsafe: expected valid; 1 of 1 repetition invalid \([^)]*read-your-writes in 1/);
    expect(r.stdout).toMatch(/suite wrong: contradiction/);
    const result = readJson<SuiteResult>(join(out, 'suite.json'));
    expect(result.outcome).toBe('contradiction');
    expect(result.entries[0]!.outcome).toBe('contradiction');
    // JUnit: the contradiction is a failure carrying why, the anomaly's sentence and the run's report.
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuite [^>]*failures="1"/);
    expect(junit).toMatch(/<failure message="expected valid; 1 of 1 repetition invalid/);
    expect(junit).toMatch(/read key \d+ from n[23]/);
    expect(junit).toContain(result.entries[0]!.runs[0]!.report!);
    expect(readFileSync(join(out, 'suite-summary.md'), 'utf8')).toMatch(/1 contradiction/i);
    await noLeftovers(out, result);
  }, 300_000);

  it('Ctrl-C stops the run going on (healed, torn down), starts no other, and suite.json records what finished: exit 2', async () => {
    const file = suiteFile('stopped', {
      entries: [
        { ...pg, id: 'first', replication: 'remote-apply', timeLimit: 60 },
        { ...pg, id: 'second', replication: 'remote-apply', timeLimit: 60 },
      ],
    });
    const out = join(dir, 'stopped-out');
    const child = spawn(process.execPath, [join(repoRoot, 'dist', 'src', 'cli', 'main.js'), 'suite', file, '--out', out], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    // Once the first run's workload has written ops, interrupt (our own child, by its handle).
    const hist = join(out, 'runs', 'first', 'latest', 'history.jsonl');
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && !(existsSync(hist) && statSync(hist).size > 10_000)) await new Promise((r) => setTimeout(r, 200));
    expect(existsSync(hist)).toBe(true);
    child.kill('SIGINT');
    const code = await exited;
    expect(code, stderr).toBe(2);
    expect(stderr).toMatch(/SIGINT: the suite starts no new run/);
    expect(stderr).toMatch(/\[1\/2\] first rep 1\/1: .*stopped by a signal before its time limit/);
    const result = readJson<SuiteResult>(join(out, 'suite.json'));
    expect(result.outcome).toBe('unknown');
    expect(result.entries.map((e) => [e.entry.id, e.outcome, e.runs.length])).toEqual([
      ['first', 'unknown', 1],
      ['second', 'unknown', 0],
    ]);
    expect(result.entries[1]!.why).toMatch(/not run/);
    expect(existsSync(join(out, 'runs', 'second'))).toBe(false);
    await noLeftovers(out, result);
  }, 240_000);
});
