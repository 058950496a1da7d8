import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticRun } from '../report/fixture.js';
import { buildCli, cli } from './cli.js';

// `--json` prints one document, schema faultline.results/1, the same shape for check, analyze and run
// (docs/json.md), and nothing else on stdout.

let dir: string;
beforeAll(async () => {
  await buildCli();
  dir = mkdtempSync(join(tmpdir(), 'faultline-json-'));
}, 180_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('--json: one versioned document on stdout', () => {
  it('analyze --json: the schema, a summary and the run folder as the one result; stdout is only the JSON', async () => {
    const run = writeSyntheticRun(join(dir, 'store'));
    const r = await cli(['analyze', run, '--json']);
    expect([0, 1, 2]).toContain(r.code);
    const doc = JSON.parse(r.stdout) as {
      schema: string;
      summary: Record<string, number>;
      results: { file: string; valid: unknown; ops: number; verdicts: Record<string, { valid: unknown; anomalies: unknown[] }>; history: string }[];
    };
    expect(doc.schema).toBe('faultline.results/1');
    expect(doc.summary.files).toBe(1);
    expect(doc.summary.failed).toBe(0);
    expect(doc.results).toHaveLength(1);
    expect(doc.results[0]!.file).toBe(run);
    expect(doc.results[0]!.history).toBe('history.jsonl');
    expect(doc.results[0]!.verdicts['read-your-writes']).toBeDefined();
    // The exit code and the summary say the same.
    const v = doc.results[0]!.valid;
    expect(r.code).toBe(v === true ? 0 : v === false ? 1 : 2);
    expect(doc.summary[v === true ? 'valid' : v === false ? 'invalid' : 'unknown']).toBe(1);
    // Without --json the same run prints the verdict line.
    const text = await cli(['analyze', run]);
    expect(() => JSON.parse(text.stdout)).toThrow();
    expect(text.stdout).toContain(run);
  });

  it('analyze --json on a missing run: exit 65, the error on stderr, nothing on stdout', async () => {
    const r = await cli(['analyze', join(dir, 'nothing-here'), '--json']);
    expect(r.code).toBe(65);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/does not exist/);
  });

  it('check --json carries the same schema field next to its summary and results', async () => {
    const f = join(dir, 'h.jsonl');
    const line = (o: Record<string, unknown>) => JSON.stringify(o) + '\n';
    writeFileSync(
      f,
      line({ index: 0, time: 0, type: 'invoke', process: 0, f: 'write', value: 1 }) + line({ index: 1, time: 1, type: 'ok', process: 0, f: 'write', value: 1 }),
    );
    const r = await cli(['check', f, '--model', 'register', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { schema: string; summary: unknown; results: { file: string; valid: unknown }[] };
    expect(Object.keys(doc)).toEqual(['schema', 'summary', 'results']);
    expect(doc.schema).toBe('faultline.results/1');
    expect(doc.summary).toEqual({ files: 1, valid: 1, invalid: 0, unknown: 0, failed: 0 });
    expect(doc.results[0]).toMatchObject({ file: f, valid: true });
  });

  it('run --help lists --json', async () => {
    const r = await cli(['run', '--help']);
    expect(r.stdout).toMatch(/--json/);
  });
});
