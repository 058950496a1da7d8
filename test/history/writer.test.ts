import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadHistory, readHistory } from '../../src/history/load.js';
import type { Op } from '../../src/history/op.js';
import { formatOpLine, HistoryWriter } from '../../src/history/writer.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-writer-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const OPS: Op[] = [
  { index: 0, time: 1000, type: 'invoke', process: 0, f: 'write', value: 3 },
  { index: 1, time: 1500, type: 'invoke', process: 1, f: 'read', value: undefined },
  { index: 2, time: 2000, type: 'ok', process: 0, f: 'write', value: 3, node: 'n1' },
  { index: 3, time: 2100, type: 'info', process: 'nemesis', f: 'partition', value: { n1: ['n2'] } },
  { index: 4, time: 2500, type: 'fail', process: 1, f: 'read', value: null, error: ['timeout', 'no quorum'], session: 7 },
];
// What reading gives back: value undefined reads as null.
const READ_BACK: Op[] = OPS.map((o) => ({ ...o, value: o.value === undefined ? null : o.value }));

async function stream(path: string): Promise<{ ops: Op[]; lines: number[]; warnings: unknown[] }> {
  const s = readHistory(path);
  const ops: Op[] = [];
  const lines: number[] = [];
  for await (const x of s) {
    ops.push(x.op);
    lines.push(x.line);
  }
  return { ops, lines, warnings: s.warnings };
}

describe('formatOpLine', () => {
  it('writes one line with keys in a fixed order, optional keys last', () => {
    const op = { session: 's', node: 'n2', error: 'e', value: [1], f: 'cas', process: 4, type: 'ok', time: 9, index: 8 } as Op;
    expect(formatOpLine(op)).toBe('{"index":8,"time":9,"type":"ok","process":4,"f":"cas","value":[1],"error":"e","node":"n2","session":"s"}\n');
    expect(formatOpLine({ index: 0, time: 0, type: 'invoke', process: 0, f: 'r', value: 'a\nb' })).toBe(
      '{"index":0,"time":0,"type":"invoke","process":0,"f":"r","value":"a\\nb"}\n',
    );
  });
});

describe('formatOpLine law', () => {
  it('writes what JSON.stringify writes for the same ordered object', () => {
    const reference = (op: Op): string => {
      const o: Record<string, unknown> = {
        index: op.index,
        time: op.time,
        type: op.type,
        process: op.process,
        f: op.f,
        value: op.value === undefined ? null : op.value,
      };
      if (op.error !== undefined) o.error = op.error;
      if (op.node !== undefined) o.node = op.node;
      if (op.session !== undefined) o.session = op.session;
      return JSON.stringify(o) + '\n';
    };
    const values: unknown[] = [null, undefined, 0, -1.5, 1e21, 'a"b\\c\u2028', [1, [2, null]], { k: 'v', n: { x: [] } }, true, NaN, Infinity, new Date(0)];
    let i = 0;
    for (const value of values) {
      for (const extra of [{}, { error: 'timeout' }, { error: { code: 'E' }, node: 'n1', session: 3 }, { error: undefined, session: 's' }]) {
        const op = { index: i++, time: i * 1e9 + 0.5, type: 'info', process: i % 2 ? 'nemesis' : i, f: 'cas\n', value, ...extra } as Op;
        expect(formatOpLine(op)).toBe(reference(op));
      }
    }
  });
});

describe('HistoryWriter', () => {
  it('appends ops that both the loader and the streaming reader read back', async () => {
    const path = join(dir, 'h.jsonl');
    const w = new HistoryWriter(path, { fsync: true });
    for (const op of OPS) w.append(op);
    expect(w.written).toBe(5);
    w.close();
    w.close(); // idempotent
    expect(() => w.append(OPS[0]!)).toThrow(/closed/);

    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(6);
    const h = await loadHistory(path);
    expect(h.format).toBe('jsonl');
    expect(h.ops).toEqual(READ_BACK);
    expect(h.lines).toEqual([1, 2, 3, 4, 5]);
    expect(h.warnings).toEqual([]);
    const s = await stream(path);
    expect(s.ops).toEqual(READ_BACK);
    expect(s.lines).toEqual([1, 2, 3, 4, 5]);
  });

  it('has every appended op in the file before close (nothing buffered)', async () => {
    const path = join(dir, 'open.jsonl');
    const w = new HistoryWriter(path);
    w.append(OPS[0]!);
    w.append(OPS[1]!);
    expect((await loadHistory(path)).ops).toEqual(READ_BACK.slice(0, 2));
    w.close();
  });

  it('appendAll writes a batch that reads back as the same ops appended one by one', async () => {
    const path = join(dir, 'batch.jsonl');
    const w = new HistoryWriter(path);
    w.appendAll([]);
    w.appendAll(OPS.slice(0, 2));
    w.appendAll(OPS.slice(2));
    expect(w.written).toBe(5);
    expect((await loadHistory(path)).ops).toEqual(READ_BACK);
    w.close();
    expect(() => w.appendAll(OPS)).toThrow(/closed/);
  });

  it('after a crash mid-write, reads all complete ops and warns once', async () => {
    const path = join(dir, 'crash.jsonl');
    const w = new HistoryWriter(path);
    for (const op of OPS) w.append(op);
    // The process dies half-way through the next line (no close).
    const next = formatOpLine({ index: 5, time: 3000, type: 'ok', process: 1, f: 'read', value: 9 });
    appendFileSync(path, next.slice(0, Math.floor(next.length / 2)));

    const h = await loadHistory(path);
    expect(h.ops).toEqual(READ_BACK);
    expect(h.warnings).toHaveLength(1);
    expect(h.warnings[0]!.line).toBe(6);
    const s = await stream(path);
    expect(s.ops).toEqual(READ_BACK);
    expect(s.warnings).toEqual(h.warnings);
    w.close();
  });

  it('starts on a fresh line when appending to a file left torn', async () => {
    const path = join(dir, 'reopen.jsonl');
    writeFileSync(path, formatOpLine(OPS[0]!) + '{"index":1,"ti');
    const w = new HistoryWriter(path);
    w.append(OPS[2]!);
    w.close();
    // The torn line is now a bad middle line (reported with its line), not glued to the new op.
    await expect(loadHistory(path)).rejects.toMatchObject({ code: 'parse', line: 2 });
    expect(readFileSync(path, 'utf8').split('\n')[2]).toBe(formatOpLine(OPS[2]!).trimEnd());
  });

  it('writes nothing for an op it cannot serialize', async () => {
    const path = join(dir, 'cycle.jsonl');
    const w = new HistoryWriter(path);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => w.append({ ...OPS[0]!, value: cyclic })).toThrow();
    w.append(OPS[0]!);
    w.close();
    expect((await loadHistory(path)).ops).toEqual([READ_BACK[0]]);
  });
});
