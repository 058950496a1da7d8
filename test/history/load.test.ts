import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryError } from '../../src/history/errors.js';
import { detectFormat, loadHistory, readHistory } from '../../src/history/load.js';
import type { Op } from '../../src/history/op.js';
import { formatOpLine } from '../../src/history/writer.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-load-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

async function loadError(path: string): Promise<HistoryError> {
  try {
    await loadHistory(path);
  } catch (e) {
    expect(e).toBeInstanceOf(HistoryError);
    return e as HistoryError;
  }
  throw new Error(`expected ${path} to fail`);
}

async function streamAll(path: string): Promise<{ ops: Op[]; lines: number[]; warnings: unknown[] }> {
  const s = readHistory(path);
  const ops: Op[] = [];
  const lines: number[] = [];
  for await (const { op, line } of s) {
    ops.push(op);
    lines.push(line);
  }
  return { ops, lines, warnings: s.warnings };
}

const L0 = '{"index":0,"time":100,"type":"invoke","process":0,"f":"write","value":3}';
const L1 = '{"index":1,"time":250,"type":"ok","process":0,"f":"write","value":3}';
const L2 = '{"index":2,"time":300,"type":"invoke","process":"nemesis","f":"partition","value":["n1",["n2","n3"]]}';
const OP0: Op = { index: 0, time: 100, type: 'invoke', process: 0, f: 'write', value: 3 };
const OP1: Op = { index: 1, time: 250, type: 'ok', process: 0, f: 'write', value: 3 };
const OP2: Op = { index: 2, time: 300, type: 'invoke', process: 'nemesis', f: 'partition', value: ['n1', ['n2', 'n3']] };

describe('format detection', () => {
  it('looks at the content, not the extension', () => {
    expect(detectFormat('')).toBe('jsonl');
    expect(detectFormat('\n  \n')).toBe('jsonl');
    expect(detectFormat('{"type":"ok"}\n')).toBe('jsonl');
    expect(detectFormat('{ }')).toBe('jsonl');
    expect(detectFormat('{"ty')).toBe('jsonl');
    expect(detectFormat('[]')).toBe('json');
    expect(detectFormat(' [\n  {"type": "ok"}]')).toBe('json');
    expect(detectFormat('{:type :ok}')).toBe('edn');
    expect(detectFormat('[{:type :ok}]')).toBe('edn');
    expect(detectFormat('({:type :ok})')).toBe('edn');
    expect(detectFormat('; comment\n{:type :ok}')).toBe('edn');
  });
});

describe('loadHistory: JSONL', () => {
  it('reads our JSONL with lines, skipping blank lines and CRLF endings', async () => {
    const h = await loadHistory(file('ours.txt', `${L0}\n\n${L1}\r\n${L2}\n`));
    expect(h.format).toBe('jsonl');
    expect(h.ops).toEqual([OP0, OP1, OP2]);
    expect(h.lines).toEqual([1, 3, 4]);
    expect(h.warnings).toEqual([]);
  });

  it('takes the general path for lines the fast path does not cover', async () => {
    const lines = [
      '{ "type": ":invoke", "process": 2, "f": ":read", "extra": {"a": 1.5} }',
      '{"time":5,"index":1,"type":"ok","process":2,"f":"read","value":"caf\\u00e9","node":"n2","error":null}',
      '{"index":2,"time":1.5,"type":"fail","process":2,"f":"read","value":{"__proto__":1}}',
    ];
    const h = await loadHistory(file('general.jsonl', lines.join('\n') + '\n'));
    expect(h.ops).toEqual([
      { index: 0, time: 0, type: 'invoke', process: 2, f: 'read', value: null },
      { index: 1, time: 5, type: 'ok', process: 2, f: 'read', value: 'café', node: 'n2' },
      { index: 2, time: 1.5, type: 'fail', process: 2, f: 'read', value: JSON.parse('{"__proto__":1}') },
    ]);
  });

  it('ignores a byte order mark', async () => {
    const path = file('bom.jsonl', `\uFEFF${L0}\n${L1}\n`);
    expect((await loadHistory(path)).ops).toEqual([OP0, OP1]);
    expect((await streamAll(path)).ops).toEqual([OP0, OP1]);
  });

  it('reads an empty file as zero ops', async () => {
    const h = await loadHistory(file('empty.jsonl', ''));
    expect(h).toEqual({ file: join(dir, 'empty.jsonl'), format: 'jsonl', ops: [], lines: [], warnings: [] });
  });

  it('skips a torn last line with a warning and keeps the rest', async () => {
    const path = file('torn.jsonl', `${L0}\n${L1}\n{"index":2,"time":300,"ty`);
    const h = await loadHistory(path);
    expect(h.ops).toEqual([OP0, OP1]);
    expect(h.warnings).toHaveLength(1);
    expect(h.warnings[0]).toMatchObject({ file: path, line: 3 });
    expect(h.warnings[0]!.message).toMatch(/^skipped an incomplete last line/);
    const s = await streamAll(path);
    expect(s.ops).toEqual([OP0, OP1]);
    expect(s.warnings).toEqual(h.warnings);
  });

  it('keeps a complete last line that merely lacks its newline', async () => {
    const h = await loadHistory(file('nonl.jsonl', `${L0}\n${L1}`));
    expect(h.ops).toEqual([OP0, OP1]);
    expect(h.warnings).toEqual([]);
  });

  it('fails on a bad line in the middle, with its line number', async () => {
    const path = file('bad.jsonl', `${L0}\n${L1}\n{"index":2,"ti\n${L2}\n`);
    const e = await loadError(path);
    expect(e.code).toBe('parse');
    expect(e.line).toBe(3);
    expect(e.file).toBe(path);
    expect(e.message).toMatch(/^not valid JSON/);
    expect(String(e)).toMatch(new RegExp(`^${path}:3: not valid JSON`));
    await expect(streamAll(path)).rejects.toMatchObject({ code: 'parse', line: 3 });
  });

  it('fails on a bad last line that has its newline (it was written whole)', async () => {
    const e = await loadError(file('badlast.jsonl', `${L0}\n{"index":1,\n`));
    expect(e.line).toBe(2);
  });

  it('fails on a valid JSON line that is not an op, naming the line', async () => {
    const e = await loadError(file('notop.jsonl', `${L0}\n{"index":1,"time":2,"type":"ok","process":"w1","f":"write"}\n`));
    expect(e.message).toBe('process "w1" is neither a number nor :nemesis');
    expect(e.line).toBe(2);
  });
});

describe('loadHistory: JSON array and EDN', () => {
  it('reads a JSON array of op objects with each op’s line', async () => {
    const text =
      `[\n  ${L0},\n  ${L1},\n  {"type": "invoke",\n   "process": "nemesis", "f": "partition",\n   "value": ["n1", ["n2", "n3"]], ` +
      `"index": 2, "time": 300}\n]\n`;
    const h = await loadHistory(file('array.json', text));
    expect(h.format).toBe('json');
    expect(h.ops).toEqual([OP0, OP1, OP2]);
    expect(h.lines).toEqual([2, 3, 4]);
  });

  it('reports a bad element of a JSON array at its line', async () => {
    const e = await loadError(file('badarray.json', `[\n${L0},\n${L1},\n{"index": 2, oops}\n]`));
    expect(e.code).toBe('parse');
    expect(e.line).toBe(4);
    expect((await loadError(file('trail.json', `[${L0},\n]`))).message).toBe("trailing comma before ']'");
    expect((await loadError(file('open.json', `[${L0},\n${L1}`))).message).toBe('unterminated JSON array starting at line 1');
  });

  it('reads EDN maps one per line, with comments and commas, giving all of them', async () => {
    const text =
      '; a history\n{:type :invoke, :f :read, :process 0, :index 0}\n{:type :ok, :f :read, :value 5, :process 0, :index 1},\n\n' +
      '{:type :info :f :start :process :nemesis :index 2}\n';
    const h = await loadHistory(file('perline.edn', text));
    expect(h.format).toBe('edn');
    expect(h.ops).toEqual([
      { index: 0, time: 0, type: 'invoke', process: 0, f: 'read', value: null },
      { index: 1, time: 0, type: 'ok', process: 0, f: 'read', value: 5 },
      { index: 2, time: 0, type: 'info', process: 'nemesis', f: 'start', value: null },
    ]);
    expect(h.lines).toEqual([2, 3, 5]);
  });

  it('reads an EDN vector of maps, indices defaulting to positions', async () => {
    const h = await loadHistory(file('vec.edn', '[{:process 1, :type :invoke, :f :cas, :value [1 2]}\n {:process 1, :type :fail, :f :cas, :value [1 2]}]'));
    expect(h.ops.map((o) => o.index)).toEqual([0, 1]);
    expect(h.lines).toEqual([1, 2]);
    expect(h.ops[1]).toEqual({ index: 1, time: 0, type: 'fail', process: 1, f: 'cas', value: [1, 2] });
  });

  it('reports EDN syntax errors and non-op forms with their line', async () => {
    const e = await loadError(file('bad.edn', '{:type :invoke, :f :read, :process 0}\n{:type :ok, :f :read, :value "5, :process 0}\n'));
    expect(e.code).toBe('parse');
    expect(e.line).toBe(2);
    expect(e.message).toBe('unterminated string starting at line 2');
    const e2 = await loadError(file('vecs.edn', '{:type :invoke, :f :read, :process 0}\n[1 2]\n'));
    expect(e2.message).toBe('expected an op map, found a vector');
    const e3 = await loadError(file('noproc.edn', '[{:type :invoke, :f :read, :process 0}\n {:type :ok, :f :read}]'));
    expect(e3.message).toBe('op has no :process');
  });
});

describe('loadHistory: unreadable input', () => {
  it('says unreadable for a missing file or a directory', async () => {
    const e = await loadError(join(dir, 'no-such-file.jsonl'));
    expect(e.code).toBe('unreadable');
    expect(e.line).toBeUndefined();
    expect(e.message).toBe('cannot read history: does not exist');
    expect((await loadError(dir)).code).toBe('unreadable');
    await expect(streamAll(join(dir, 'no-such-file.jsonl'))).rejects.toMatchObject({ code: 'unreadable' });
  });
});

describe('loadHistory at size', () => {
  // Speed is npm run bench's business (a timed test fails on a loaded machine); this checks the result.
  it('loads 200,000 JSONL lines, every op', async () => {
    const parts: string[] = [];
    for (let i = 0; i < 200_000; i++) {
      parts.push(
        formatOpLine({ index: i, time: 1e10 + i * 1000, type: i % 2 ? 'ok' : 'invoke', process: (i >> 1) % 10, f: 'cas', value: [i % 5, (i + 1) % 5] }),
      );
    }
    const path = file('speed.jsonl', parts.join(''));
    const h = await loadHistory(path);
    expect(h.ops.length).toBe(200_000);
    expect(h.ops[199_999]).toMatchObject({ index: 199_999, type: 'ok', f: 'cas', value: [4, 0] });
  });
});

describe('readHistory', () => {
  it('streams JSONL across chunk boundaries with the right lines', async () => {
    const ops: Op[] = [];
    const text: string[] = [];
    // About 3 MB, so the 1 MiB chunks split lines (and a multi-byte character) somewhere.
    for (let i = 0; i < 30_000; i++) {
      const op: Op = { index: i, time: i * 10, type: i % 2 ? 'ok' : 'invoke', process: (i >> 1) % 7, f: 'write', value: `v-é-${i}-${'x'.repeat(i % 50)}` };
      ops.push(op);
      text.push(JSON.stringify(op));
    }
    const path = file('big.jsonl', text.join('\n') + '\n');
    const s = await streamAll(path);
    expect(s.ops.length).toBe(ops.length);
    expect(s.ops).toEqual(ops);
    expect(s.lines[29_999]).toBe(30_000);
    expect(s.warnings).toEqual([]);
  });

  it('refuses EDN and JSON arrays with a pointer to loadHistory', async () => {
    await expect(streamAll(file('s.edn', '\n{:type :ok}'))).rejects.toMatchObject({ line: 2, message: expect.stringMatching(/^not faultline JSONL/) });
    await expect(streamAll(file('s.json', `[${L0}]`))).rejects.toThrow(/not faultline JSONL/);
  });

  it('reads ops without :f like loadHistory does', async () => {
    const path = file('nof.jsonl', '{"type":"invoke","process":0,"value":[["r",1,null]]}\n{"type":"ok","process":0,"value":[["r",1,3]]}\n');
    const [h, s] = [await loadHistory(path), await streamAll(path)];
    expect(s.ops).toEqual(h.ops);
    expect(s.ops[1]).toEqual({ index: 1, time: 0, type: 'ok', process: 0, f: 'txn', value: [['r', 1, 3]] });
    expect(s.warnings).toEqual(h.warnings);
    expect(h.warnings).toHaveLength(1);
  });

  it('streams an empty file as nothing', async () => {
    expect(await streamAll(file('empty2.jsonl', ''))).toEqual({ ops: [], lines: [], warnings: [] });
  });
});
