import { describe, expect, it } from 'vitest';
import type { Op } from '../../src/history/op.js';
import { formatOpLine } from '../../src/history/writer.js';

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
