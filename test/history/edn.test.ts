import { describe, it, expect } from 'vitest';
import { parseEdn, parseEdnValue } from '../../src/history/edn.js';
import { HistoryError } from '../../src/history/errors.js';

const v = (text: string): unknown => parseEdnValue(text, 't.edn');

function parseError(text: string): HistoryError {
  try {
    parseEdn(text, 'bad.edn');
  } catch (e) {
    expect(e).toBeInstanceOf(HistoryError);
    return e as HistoryError;
  }
  throw new Error(`expected a parse error for ${JSON.stringify(text)}`);
}

describe('EDN scalars', () => {
  it('reads nil, true and false', () => {
    expect(v('nil')).toBe(null);
    expect(v('true')).toBe(true);
    expect(v('false')).toBe(false);
  });

  it('reads integers, with N suffix, signs, and big ones exactly as bigints', () => {
    expect(v('42')).toBe(42);
    expect(v('-7')).toBe(-7);
    expect(v('+3')).toBe(3);
    expect(v('0')).toBe(0);
    expect(v('12N')).toBe(12);
    expect(v('9007199254740991')).toBe(9007199254740991);
    expect(v('9007199254740993')).toBe(9007199254740993n);
    expect(v('-9007199254740991')).toBe(-9007199254740991);
    expect(v('123456789012345678901234567890N')).toBe(123456789012345678901234567890n);
    expect(v('-123456789012345678901234567890')).toBe(-123456789012345678901234567890n);
    expect(v('0x20000000000001')).toBe(9007199254740993n);
    expect(v('9007199254740993.0')).toBe(9007199254740993n);
    expect(v('1e20')).toBe(100000000000000000000n);
    expect(v('4/2')).toBe(2);
    expect(v('0x1F')).toBe(31);
    expect(v('2r1010')).toBe(10);
  });

  it('reads floats, M suffix, exponents, ratios and symbolic values', () => {
    expect(v('1.5')).toBe(1.5);
    expect(v('-0.25')).toBe(-0.25);
    expect(v('1e3')).toBe(1000);
    expect(v('2.5E-1')).toBe(0.25);
    expect(v('3.14M')).toBe(3.14);
    expect(v('1/3')).toBeCloseTo(1 / 3, 15);
    expect(v('-3/4')).toBe(-0.75);
    expect(v('##Inf')).toBe(Infinity);
    expect(v('##-Inf')).toBe(-Infinity);
    expect(v('##NaN')).toBeNaN();
  });

  it('reads strings with escapes', () => {
    expect(v('"plain"')).toBe('plain');
    expect(v('""')).toBe('');
    expect(v('"a\\"b\\\\c\\nd\\te\\rf"')).toBe('a"b\\c\nd\te\rf');
    expect(v('"\\u00e9t\\u00E9"')).toBe('été');
    expect(v('"multi\nline"')).toBe('multi\nline');
    expect(v('"héllo ☃"')).toBe('héllo ☃');
  });

  it('reads characters', () => {
    expect(v('\\a')).toBe('a');
    expect(v('\\newline')).toBe('\n');
    expect(v('\\space')).toBe(' ');
    expect(v('\\tab')).toBe('\t');
    expect(v('\\u0041')).toBe('A');
    expect(v('[\\( \\) \\,]')).toEqual(['(', ')', ',']);
  });

  it('reads keywords and symbols as strings without the colon', () => {
    expect(v(':invoke')).toBe('invoke');
    expect(v(':foo/bar')).toBe('foo/bar');
    expect(v(':not-held')).toBe('not-held');
    expect(v('foo')).toBe('foo');
    expect(v('java.sql.SQLException')).toBe('java.sql.SQLException');
    expect(v('<init>')).toBe('<init>');
    expect(v('clojure.core$apply')).toBe('clojure.core$apply');
    expect(v('-')).toBe('-');
    expect(v('->x')).toBe('->x');
  });
});

describe('EDN collections', () => {
  it('reads lists, vectors and sets as arrays', () => {
    expect(v('(1 2 3)')).toEqual([1, 2, 3]);
    expect(v('[1 [2 (3)] []]')).toEqual([1, [2, [3]], []]);
    expect(v('#{:a :b}')).toEqual(['a', 'b']);
    expect(v('#{}')).toEqual([]);
  });

  it('reads maps as plain objects, stringifying non-string keys', () => {
    expect(v('{:a 1, :b "x"}')).toEqual({ a: 1, b: 'x' });
    expect(v('{0 100, 1 0}')).toEqual({ '0': 100, '1': 0 });
    expect(v('{"84.23.53.151" ""}')).toEqual({ '84.23.53.151': '' });
    expect(v('{nil 1 true 2}')).toEqual({ nil: 1, true: 2 });
    expect(v('{[1 2] :x}')).toEqual({ '[1,2]': 'x' });
    expect(v('{}')).toEqual({});
    const proto = v('{"__proto__" 1}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.keys(proto)).toEqual(['__proto__']);
  });

  it('treats commas as whitespace and skips comments and #_ discards', () => {
    expect(v('[1,2,,3 , ]')).toEqual([1, 2, 3]);
    expect(v('[1 ; a comment ]\n 2]')).toEqual([1, 2]);
    expect(v('[1 #_ 2 3]')).toEqual([1, 3]);
    expect(v('[1 #_#_ 2 3 4]')).toEqual([1, 4]);
    expect(v('{:a 1 #_ :b #_ 2 :c 3}')).toEqual({ a: 1, c: 3 });
    expect(v('#_ {:gone 1} [:kept]')).toEqual(['kept']);
  });

  it('reads tagged literals as their value', () => {
    expect(v('#inst "2024-01-02T03:04:05.000-00:00"')).toBe('2024-01-02T03:04:05.000-00:00');
    expect(v('#uuid "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"')).toBe('f81d4fae-7dec-11d0-a765-00a0c91e6bf6');
    expect(v('#my/tag [1 2]')).toEqual([1, 2]);
    expect(v('#jepsen.history.Op{:index 0 :type :invoke}')).toEqual({ index: 0, type: 'invoke' });
    expect(v('#object[java.lang.Exception 0x1f "boom"]')).toEqual(['java.lang.Exception', 31, 'boom']);
  });
});

describe('EDN top-level forms and lines', () => {
  it('gives every top-level form with its 1-based start line', () => {
    const forms = parseEdn('; header\n{:a 1}\n\n{:b\n 2}  {:c 3}\n[1\n 2]\n', 'x.edn');
    expect(forms.map((f) => f.line)).toEqual([2, 4, 5, 6]);
    expect(forms.map((f) => f.value)).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }, [1, 2]]);
  });

  it('gives the start line of each element of a top-level vector or list', () => {
    const forms = parseEdn('[{:a 1}\n {:a 2}\n ; note\n {:a\n  3} {:a 4}]', 'x.edn');
    expect(forms).toHaveLength(1);
    expect(forms[0]!.itemLines).toEqual([1, 2, 4, 5]);
    const list = parseEdn('(\n1\n#_ 2\n3)', 'x.edn');
    expect(list[0]!.itemLines).toEqual([2, 4]);
  });

  it('counts newlines inside strings and characters', () => {
    const forms = parseEdn('"a\nb\nc" \\newline\n:x\n"d\\ne"\n:y', 'x.edn');
    expect(forms.map((f) => f.line)).toEqual([1, 3, 4, 5, 6]);
  });

  it('reads a realistic Jepsen op map', () => {
    const text = '{:type :fail, :f :release, :process 3, :time 32094782390, ' + ':error [:not-found "etcdserver: requested lease not found"], :index 1120}';
    expect(v(text)).toEqual({
      type: 'fail',
      f: 'release',
      process: 3,
      time: 32094782390,
      error: ['not-found', 'etcdserver: requested lease not found'],
      index: 1120,
    });
    expect(v('{:process :nemesis, :type :info, :f :start, :value "Cut off [:n3 #[:n4]]"}')).toEqual({
      process: 'nemesis',
      type: 'info',
      f: 'start',
      value: 'Cut off [:n3 #[:n4]]',
    });
    expect(v('{:type :ok, :f :txn, :value [[:append 4 2] [:r 3 [1 2]] [:r 5 nil]], :process 0}')).toEqual({
      type: 'ok',
      f: 'txn',
      value: [
        ['append', 4, 2],
        ['r', 3, [1, 2]],
        ['r', 5, null],
      ],
      process: 0,
    });
  });

  it('returns no forms for empty or comment-only text', () => {
    expect(parseEdn('', 'x')).toEqual([]);
    expect(parseEdn('  ; nothing\n, ,\n', 'x')).toEqual([]);
  });
});

describe('EDN errors carry file and line', () => {
  it('reports an unterminated string at the line it starts', () => {
    const e = parseError('{:a 1}\n{:b 2}\n{:c "oops\n\n}');
    expect(e.code).toBe('parse');
    expect(e.file).toBe('bad.edn');
    expect(e.line).toBe(3);
    expect(e.message).toBe('unterminated string starting at line 3');
    expect(String(e)).toBe('bad.edn:3: unterminated string starting at line 3');
  });

  it('reports unterminated collections at their start line', () => {
    expect(parseError('\n[1 2\n3').message).toBe('unterminated vector starting at line 2');
    expect(parseError('\n\n{:a 1').line).toBe(3);
    expect(parseError('#{1 2').message).toBe('unterminated set starting at line 1');
  });

  it('reports a mismatched or stray closer where it is', () => {
    const e = parseError('[1\n 2\n)');
    expect(e.line).toBe(3);
    expect(e.message).toContain("unexpected ')' at line 3");
    expect(parseError('{:a 1}\n}').line).toBe(2);
  });

  it('reports a map with a key and no value, bad numbers, escapes and characters', () => {
    expect(parseError('{:a 1\n :b}').message).toBe('map starting at line 1 has a key without a value at line 2');
    expect(parseError('\n12abc').message).toBe("invalid number '12abc' at line 2");
    expect(parseError('"bad \\q escape"').message).toContain("invalid escape '\\q'");
    expect(parseError('\\foo').message).toContain("unknown character literal '\\foo'");
    expect(parseError('1/0').message).toContain('zero denominator');
    expect(parseError('[#_]').message).toContain('#_ at line 1 discards nothing');
    expect(parseError('[#inst]').message).toContain('tag #inst at line 1 has no value');
  });

  it('parseEdnValue insists on exactly one form', () => {
    expect(() => parseEdnValue('1 2', 'x')).toThrow(/expected one EDN form, found 2/);
  });
});

describe('EDN at size', () => {
  // How fast is `npm run bench`'s business (timed tests fail on a loaded machine); this checks the result.
  it('parses 2.8 MB of Jepsen ops, every form', () => {
    const line =
      '{:type :ok, :f :read, :process 0, :time 11245205834, ' +
      ':value {0 100, 1 0, 2 0, 3 0, 4 0, 5 0, 6 0, 7 0, 8 0, 9 0}, :index 1}\n' +
      '{:type :invoke, :f :transfer, :value {:from 0, :to 4, :amount 2}, :process 0, :time 70186076395, :index 674}\n';
    const text = line.repeat(Math.ceil(2.8e6 / line.length));
    parseEdn(text.slice(0, 100_000).replace(/\n[^\n]*$/, '\n'), 'warm');
    const forms = parseEdn(text, 'big.edn');
    expect(forms.length).toBe(2 * Math.ceil(2.8e6 / line.length));
    expect(forms[forms.length - 1]).toMatchObject({ value: { type: 'invoke', f: 'transfer', index: 674 } });
  });
});
