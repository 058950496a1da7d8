import { describe, expect, it } from 'vitest';
import { buildTxnTable, TxnShapeError } from '../../../src/checkers/txn/txns.js';
import { EdgeBuilder, edgeKinds } from '../../../src/checkers/txn/graph.js';
import { RW, WR, WW } from '../../../src/checkers/txn/types.js';
import { done, hist, inv, tx } from './build.js';

function shapeError(f: () => unknown): TxnShapeError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TxnShapeError);
    return e as TxnShapeError;
  }
  throw new Error('no TxnShapeError');
}

describe('transactions from a history', () => {
  it('pairs per process, skips nemesis and other fs, gives ok and info transactions vertices in invocation order', () => {
    const ops = hist(
      inv(0, [['append', 5, 1]]),
      ['nemesis', 'invoke', 'kill', null],
      inv(1, [
        ['r', 5, null],
        ['append', 6, 1],
      ]),
      [2, 'invoke', 'read', 5],
      done(1, [['r', 5, null]], 'fail'),
      [2, 'ok', 'read', [5, []]],
      inv(1, [['r', 5, null]]),
      done(0, [['append', 5, 1]], 'info'),
      done(1, [['r', 5, [1]]]),
      inv(3, [
        ['append', 7, 1],
        ['r', 7, null],
      ]),
    );
    const t = buildTxnTable(ops, 'list-append');
    expect(t.txns.map((x) => [x.id, x.type, x.invokeIndex, x.index, x.process])).toEqual([
      [0, 'info', 0, 7, 0],
      [-1, 'fail', 2, 4, 1],
      [1, 'ok', 6, 8, 1],
      [2, 'info', 9, 9, 3], // never completed: info, indexed by its invocation
    ]);
    expect([...t.vertexTxn]).toEqual([0, 2, 3]);
    expect([...t.okByCompletion]).toEqual([2]);
    // An info transaction keeps its writes; its reads are unknown (null). An ok read has its value.
    expect(t.txns[3]!.mops).toEqual([
      { f: 'append', key: 7, value: 1 },
      { f: 'r', key: 7, value: null },
    ]);
    expect(t.txns[2]!.mops).toEqual([{ f: 'r', key: 5, value: [1] }]);
  });

  it('reads nil in an ok list-append transaction as the empty list', () => {
    const t = buildTxnTable(hist(tx(0, [['r', 'x', null]])), 'list-append');
    expect(t.txns[0]!.mops[0]!.value).toEqual([]);
  });

  it('refuses values that are not transactions, naming the op', () => {
    expect(shapeError(() => buildTxnTable(hist([0, 'invoke', 'txn', 5], [0, 'ok', 'txn', 5]), 'list-append')).message).toBe(
      "op 1's value 5 is not a list of micro-ops",
    );
    expect(shapeError(() => buildTxnTable(hist(tx(0, [['append', 5] as never])), 'list-append')).message).toBe(
      'op 1\'s micro-op ["append",5] is not [f key value]',
    );
    expect(shapeError(() => buildTxnTable(hist(tx(0, [['w', 5, 1]])), 'list-append')).message).toBe(
      'op 1\'s micro-op ["w",5,1] is neither append nor r, as list-append needs',
    );
    expect(shapeError(() => buildTxnTable(hist(tx(0, [['append', 5, 1]])), 'rw-register')).message).toMatch(/neither w nor r/);
    expect(shapeError(() => buildTxnTable(hist(tx(0, [['r', 5, 7]])), 'list-append')).message).toBe('op 1 reads key 5 as 7, which is not a list');
    expect(shapeError(() => buildTxnTable(hist(tx(0, [['w', 'x', null]])), 'rw-register')).message).toBe(
      'op 1 writes nil to key "x", but nil is every register\'s initial state',
    );
  });

  it('refuses a value appended or written twice to one key, failed transactions included', () => {
    const twice = hist(tx(0, [['append', 5, 3]], 'fail'), tx(1, [['append', 5, 3]]));
    expect(shapeError(() => buildTxnTable(twice, 'list-append')).message).toBe('op 3 appends 3 to key 5 and op 0 did too, but values must be unique per key');
    const inOne = hist(
      tx(0, [
        ['w', 'x', 1],
        ['w', 'x', 1],
      ]),
    );
    expect(shapeError(() => buildTxnTable(inOne, 'rw-register')).message).toBe(
      'op 1 writes 1 to key "x" and earlier in the same transaction, but values must be unique per key',
    );
    // The same value on another key is fine.
    expect(() => buildTxnTable(hist(tx(0, [['append', 5, 3]]), tx(1, [['append', 6, 3]])), 'list-append')).not.toThrow();
  });
});

describe('EdgeBuilder', () => {
  it('dedupes each ordered pair, ORs the kinds, drops self-loops, sorts each row', () => {
    const b = new EdgeBuilder(4);
    b.add(2, 1, WW);
    b.add(0, 3, RW);
    b.add(0, 1, WR);
    b.add(2, 1, RW);
    b.add(1, 1, WW);
    b.add(0, 3, RW);
    const g = b.build();
    expect([...g.offsets]).toEqual([0, 2, 2, 3, 3]);
    expect([...g.targets]).toEqual([1, 3, 1]);
    expect([...g.kinds]).toEqual([WR, RW, WW | RW]);
    expect(edgeKinds(g, 2, 1)).toBe(WW | RW);
    expect(edgeKinds(g, 1, 2)).toBe(0);
  });

  it('grows past one chunk', () => {
    const n = 3000;
    const b = new EdgeBuilder(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < 500; j++) b.add(i, (i + j + 1) % n, WW);
    const g = b.build();
    expect(g.targets.length).toBe(n * 500);
    expect(edgeKinds(g, 2999, 499)).toBe(WW);
  });
});
