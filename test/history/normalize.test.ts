import { describe, it, expect } from 'vitest';
import { HistoryError } from '../../src/history/errors.js';
import { normalizeOp, type NormalizeNotes } from '../../src/history/normalize.js';

const norm = (raw: unknown, position = 0): unknown => normalizeOp(raw, 'h.edn', 7, position);

function err(raw: unknown): HistoryError {
  try {
    normalizeOp(raw, 'h.edn', 7, 0);
  } catch (e) {
    expect(e).toBeInstanceOf(HistoryError);
    return e as HistoryError;
  }
  throw new Error('expected an error');
}

describe('normalizeOp', () => {
  it('keeps the op fields, defaults value, index and time, drops unknown keys', () => {
    expect(norm({ type: 'invoke', f: 'add', value: 1, 'op-index': 1, process: 0, time: 10474104701, index: 0 })).toEqual({
      index: 0,
      time: 10474104701,
      type: 'invoke',
      process: 0,
      f: 'add',
      value: 1,
    });
    expect(norm({ type: 'invoke', f: 'read', process: 0 }, 12)).toEqual({ index: 12, time: 0, type: 'invoke', process: 0, f: 'read', value: null });
  });

  it('accepts types as keywords or strings, with a leading colon stripped', () => {
    for (const t of ['invoke', 'ok', 'fail', 'info']) {
      expect((norm({ type: t, f: 'r', process: 1 }) as { type: string }).type).toBe(t);
      expect((norm({ type: ':' + t, f: 'r', process: 1 }) as { type: string }).type).toBe(t);
    }
  });

  it('accepts numeric and nemesis processes, and f as keyword, string or number', () => {
    expect(norm({ type: 'info', f: 'start', process: 'nemesis' })).toMatchObject({ process: 'nemesis' });
    expect(norm({ type: 'info', f: ':start', process: ':nemesis' })).toMatchObject({ process: 'nemesis', f: 'start' });
    expect(norm({ type: 'ok', f: 3, process: '12' })).toMatchObject({ process: 12, f: '3' });
  });

  it('keeps error, node and session when present and not nil', () => {
    const op = norm({ type: 'fail', f: 'release', process: 3, error: ['not-found', 'lease'], node: 'n1', session: 's1', exception: {} });
    expect(op).toEqual({ index: 0, time: 0, type: 'fail', process: 3, f: 'release', value: null, error: ['not-found', 'lease'], node: 'n1', session: 's1' });
    expect(norm({ type: 'ok', f: 'r', process: 1, error: null })).not.toHaveProperty('error');
  });

  it('reads big EDN integers (strings of digits) as index and time', () => {
    expect(norm({ type: 'ok', f: 'r', process: 1, time: '123456789012345678901' })).toMatchObject({ time: Number('123456789012345678901') });
  });

  it('rejects missing or bad type, process and f, naming the line', () => {
    expect(err({ f: 'r', process: 1 }).message).toBe('op has no :type');
    expect(err({ type: 'done', f: 'r', process: 1 }).message).toBe(':type must be invoke, ok, fail or info, not "done"');
    expect(err({ type: 'constructor', f: 'r', process: 1 }).message).toContain(':type must be');
    expect(err({ type: 'ok', f: 'r' }).message).toBe('op has no :process');
    expect(err({ type: 'ok', f: 'r', process: 'worker-1' }).message).toBe('process "worker-1" is neither a number nor :nemesis');
    expect(err({ type: 'ok', f: 'r', process: 1.5 }).message).toBe('process 1.5 is not an integer');
    expect(err({ type: 'ok', process: 1 }).message).toBe('op has no :f');
    expect(err({ type: 'ok', process: 1, f: ['x'] }).message).toContain(':f must be');
    expect(err({ type: 'ok', process: 1, f: 'r', index: 'x' }).message).toContain(':index must be an integer');
    expect(err({ type: 'ok', process: 1, f: 'r', time: 'soon' }).message).toContain(':time must be a number');
    expect(err([1, 2]).message).toBe('expected an op map, found a vector');
    const e = err({ type: 'ok' });
    expect(e.line).toBe(7);
    expect(e.file).toBe('h.edn');
    expect(e.code).toBe('parse');
  });

  it('reads an op without :f as :txn only when asked to note it and its value is a transaction', () => {
    const notes: NormalizeNotes = { inferredTxn: 0 };
    const op = normalizeOp(
      {
        type: 'invoke',
        process: 2,
        value: [
          ['append', 4, 2],
          ['r', 5, null],
        ],
      },
      'e.edn',
      3,
      0,
      notes,
    );
    expect(op.f).toBe('txn');
    expect(notes).toEqual({ inferredTxn: 1, firstInferredLine: 3 });
    expect(() => normalizeOp({ type: 'invoke', process: 2, value: 5 }, 'e.edn', 4, 1, notes)).toThrow(/op has no :f/);
    expect(() => normalizeOp({ type: 'invoke', process: 2, value: [['r', 5, null]] }, 'e.edn', 4, 1)).toThrow(/op has no :f/);
  });
});
