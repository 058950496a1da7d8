import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRegisterHistory } from '../../bench/gen/register.js';
import { formatOpLine } from '../../src/history/writer.js';
import { buildCli, cli } from './cli.js';

// `faultline check` over several files on worker threads (--threads N) prints the same lines, in the
// same order, with the same exit code and the same --json document as the loop in one thread: only the
// timings differ. The six files mix valid, invalid, unreadable and malformed histories.

let dir: string;
let files: string[];
beforeAll(async () => {
  await buildCli();
  dir = mkdtempSync(join(tmpdir(), 'faultline-threads-'));
  const line = (i: number, type: string, process: number, f: string, value: unknown) => JSON.stringify({ index: i, time: i, type, process, f, value }) + '\n';
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  files = [
    write('big-valid.jsonl', generateRegisterHistory({ events: 20_000, processes: 10, keys: 10, infoRate: 0.01, seed: 7 }).map(formatOpLine).join('')),
    write('invalid.jsonl', line(0, 'invoke', 0, 'write', 1) + line(1, 'ok', 0, 'write', 1) + line(2, 'invoke', 1, 'read', null) + line(3, 'ok', 1, 'read', 2)),
    join(dir, 'missing.jsonl'),
    write('valid.jsonl', line(0, 'invoke', 0, 'write', 3) + line(1, 'ok', 0, 'write', 3) + line(2, 'invoke', 1, 'read', null) + line(3, 'ok', 1, 'read', 3)),
    write('malformed.jsonl', line(0, 'invoke', 0, 'write', 1) + '{"index": 1, "time": \n'),
    write('big-valid-2.jsonl', generateRegisterHistory({ events: 20_000, processes: 5, keys: 3, seed: 8 }).map(formatOpLine).join('')),
  ];
}, 180_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const untimed = (s: string) => s.replace(/, [\d,.]+ m?s\]/g, ', T]');
const noElapsed = (s: string) => JSON.stringify(JSON.parse(s), (k, v: unknown) => (k === 'elapsedMs' ? 0 : v));

describe('check over several files on worker threads', () => {
  it('prints the same verdict lines in input order, the same errors and exit code as one thread', async () => {
    const one = await cli(['check', ...files, '--model', 'register', '--threads', '1']);
    const two = await cli(['check', ...files, '--model', 'register', '--threads', '2']);
    const three = await cli(['check', ...files, '--model', 'register', '--threads', '3']);
    expect(one.code).toBe(65); // unreadable and malformed files outrank the invalid one
    const verdictLines = untimed(one.stdout)
      .split('\n')
      .filter((l) => l.startsWith(dir));
    expect(verdictLines.map((l) => l.slice(dir.length + 1).split(':')[0])).toEqual(['big-valid.jsonl', 'invalid.jsonl', 'valid.jsonl', 'big-valid-2.jsonl']);
    expect(verdictLines[1]).toContain('INVALID');
    expect(one.stdout).toContain('6 histories: 3 valid, 1 invalid, 0 unknown, 2 not checked');
    for (const other of [two, three]) {
      expect(other.code).toBe(one.code);
      expect(untimed(other.stdout)).toBe(untimed(one.stdout));
      expect(other.stderr).toBe(one.stderr);
    }
  }, 120_000);

  it('--json gives the same document, results in input order', async () => {
    const one = await cli(['check', ...files, '--model', 'register', '--threads', '1', '--json']);
    const two = await cli(['check', ...files, '--model', 'register', '--threads', '2', '--json']);
    expect(two.code).toBe(one.code);
    expect(noElapsed(two.stdout)).toBe(noElapsed(one.stdout));
    const doc = JSON.parse(two.stdout) as { results: { file: string }[] };
    expect(doc.results.map((r) => r.file)).toEqual(files);
  }, 120_000);
});
