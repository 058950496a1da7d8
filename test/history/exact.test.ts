import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLinearizability } from '../../src/checkers/linearizability/index.js';
import { register } from '../../src/checkers/linearizability/models/index.js';
import { checkLostWrites, checkReadYourWrites } from '../../src/checkers/replication/index.js';
import { convertHistory } from '../../src/history/convert.js';
import { addExact, numberFromText, parseJsonExact, stringifyExact } from '../../src/history/exact.js';
import { identity } from '../../src/history/identity.js';
import { parseHistory } from '../../src/history/load.js';
import { fmtValue, type Op } from '../../src/history/op.js';
import { formatOpLine } from '../../src/history/writer.js';

const A = 9007199254740992n; // 2^53: not a safe integer, so a bigint
const B = 9007199254740993n; // 2^53 + 1: JSON.parse reads it as A

describe('exact numbers', () => {
  it('reads integer literals exactly, canonical: a number when safe, a bigint beyond', () => {
    expect(numberFromText('9007199254740991')).toBe(9007199254740991);
    expect(numberFromText('-9007199254740991')).toBe(-9007199254740991);
    expect(numberFromText('9007199254740992')).toBe(A);
    expect(numberFromText('9007199254740993')).toBe(B);
    expect(numberFromText('-18446744073709551617')).toBe(-18446744073709551617n);
    expect(numberFromText('0000000000000000000005')).toBe(5);
    // A fraction or exponent whose exact value is an integer beyond 2^53 is that integer; others are doubles.
    expect(numberFromText('9007199254740993.0')).toBe(B);
    expect(numberFromText('90071992547409930e-1')).toBe(B);
    expect(numberFromText('1e20')).toBe(100000000000000000000n);
    expect(numberFromText('1e2')).toBe(100);
    expect(numberFromText('1.5')).toBe(1.5);
    expect(numberFromText('9007199254740993.5')).toBe(Number('9007199254740993.5')); // a double: the nearest one, as JSON.parse gives;
  });

  it('parses JSON exactly and writes bigints back as bare numbers', () => {
    const text = '{"a":[9007199254740993,-9007199254740993,1.5,"9007199254740993"],"b":{"__proto__":1},"c":"\\u00e9\\n"}';
    const v = parseJsonExact(text) as Record<string, unknown>;
    expect(v.a).toEqual([B, -B, 1.5, '9007199254740993']);
    expect(Object.keys(v.b as object)).toEqual(['__proto__']);
    expect(v.c).toBe('é\n');
    expect(stringifyExact(v)).toBe(text.replace('\\u00e9\\n', 'é\\n'));
    expect(stringifyExact({ x: [A, undefined], y: undefined, z: B }, 2)).toBe(
      JSON.stringify({ x: [0, null], z: 1 }, null, 2)
        .replace('0', String(A))
        .replace(': 1', `: ${B}`),
    );
    expect(() => parseJsonExact('[9007199254740993,]')).toThrow(SyntaxError);
    const cyclic: unknown[] = [A];
    cyclic.push(cyclic);
    expect(() => stringifyExact(cyclic)).toThrow(/circular/);
  });

  it('sums exactly, whatever the mix of numbers and bigints', () => {
    expect(addExact(9007199254740991, 2)).toBe(B);
    expect(addExact(B, -2)).toBe(9007199254740991);
    expect(addExact(B, 1.5)).toBe(Number(B) + 1.5);
    expect(addExact(0.1, 0.2)).toBe(0.1 + 0.2);
  });

  it('shows big integers as plain numbers in sentences', () => {
    expect(fmtValue(B)).toBe('9007199254740993');
    expect(fmtValue(['x', B])).toBe('["x",9007199254740993]');
  });
});

describe('identity: by type and value', () => {
  it('keeps 1 and "1", true and "true", nil and "nil" apart, and equal structures equal', () => {
    const ids = [1, '1', true, 'true', null, 'null', [1], ['1'], { a: 1 }, { a: '1' }, A, B, Number(A), 1.5].map(identity);
    expect(new Set(ids).size).toBe(ids.length);
    expect(identity({ b: [1, { d: 2, c: 3 }], a: null })).toBe(identity({ a: undefined, b: [1, { c: 3, d: 2 }] }));
    expect(identity(-0)).toBe(identity(0));
    expect(identity(5n)).toBe(identity(5));
    expect(identity(B)).toBe('9007199254740993');
  });
});

// One history, three formats. p0 writes 2^53 then 2^53+1 to register x; p1 then reads 2^53: stale.
// Rounded, the two values were one and the read looked fine (or the key was skipped as not increasing).
const ops: Op[] = [
  { index: 0, time: 0, type: 'invoke', process: 0, f: 'write', value: ['x', A] },
  { index: 1, time: 1_000_000, type: 'ok', process: 0, f: 'write', value: ['x', A] },
  { index: 2, time: 2_000_000, type: 'invoke', process: 0, f: 'write', value: ['x', B] },
  { index: 3, time: 3_000_000, type: 'ok', process: 0, f: 'write', value: ['x', B] },
  { index: 4, time: 4_000_000, type: 'invoke', process: 0, f: 'read', value: ['x', null] },
  { index: 5, time: 5_000_000, type: 'ok', process: 0, f: 'read', value: ['x', A] },
];

function edn(v: unknown): string {
  if (v === null) return 'nil';
  if (typeof v === 'string') return /^[a-z]+$/.test(v) ? `:${v}` : JSON.stringify(v);
  if (typeof v === 'bigint' || typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[${v.map(edn).join(' ')}]`;
  return `{${Object.entries(v as object)
    .map(([k, x]) => `:${k} ${edn(x)}`)
    .join(', ')}}`;
}

const render = (os: Op[]): Record<string, string> => ({
  jsonl: os.map(formatOpLine).join(''),
  json: `[\n${os.map((o) => stringifyExact(o)).join(',\n')}\n]\n`,
  edn: os.map(edn).join('\n') + '\n',
});
const formats = render(ops);
// Without the stale read (the read gets 2^53+1).
const fineOps = ops.map((o) => (o.index === 5 ? { ...o, value: ['x', B] } : o));
const fineFormats = render(fineOps);

describe('the same history in EDN, JSON and JSONL gets the same exact verdict', () => {
  for (const [format, text] of Object.entries(formats)) {
    it(format, () => {
      const h = parseHistory(text, `h.${format}`);
      expect(h.format).toBe(format);
      expect(h.ops).toEqual(ops);
      const lin = checkLinearizability(h.ops, { model: register });
      expect(lin.valid).toBe(false);
      expect(lin.anomalies[0]).toMatchObject({ kind: 'nonlinearizable' });
      expect(lin.witness?.op).toBe(4);
      expect(lin.anomalies[0]!.explanation).toContain('9007199254740993');
      const ryw = checkReadYourWrites(h.ops);
      expect(ryw.valid).toBe(false);
      expect(ryw.anomalies.map((a) => [a.kind, a.ops])).toEqual([[ryw.anomalies[0]!.kind, [2, 3, 4, 5]]]);
      expect(ryw.anomalies[0]!.explanation).toBe(
        'process 0 wrote 9007199254740993 to key x and got ok at 0.003 s (op #3), then read key x at 0.004 s (op #4) and got the older 9007199254740992',
      );
      // Without the stale read, every format agrees the history is fine.
      const fine = parseHistory(fineFormats[format]!, `h.${format}`);
      expect(fine.ops).toEqual(fineOps);
      expect(checkLinearizability(fine.ops, { model: register }).valid).toBe(true);
      expect(checkReadYourWrites(fine.ops).valid).toBe(true);
    });
  }

  it('lost-writes: appends of 2^53 and 2^53+1 are two elements in every format', () => {
    const appends: Op[] = [
      { index: 0, time: 0, type: 'invoke', process: 0, f: 'append', value: ['x', A] },
      { index: 1, time: 1, type: 'ok', process: 0, f: 'append', value: ['x', A] },
      { index: 2, time: 2, type: 'invoke', process: 0, f: 'append', value: ['x', B] },
      { index: 3, time: 3, type: 'ok', process: 0, f: 'append', value: ['x', B] },
      { index: 4, time: 4, type: 'invoke', process: 1, f: 'read', value: ['x', null] },
      { index: 5, time: 5, type: 'ok', process: 1, f: 'read', value: ['x', [A]], node: 'n1' },
    ];
    const texts = [appends.map(formatOpLine).join(''), `[${appends.map((o) => stringifyExact(o)).join(',')}]`, appends.map(edn).join('\n')];
    for (const text of texts) {
      const v = checkLostWrites(parseHistory(text, 'h').ops);
      expect(v.valid).toBe(false);
      expect(v.anomalies.map((a) => [a.kind, a.ops, a.data?.elements])).toEqual([['lost', [2, 3, 4, 5], [B]]]);
      expect(v.anomalies[0]!.explanation).toContain('appended 9007199254740993 to key x');
    }
  });
});

describe('convert and results keep the exact digits', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-exact-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const format of ['edn', 'json', 'jsonl']) {
    it(`converts ${format} to JSONL exactly`, async () => {
      const input = join(dir, `in.${format}`);
      const output = join(dir, `out-${format}.jsonl`);
      writeFileSync(input, formats[format]!);
      await convertHistory(input, output);
      const text = readFileSync(output, 'utf8');
      expect(text).toBe(formats.jsonl);
      expect(text).toContain('["x",9007199254740993]');
      expect(parseHistory(text, output).ops).toEqual(ops);
    });
  }

  it('a verdict with big integers serializes as bare digits', () => {
    const v = checkReadYourWrites(ops);
    const json = stringifyExact(v, 2)!;
    expect(json).toContain('"element": 9007199254740993');
    expect(parseJsonExact(json)).toEqual(
      JSON.parse(
        JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `#${x}` : x)),
        (_k, x) => (typeof x === 'string' && x.startsWith('#') ? BigInt(x.slice(1)) : x),
      ),
    );
  });
});
