import { describe, it, expect } from 'vitest';
import { parseOpLineFast } from '../../src/history/fastline.js';
import { parseJsonExact } from '../../src/history/exact.js';
import { normalizeOp } from '../../src/history/normalize.js';
import { formatOpLine } from '../../src/history/writer.js';
import { stringifyExact } from '../../src/history/exact.js';
import type { Op } from '../../src/history/op.js';

const fast = (line: string): Op | undefined => parseOpLineFast(line, 0, line.length);
const general = (line: string): Op => normalizeOp(parseJsonExact(line), 'x', 1, 0);

// The fast path is only an optimisation: whenever it answers, it must answer exactly what
// the general path (exact JSON.parse + normalizeOp) would; when in doubt it declines.
describe('the JSONL fast path agrees with JSON.parse + normalizeOp', () => {
  const values: unknown[] = [
    null,
    true,
    false,
    0,
    -1,
    42,
    123456789012345,
    '',
    'abc',
    ':kw',
    [],
    {},
    [1, [2, [3]]],
    { a: 1, b: [null, 'x'] },
    { '2': 'b', '1': 'a' },
    [
      [':append', 4, 2],
      ['r', 3, [1, 2]],
    ],
    ['n1', ['n2', 'n3']],
    1234567890123456,
    9007199254740991,
    -9007199254740991,
    9007199254740992n,
    9007199254740993n,
    -9007199254740993n,
    [1, 123456789012345678901234567890n, { a: -18446744073709551615n }],
  ];
  for (const value of values) {
    it(`value ${stringifyExact(value)}`, () => {
      for (const process of [0, 17, 'nemesis'] as const) {
        for (const type of ['invoke', 'ok', 'fail', 'info'] as const) {
          const line = formatOpLine({ index: 5, time: 1234567890123, type, process, f: 'cas', value }).trimEnd();
          const got = fast(line);
          expect(got).toBeDefined();
          expect(got).toEqual(general(line));
        }
      }
    });
  }

  it('reads the optional error, node and session keys as normalizeOp does', () => {
    const base = '{"index":0,"time":1,"type":"fail","process":3,"f":"r","value":null';
    const tails = [
      ',"error":["timeout","no quorum"]}',
      ',"error":null}',
      ',"node":"n2"}',
      ',"node":2}',
      ',"node":null}',
      ',"session":"s1"}',
      ',"session":4}',
      ',"session":[1]}',
      ',"error":"e","node":"n1","session":7}',
    ];
    for (const tail of tails) {
      const line = base + tail;
      expect(fast(line), line).toBeDefined();
      expect(fast(line), line).toEqual(general(line));
    }
  });

  it('declines what it does not cover, and the general path still reads it', () => {
    const declined = [
      '{"index":0,"time":1.5,"type":"ok","process":0,"f":"r","value":1}',
      '{"index":0,"time":1,"type":"ok","process":0,"f":"r","value":1e3}',
      '{"index":0,"time":1,"type":"ok","process":0,"f":"r","value":"a\\"b"}',
      '{"index":0,"time":1,"type":"ok","process":0,"f":"r","value":12345678901234567.0}',
      '{"index":0,"time":12345678901234567,"type":"ok","process":0,"f":"r","value":1}',
      '{"index":0,"time":1,"type":"ok","process":0,"f":"r","value":1,"node":"n1","error":"e"}',
      '{"index":0,"time":1,"type":"ok","process":0,"f":"r","value":1,"extra":1}',
      '{"index":0,"time":1,"type":"ok","process":0,"f":":r","value":1}',
      '{"index":0,"time":1,"type":"ok","process":0,"f":"r","value":{"__proto__":1}}',
      '{"index":0, "time":1,"type":"ok","process":0,"f":"r","value":1}',
      '{"time":1,"index":0,"type":"ok","process":0,"f":"r","value":1}',
    ];
    for (const line of declined) {
      expect(fast(line), line).toBeUndefined();
      expect(() => general(line)).not.toThrow();
    }
  });

  it('declines invalid JSON and torn lines, leaving errors to JSON.parse', () => {
    const invalid = [
      '{"index":01,"time":1,"type":"ok","process":0,"f":"r","value":1}',
      '{"index":0,"time":1,"type":"ok","process":0,"f":"r","value":[1,]}',
      '{"index":0,"time":1,"type":"ok","process":0,"f":"r","value":1}}',
      '{"index":0,"time":1,"type":"ok","process":0,"f":"r","value":nul}',
      '{"index":0,"time":1,"type":"ok","process":0,"f":"r","value":[1,2',
      '{"index":0,"time":1,"type":"ok","process":0,"f":"r","value":"tab\there"}',
      '{"index":0,"time":1,"type":"done","process":0,"f":"r","value":1}',
      '{"index":0,"time":1,"type":"ok","process":-,"f":"r","value":1}',
      '{"index":0,"time":1,"ty',
    ];
    for (const line of invalid) expect(fast(line), line).toBeUndefined();
  });

  it('reads only within its line', () => {
    const a = '{"index":0,"time":1,"type":"ok","process":0,"f":"r","value":[1,';
    const b = '2]}';
    const text = `${a}\n${b}\n`;
    expect(parseOpLineFast(text, 0, a.length)).toBeUndefined();
  });
});
