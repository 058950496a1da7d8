import { describe, it, expect } from 'vitest';
import { HistoryError } from '../../src/history/errors.js';
import { assertLinted, lintHistory } from '../../src/history/lint.js';
import { parseHistory } from '../../src/history/load.js';

// Hand-written EDN, one op per line after a comment line, so op k sits on line k + 2.
const edn = (...ops: string[]): string => '; test history\n' + ops.join('\n') + '\n';
const lint = (text: string, max?: number): HistoryError[] => lintHistory(parseHistory(text, 'h.edn'), { max });
const lines = (errs: HistoryError[]): (number | undefined)[] => errs.map((e) => e.line);

describe('lintHistory', () => {
  it('passes a valid history: pairs, a crashed (info) op, concurrent processes, loose nemesis ops', () => {
    const errs = lint(
      edn(
        '{:type :invoke, :f :write, :value 1, :process 0}',
        '{:type :invoke, :f :read, :process 1}',
        '{:type :info, :f :start, :process :nemesis}',
        '{:type :ok, :f :write, :value 1, :process 0}',
        '{:type :info, :f :start, :process :nemesis, :value "cut off n1"}',
        '{:type :info, :f :read, :process 1}',
        '{:type :invoke, :f :cas, :value [1 2], :process 0}',
        '{:type :fail, :f :cas, :value [1 2], :process 0}',
        '{:type :invoke, :f :read, :process 2}',
      ),
    );
    expect(errs).toEqual([]);
    expect(() => assertLinted(parseHistory(edn('{:type :invoke, :f :read, :process 0}'), 'h.edn'))).not.toThrow();
  });

  it('reports a completion without an invocation', () => {
    const errs = lint(
      edn('{:type :invoke, :f :read, :process 1}', '{:type :ok, :f :read, :process 1, :value 5}', '{:type :ok, :f :write, :value 3, :process 3}'),
    );
    expect(errs).toHaveLength(1);
    const e = errs[0]!;
    expect(e).toBeInstanceOf(HistoryError);
    expect(e.code).toBe('lint');
    expect(e.file).toBe('h.edn');
    expect(e.line).toBe(4);
    expect(e.message).toBe('process 3 completed :write (ok) but had no open invocation');
  });

  it('reports a second invocation before the completion', () => {
    const errs = lint(
      edn('{:type :invoke, :f :write, :value 1, :process 2}', '{:type :invoke, :f :read, :process 0}', '{:type :invoke, :f :read, :process 2}'),
    );
    expect(lines(errs)).toEqual([4]);
    expect(errs[0]!.message).toBe('process 2 invoked :read while its :write from line 2 was still open');
  });

  it('reports a completion whose f differs from its invocation', () => {
    const errs = lint(edn('{:type :invoke, :f :write, :value 1, :process 2}', '{:type :invoke, :f :read, :process 0}', '{:type :fail, :f :cas, :process 2}'));
    expect(lines(errs)).toEqual([4]);
    expect(errs[0]!.message).toBe('process 2 completed :cas (fail) but its invocation at line 2 was :write');
  });

  it('reports indices that do not strictly increase, for nemesis ops too', () => {
    const errs = lint(
      edn(
        '{:index 0, :type :invoke, :f :read, :process 0}',
        '{:index 5, :type :info, :f :start, :process :nemesis}',
        '{:index 5, :type :ok, :f :read, :process 0}',
        '{:index 4, :type :info, :f :stop, :process :nemesis}',
        '{:index 9, :type :info, :f :stop, :process :nemesis}',
      ),
    );
    expect(lines(errs)).toEqual([4, 5]);
    expect(errs[0]!.message).toBe('index 5 is not greater than the previous index 5 (line 3)');
    expect(errs[1]!.message).toBe('index 4 is not greater than the previous index 5 (line 4)');
  });

  it('gives nemesis ops only the index rule', () => {
    expect(
      lint(
        edn(
          '{:type :info, :f :start, :process :nemesis}',
          '{:type :info, :f :start, :process :nemesis}',
          '{:type :invoke, :f :kill, :process :nemesis}',
          '{:type :invoke, :f :heal, :process :nemesis}',
        ),
      ),
    ).toEqual([]);
  });

  it('uses source lines of multi-line and vector histories', () => {
    const errs = lintHistory(parseHistory('[{:type :invoke,\n  :f :read,\n  :process 0}\n {:type :ok,\n  :f :write, :process 0}]', 'v.edn'));
    expect(lines(errs)).toEqual([4]);
  });

  it('caps the errors reported and says how many more there were', () => {
    const ops = Array.from({ length: 30 }, (_, i) => `{:type :ok, :f :read, :process ${i}}`);
    const errs = lint(edn(...ops));
    expect(errs).toHaveLength(21);
    expect(lines(errs.slice(0, 20))).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    expect(errs[20]!.line).toBeUndefined();
    expect(errs[20]!.code).toBe('lint');
    expect(errs[20]!.message).toBe('... and 10 more problems: the first 20 of 30 are shown');
    expect(
      lint(edn(...ops), 3)
        .map((e) => e.message)
        .at(-1),
    ).toBe('... and 27 more problems: the first 3 of 30 are shown');
    expect(
      lint(edn(...ops.slice(0, 2)), 1)
        .map((e) => e.message)
        .at(-1),
    ).toBe('... and 1 more problem: the first 1 of 2 are shown');
  });

  it('assertLinted throws the first error', () => {
    const h = parseHistory(edn('{:type :invoke, :f :read, :process 0}', '{:type :ok, :f :write, :process 1}', '{:type :ok, :f :write, :process 2}'), 'h.edn');
    expect(() => assertLinted(h)).toThrow(HistoryError);
    try {
      assertLinted(h);
    } catch (e) {
      expect((e as HistoryError).line).toBe(3);
      expect(String(e)).toBe('h.edn:3: process 1 completed :write (ok) but had no open invocation');
    }
  });
});
