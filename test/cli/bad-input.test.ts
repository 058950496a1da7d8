import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cli } from './cli.js';

// Bad input gets a clear error (plain words, no stack trace, the right exit code), and nothing is destroyed.

let dir: string;
beforeAll(async () => {
  await buildCli();
  dir = mkdtempSync(join(tmpdir(), 'faultline-bad-input-'));
}, 180_000);
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

const line = (o: Record<string, unknown>) => JSON.stringify(o) + '\n';
const readOk = line({ index: 0, time: 0, type: 'invoke', process: 0, f: 'read', value: null })
  + line({ index: 1, time: 1, type: 'ok', process: 0, f: 'read', value: null });
let n = 0;
function file(text: string | Buffer, name = `h${n++}.jsonl`): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}
const noTrace = (s: string) => expect(s).not.toMatch(/\n\s+at |internal error/);

describe('check: large and special inputs', () => {
  it('refuses /dev/zero within the first chunk instead of reading it without bound', async () => {
    const r = await cli(['check', '/dev/zero', '--model', 'register'], { timeoutMs: 20_000 });
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/\/dev\/zero:1: not a text file/);
  });

  it('refuses a line longer than 64 MB early, saying what to do', async () => {
    const f = file(Buffer.alloc(65 * 1024 * 1024, 'a'));
    const r = await cli(['check', f, '--model', 'register']);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/line 1 is longer than 64 MB/);
    expect(r.stderr).not.toMatch(/readHistory|loadHistory/);
  });

  it('says missing files and directories in plain words, exit 65', async () => {
    const gone = await cli(['check', join(dir, 'no-such.jsonl'), '--model', 'register']);
    expect(gone.code).toBe(65);
    expect(gone.stderr).toMatch(/cannot read history: does not exist/);
    const d = await cli(['check', dir, '--model', 'register']);
    expect(d.code).toBe(65);
    expect(d.stderr).toMatch(/cannot read history: is a directory/);
    expect(d.stderr + gone.stderr).not.toMatch(/E[A-Z]{3,}/);
  });
});
