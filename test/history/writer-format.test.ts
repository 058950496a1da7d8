import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Op } from '../../src/history/op.js';
import { formatOpLine, HistoryWriter } from '../../src/history/writer.js';

/** JSON.stringify of the ordered object: what formatOpLine must write, byte for byte. */
function reference(op: Op): string {
  const o: Record<string, unknown> = { index: op.index, time: op.time, type: op.type, process: op.process, f: op.f, value: op.value ?? null };
  if (op.error !== undefined) o.error = op.error;
  if (op.node !== undefined) o.node = op.node;
  if (op.session !== undefined) o.session = op.session;
  return JSON.stringify(o) + '\n';
}

describe('formatOpLine fast paths (numbers beyond 32 bits, small integer arrays)', () => {
  it('writes the numbers JSON.stringify writes, around every boundary of the two-halves path', () => {
    const edges = [0, -0, 1, -1, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 32, 999_999_999, 1e9, 1e9 + 1, 1e9 - 1, 1_000_000_007_000];
    edges.push(
      Number.MAX_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER + 1,
      Number.MAX_SAFE_INTEGER + 3,
      2 ** 60,
      1e21,
      1e22,
      -1e15,
      1.5,
      1e9 + 0.5,
      5e-324,
      NaN,
      Infinity,
      -Infinity,
    );
    let x = 12345;
    for (let i = 0; i < 2000; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      edges.push(x * 4099 + (x % 1000), x * 1e6 + 7, Math.floor(x / 7) * 1e9, x * 1e9 + 999_999_999);
    }
    for (const n of edges) {
      const op = { index: n, time: n, type: 'ok', process: n, f: 'write', value: [n, [n, null]], session: n } as Op;
      expect(formatOpLine(op)).toBe(reference(op));
    }
  });

  it('writes arrays of every shape as JSON.stringify does (nesting, holes, non-integers, toJSON)', () => {
    const sparse: unknown[] = [1];
    sparse[2] = 3;
    const withToJson = Object.assign([1, 2], { toJSON: () => 'custom' });
    const values: unknown[] = [
      [],
      [[]],
      [1, null],
      [7, [0, 4]],
      [1, [2, [3, [4, [5]]]]],
      [1, [2, [3, null]]],
      [2 ** 31, 1],
      [-0, -5],
      [1, 'a'],
      [1, undefined],
      sparse,
      [1, 1.5],
      [1, { a: 1 }],
      [1, 10n ** 20n],
      withToJson,
      [1, [withToJson]],
      [1, true],
      [NaN, Infinity],
    ];
    for (const value of values) {
      const op = { index: 1, time: 5_000_000_123, type: 'invoke', process: 3, f: 'cas', value } as Op;
      const want =
        typeof (value as unknown[]).some === 'function' && (value as unknown[]).some((v) => typeof v === 'bigint')
          ? '{"index":1,"time":5000000123,"type":"invoke","process":3,"f":"cas","value":[1,100000000000000000000]}\n'
          : reference(op);
      expect(formatOpLine(op)).toBe(want);
    }
  });

  it('writes string errors, nodes and sessions as JSON.stringify does, also past the remembered strings', () => {
    for (let i = 0; i < 700; i++) {
      const op = {
        index: i,
        time: i,
        type: 'fail',
        process: 1,
        f: 'cas',
        value: [i, [1, 2]],
        error: `cas: register ${i} was not "1"\n`,
        node: `n${i % 3}`,
        session: `s${i}`,
      } as Op;
      expect(formatOpLine(op)).toBe(reference(op));
    }
  });
});

describe('HistoryWriter.appendAll bytes', () => {
  it('writes exactly the lines formatOpLine gives, for every kind of op, in batches of any size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-writer-bytes-'));
    try {
      const cyclic: unknown[] = [1];
      cyclic.push(cyclic);
      const values: unknown[] = [
        undefined,
        null,
        0,
        'x',
        [1, null],
        [3, [0, 4]],
        [1, 'é'],
        [2 ** 40, 1],
        [1, [2, [3, [4]]]],
        { k: [1] },
        [1, 10n ** 20n],
        ['\u2028'],
        [],
      ];
      const strings = ['ok', 'invoke', 'nemesis', 'é"\\\n', '😀', 'a'.repeat(300)];
      const numbers = [0, -0, 7, -7, 2 ** 31, -(2 ** 33), 1e9 + 5, Number.MAX_SAFE_INTEGER, 2 ** 60, 1.25, NaN, -Infinity];
      const ops: Op[] = [];
      let x = 7;
      const pick = <T>(xs: readonly T[]): T => {
        x = (x * 1103515245 + 12345) % 2147483648;
        return xs[x % xs.length]!;
      };
      for (let i = 0; i < 3000; i++) {
        const op = {
          index: pick(numbers),
          time: pick(numbers),
          type: pick(strings),
          process: pick([...numbers, 'nemesis', 3]),
          f: pick(strings),
          value: pick(values),
        } as Op;
        if (i % 3 === 0) op.error = pick([...strings, ['timeout'], { code: 1 }, 5]);
        if (i % 4 === 0) op.node = pick(strings);
        if (i % 5 === 0) op.session = pick([...numbers, ...strings]);
        ops.push(op);
      }
      const path = join(dir, 'h.jsonl');
      const w = new HistoryWriter(path);
      for (let i = 0, n = 1; i < ops.length; i += n, n = (n * 7) % 600 || 1) w.appendAll(ops.slice(i, i + n));
      w.appendAll(Array.from({ length: 40_000 }, (_, i) => ({ index: i, time: 1e12 + i, type: 'ok', process: i % 9, f: 'cas', value: [i, [1, 2]] }) as Op));
      expect(() => w.appendAll([ops[0]!, { index: 1, time: 1, type: 'ok', process: 1, f: 'r', value: [1, cyclic] }])).toThrow(/circular/);
      w.close();
      const want =
        ops.map(formatOpLine).join('') +
        Array.from({ length: 40_000 }, (_, i) => formatOpLine({ index: i, time: 1e12 + i, type: 'ok', process: i % 9, f: 'cas', value: [i, [1, 2]] })).join('');
      expect(readFileSync(path, 'utf8')).toBe(want);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
