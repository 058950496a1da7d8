import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cli, root } from './cli.js';

beforeAll(buildCli, 180_000);

// `faultline check --checker convergence,conflicts` on imported histories whose ops carry the node (issue 16),
// through the built CLI as a child process: the fixtures are hand-written (test/fixtures/multi-leader/README.md).
const fixture = (name: string) => join(root, 'test', 'fixtures', 'multi-leader', name);

describe('faultline check: convergence and conflicts on imported histories', () => {
  it('two leaders writing one key: a discarded write and diverged nodes, each named (exit 1)', async () => {
    const r = await cli(['check', '--checker', 'convergence,conflicts', fixture('conflicts.jsonl')]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('convergence=invalid conflicts=invalid');
    expect(r.stdout).toContain('the final reads of key 2 disagree: n1 read 30 (process 2 at 3.210 s), n2 read 40 (process 3 at 3.310 s)');
    expect(r.stdout).toContain(
      'process 0 wrote 10 to key 1 on n1 (ok at 0.200 s); process 1 wrote 20 to key 1 on n2, concurrently (0.150-0.250 s); every final read shows 20',
    );
  });

  it("Jepsen's EDN, nodes as keywords: the same verdicts and sentences", async () => {
    const jsonl = await cli(['check', '--checker', 'convergence,conflicts', fixture('conflicts.jsonl')]);
    const edn = await cli(['check', '--checker', 'convergence,conflicts', fixture('conflicts.edn')]);
    expect(edn.code, edn.stderr).toBe(1);
    expect(edn.stdout.replace('conflicts.edn', 'conflicts.jsonl').replace(/\[20 ops, \d+ ms\]/, '')).toBe(jsonl.stdout.replace(/\[20 ops, \d+ ms\]/, ''));
  });

  it('--json carries the witnesses as data: both writes, their leaders and times', async () => {
    const r = await cli(['check', '--json', '--checker', 'convergence,conflicts', fixture('conflicts.jsonl')]);
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as { results: { verdicts: Record<string, { anomalies: { kind: string; ops: number[]; data: unknown }[] }> }[] };
    const v = doc.results[0]!.verdicts;
    expect(v.conflicts!.anomalies.map((a) => [a.kind, a.data])).toEqual([
      ['lww-lost', { key: 1, value: 10, node: 'n1', winner: 20, winnerNode: 'n2', lostOkAtMs: 200, winnerMs: [150, 250] }],
    ]);
    expect(v.convergence!.anomalies.map((a) => [a.kind, a.data])).toEqual([
      ['diverged', { key: 2, nodes: ['n1', 'n2'], values: { n1: 30, n2: 40 }, divergedAtMs: 3310, convergedAtMs: null }],
    ]);
  });

  it('the same writes with one leader per key: valid (exit 0)', async () => {
    const r = await cli(['check', '--checker', 'convergence,conflicts', fixture('one-leader-per-key.jsonl')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('convergence=valid conflicts=valid');
  });

  it('--converge-within decides when agreeing late is an anomaly; a bad value is a usage error', async () => {
    const late = await cli(['check', '--checker', 'convergence', fixture('converged-late.jsonl')]);
    expect(late.code).toBe(1);
    expect(late.stdout).toContain('agreed on [1,2] only at 16.010 s, 14.010 s after the final heal at 2.000 s, beyond the 10 s they had to converge');
    const wait = await cli(['check', '--checker', 'convergence', '--converge-within', '20', fixture('converged-late.jsonl')]);
    expect(wait.code, wait.stdout).toBe(0);
    const bad = await cli(['check', '--checker', 'convergence', '--converge-within', 'later', fixture('converged-late.jsonl')]);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toMatch(/--converge-within/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
