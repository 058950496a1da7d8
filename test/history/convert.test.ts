import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conformanceDir } from '../../bench/conformance.js';
import * as history from '../../src/history/index.js';
import { convertHistory, HistoryError, loadHistory } from '../../src/history/index.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-convert-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const CONFORMANCE = conformanceDir();

describe('convertHistory', () => {
  it('converts a Knossos EDN vector without indices to JSONL numbered 0..n-1', async () => {
    const input = join(CONFORMANCE, 'knossos/cas-register/good/cas-register-bug.edn');
    const output = join(dir, 'bug.jsonl');
    const r = await convertHistory(input, output);
    expect(r).toEqual({ ops: 11, warnings: [] });
    const text = readFileSync(output, 'utf8');
    expect(text.split('\n')[0]).toBe('{"index":0,"time":0,"type":"invoke","process":4,"f":"write","value":2}');
    const back = await loadHistory(output);
    expect(back.format).toBe('jsonl');
    expect(back.ops.map((o) => o.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(back.ops).toEqual((await loadHistory(input)).ops);
  });

  it('keeps the source indices when it has them', async () => {
    const input = join(CONFORMANCE, 'elle/rw-register.edn');
    const output = join(dir, 'rw.jsonl');
    expect((await convertHistory(input, output)).ops).toBe(6);
    const back = await loadHistory(output);
    expect(back.ops.map((o) => o.index)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(back.ops[3]).toEqual({ index: 4, time: 0, type: 'ok', process: 0, f: 'txn', value: [['r', 'x', 3]] });
  });

  it('round-trips one-map-per-line Jepsen EDN, keeping error and dropping other keys', async () => {
    const input = join(CONFORMANCE, 'jepsen/bank.edn');
    const output = join(dir, 'bank.jsonl');
    await convertHistory(input, output);
    const [a, b] = [await loadHistory(input), await loadHistory(output)];
    expect(b.ops).toEqual(a.ops);
    expect(b.ops[679]).not.toHaveProperty('exception');
  });

  it('passes on load warnings (a torn last line, an inferred :f)', async () => {
    const r = await convertHistory(join(CONFORMANCE, 'elle/paper-example.edn'), join(dir, 'paper.jsonl'));
    expect(r.ops).toBe(8);
    expect(r.warnings).toHaveLength(1);
    const torn = join(dir, 'torn.jsonl');
    writeFileSync(torn, '{"index":0,"time":1,"type":"invoke","process":0,"f":"read","value":null}\n{"index":1,');
    const r2 = await convertHistory(torn, join(dir, 'torn-out.jsonl'));
    expect(r2.ops).toBe(1);
    expect(r2.warnings[0]!.line).toBe(2);
  });

  it('refuses a history that does not lint, writing nothing', async () => {
    const input = join(dir, 'orphan.edn');
    writeFileSync(input, '{:type :invoke, :f :read, :process 0}\n{:type :ok, :f :write, :process 1}\n');
    const output = join(dir, 'orphan.jsonl');
    await expect(convertHistory(input, output)).rejects.toMatchObject({ code: 'lint', line: 2, file: input });
    expect(existsSync(output)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('overwrites an existing output, and says unreadable for a missing input', async () => {
    const output = join(dir, 'again.jsonl');
    writeFileSync(output, 'old content\n');
    await convertHistory(join(CONFORMANCE, 'jepsen/set.edn'), output);
    expect((await loadHistory(output)).ops).toHaveLength(8);
    const e = await convertHistory(join(dir, 'missing.edn'), output).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HistoryError);
    expect((e as HistoryError).code).toBe('unreadable');
  });
});

describe('src/history/index.ts', () => {
  it('exports the public API', () => {
    for (const name of [
      'parseEdn',
      'parseEdnValue',
      'normalizeOp',
      'loadHistory',
      'parseHistory',
      'detectFormat',
      'readHistory',
      'lintHistory',
      'assertLinted',
      'HistoryWriter',
      'formatOpLine',
      'convertHistory',
      'HistoryError',
      'pairOps',
      'endTime',
      'isClientOp',
      'fmtTime',
      'fmtValue',
      'OP_TYPES',
    ]) {
      expect(history, name).toHaveProperty(name);
    }
  });
});
