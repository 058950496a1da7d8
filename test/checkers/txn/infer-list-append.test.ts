import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseHistory } from '../../../src/history/load.js';
import { inferListAppend } from '../../../src/checkers/txn/list-append.js';
import type { Anomaly } from '../../../src/checkers/types.js';
import { done, edgeList, hasCycle, hist, inv, T, tx } from './build.js';
import { genListAppend } from './gen.js';

const witness = (a: Anomaly[]) => a.map((x) => ({ kind: x.kind, ops: x.ops, key: x.data?.key }));

describe('list-append edges', () => {
  // Four concurrent transactions on four processes (all invoked before any completes): no process
  // or realtime edges, only what the values say. Order of key 5: [1 2].
  const ops = hist(
    inv(0, [['append', 5, 1]]),
    inv(1, [
      ['r', 5, null],
      ['append', 5, 2],
    ]),
    inv(2, [['r', 5, null]]),
    inv(3, [['r', 5, null]]),
    done(0, [['append', 5, 1]]),
    done(1, [
      ['r', 5, [1]],
      ['append', 5, 2],
    ]),
    done(2, [['r', 5, [1, 2]]]),
    done(3, [['r', 5, [1]]]),
  );

  it('infers ww between consecutive appenders, wr from the last element appender, rw to the next appender', () => {
    const inf = inferListAppend(ops, {});
    expect(inf.anomalies).toEqual([]);
    expect(edgeList(inf)).toEqual(['0->1 wr', '0->1 ww', '0->3 wr', '1->2 wr', '3->1 rw']);
  });

  it('orders an append no read saw after the last element read, and after every reader of the whole list', () => {
    const more = hist(...ops.map((o) => [o.process, o.type, o.f, o.value] as never), inv(4, [['append', 5, 3]]), done(4, [['append', 5, 3]], 'info'));
    const inf = inferListAppend(more, {});
    expect(edgeList(inf, ['ww', 'wr', 'rw'])).toEqual(['0->1 wr', '0->1 ww', '0->3 wr', '1->2 wr', '1->4 ww', '2->4 rw', '3->1 rw']);
    // The same with nothing read: every reader of [] precedes every append.
    const none = inferListAppend(hist(inv(0, [['r', 'k', null]]), inv(1, [['append', 'k', 1]]), done(0, [['r', 'k', []]]), done(1, [['append', 'k', 1]])), {});
    expect(edgeList(none)).toEqual(['0->1 rw']);
  });

  it('explains each edge in one sentence', () => {
    const inf = inferListAppend(ops, {});
    expect(inf.explain(0, 1, 'ww', T)).toEqual({
      kind: 'ww',
      key: 5,
      value: 2,
      sentence: 'T1 appended 2 after T0 appended 1 to key 5 (key 5 was read as [1 2])',
    });
    expect(inf.explain(1, 2, 'wr', T)).toEqual({ kind: 'wr', key: 5, value: 2, sentence: 'T2 read key 5 = [1 2], the last element T1 appended' });
    expect(inf.explain(3, 1, 'rw', T)).toEqual({
      kind: 'rw',
      key: 5,
      value: 2,
      sentence: 'T3 read key 5 without 2, which T1 appended next, so T3 precedes T1',
    });
    expect(() => inf.explain(1, 0, 'ww', T)).toThrow('no ww edge from T1 to T0');
  });

  it('adds process edges from each ok transaction to the next one of its process, and realtime edges as a reduction', () => {
    // p0: a ok, b fail, c info (never completes); p1: d overlaps a and b, e starts after b ended.
    const inf = inferListAppend(
      hist(
        inv(0, [['append', 1, 1]]), // 0
        inv(1, [['append', 2, 1]]), // 1
        done(0, [['append', 1, 1]]), // 2  a ok
        inv(0, [['append', 1, 2]]), // 3
        done(0, [['append', 1, 2]], 'fail'), // 4 b fail
        done(1, [['append', 2, 1]]), // 5 d ok
        inv(0, [['append', 1, 3]]), // 6 c: never completes
        inv(1, [['append', 2, 2]]), // 7
        done(1, [['append', 2, 2]]), // 8 e ok
      ),
      {},
    );
    expect(inf.txns.map((x) => x.id)).toEqual([0, 1, -1, 2, 3]);
    // a -> c on p0 (the fail is skipped), d -> e on p1; realtime: a -> c, a -> e, d -> c, d -> e
    // (a completed at 2, d at 5, before c at 6 and e at 7).
    expect(edgeList(inf, ['process', 'realtime'])).toEqual([
      '0->2 process',
      '0->2 realtime',
      '0->3 realtime',
      '1->2 realtime',
      '1->3 process',
      '1->3 realtime',
    ]);
    expect(inf.explain(0, 2, 'process', T).sentence).toBe('T0 completed before T2 on process 0');
    expect(inf.explain(1, 2, 'realtime', T).sentence).toBe('T1 completed (index 5) before T2 began (index 6)');
    expect(() => inf.explain(2, 3, 'realtime', T)).toThrow(); // an info transaction precedes nothing
  });

  it('keeps realtime edges a reduction: a chain of sequential transactions is a path', () => {
    const inf = inferListAppend(hist(...[1, 2, 3, 4].map((i) => tx(i, [['append', 9, i]]))), {});
    expect(edgeList(inf, ['realtime'])).toEqual(['0->1 realtime', '1->2 realtime', '2->3 realtime']);
  });
});

describe('list-append anomalies without cycles', () => {
  it('duplicate-elements', () => {
    const inf = inferListAppend(hist(tx(0, [['append', 5, 1]]), tx(1, [['r', 5, [1, 1]]])), {});
    expect(witness(inf.anomalies)).toEqual([{ kind: 'duplicate-elements', ops: [3], key: 5 }]);
    expect(inf.anomalies[0]!.data!.duplicates).toEqual([[1, 2]]);
  });

  it('incompatible-order: a read that is no prefix of the longest', () => {
    const inf = inferListAppend(hist(tx(0, [['append', 5, 1]]), tx(1, [['append', 5, 2]]), tx(2, [['r', 5, [1, 2]]]), tx(3, [['r', 5, [2, 1]]])), {});
    expect(witness(inf.anomalies)).toEqual([{ kind: 'incompatible-order', ops: [7, 5], key: 5 }]);
    expect(inf.anomalies[0]!.data!.values).toEqual([
      [2, 1],
      [1, 2],
    ]);
  });

  it('G1a: reading an element a failed transaction appended', () => {
    const inf = inferListAppend(hist(tx(0, [['append', 5, 1]], 'fail'), tx(1, [['r', 5, [1]]])), {});
    expect(witness(inf.anomalies)).toEqual([{ kind: 'G1a', ops: [3, 1], key: 5 }]);
    expect(inf.anomalies[0]!.explanation).toBe(
      'The transaction at index 3 read key 5 = [1], which holds 1, appended by the transaction at index 1, which failed.',
    );
    expect(edgeList(inf)).toEqual([]); // a failed transaction is no vertex
  });

  it('G1b: reading an intermediate append of another transaction, but not one of its own', () => {
    const inf = inferListAppend(
      hist(
        tx(0, [
          ['append', 5, 1],
          ['append', 5, 2],
          ['r', 5, [1, 2]],
        ]),
        tx(1, [['r', 5, [1]]]),
      ),
      {},
    );
    expect(witness(inf.anomalies)).toEqual([{ kind: 'G1b', ops: [3, 1], key: 5 }]);
    expect(inf.anomalies[0]!.data!.element).toBe(1);
  });

  it('dirty-update: a committed append on top of a failed one', () => {
    const inf = inferListAppend(
      hist(tx(0, [['append', 5, 1]], 'fail'), tx(1, [['append', 5, 2]], 'info'), tx(2, [['append', 5, 3]]), tx(3, [['r', 5, [1, 2, 3]]])),
      {},
    );
    expect(witness(inf.anomalies)).toEqual([
      { kind: 'G1a', ops: [7, 1], key: 5 },
      { kind: 'dirty-update', ops: [1, 5], key: 5 },
    ]);
    expect(inf.anomalies[1]!.data!.values).toEqual([1, 2, 3]);
  });

  it('internal: a read that disagrees with the transaction own earlier read and append', () => {
    const inf = inferListAppend(
      hist(
        tx(0, [['append', 5, 1]]),
        tx(1, [
          ['r', 5, [1]],
          ['append', 5, 2],
          ['r', 5, [1]],
        ]),
      ),
      {},
    );
    expect(witness(inf.anomalies)).toEqual([{ kind: 'internal', ops: [3], key: 5 }]);
    expect(inf.anomalies[0]!.data!.expected).toEqual([1, 2]);
    // After only its own append, a read must end with it: [.. 7].
    const blind = inferListAppend(
      hist(
        tx(0, [
          ['append', 6, 7],
          ['r', 6, []],
        ]),
      ),
      {},
    );
    expect(witness(blind.anomalies)).toEqual([{ kind: 'internal', ops: [1], key: 6 }]);
    expect(blind.anomalies[0]!.data!.expected).toEqual(['...', 7]);
  });

  it('future-read: reading an element before appending it', () => {
    const inf = inferListAppend(
      hist(
        tx(0, [['append', 5, 1]]),
        tx(1, [
          ['r', 5, [1, 2]],
          ['append', 5, 2],
        ]),
      ),
      {},
    );
    expect(witness(inf.anomalies)).toEqual([{ kind: 'future-read', ops: [3], key: 5 }]);
  });

  it('lost-update: two committed transactions read the same version and both appended', () => {
    const inf = inferListAppend(
      hist(
        tx(0, [['append', 5, 1]]),
        tx(1, [
          ['r', 5, [1]],
          ['append', 5, 2],
        ]),
        tx(2, [
          ['r', 5, [1]],
          ['append', 5, 3],
        ]),
      ),
      {},
    );
    expect(witness(inf.anomalies)).toEqual([{ kind: 'lost-update', ops: [3, 5], key: 5 }]);
  });

  it('garbage-read: an element nobody tried to append', () => {
    const inf = inferListAppend(hist(tx(0, [['append', 5, 1]]), tx(1, [['r', 5, [1, 9]]])), {});
    expect(witness(inf.anomalies)).toEqual([{ kind: 'garbage-read', ops: [3], key: 5 }]);
    expect(inf.anomalies[0]!.data!.element).toBe(9);
  });

  it('finds nothing in a strictly serializable generated history', () => {
    const inf = inferListAppend(genListAppend({ txns: 2000, seed: 3 }), {});
    expect(inf.anomalies).toEqual([]);
    expect(hasCycle(inf, ['ww', 'wr', 'rw', 'process', 'realtime'])).toBe(false);
  });
});

describe('Elle conformance histories', () => {
  const load = (f: string) => {
    const file = `test/fixtures/conformance/elle/${f}`;
    return parseHistory(readFileSync(file, 'utf8'), file).ops;
  };

  it('list-append-gh-30: an rw cycle between two transactions (not serializable)', () => {
    const inf = inferListAppend(load('list-append-gh-30.edn'), {});
    expect(inf.anomalies).toEqual([]);
    // T1 = process 0's [r 2 [] r 3 [] append 4 0], T2 = process 1's [append 3 1, append 2 4, r 4 []].
    expect(inf.txns[1]!.process).toBe(0);
    expect(inf.txns[2]!.process).toBe(1);
    expect(edgeList(inf, ['rw'])).toContain('1->2 rw');
    expect(edgeList(inf, ['rw'])).toContain('2->1 rw');
    expect(hasCycle(inf, ['ww', 'wr', 'rw'])).toBe(true);
    expect(inf.explain(1, 2, 'rw', T).sentence).toBe('T1 read key 2 = [] without 4, which T2 appended after every element any read saw, so T1 precedes T2');
  });

  it('paper-example: T1 -wr-> T2 -ww-> T3 -rw-> T1, and T3 misses 8, which T1 appended before T3 began', () => {
    const inf = inferListAppend(load('paper-example.edn'), {});
    expect(inf.anomalies).toEqual([]);
    expect(edgeList(inf, ['ww', 'wr', 'rw'])).toEqual(['0->1 wr', '0->1 ww', '0->2 wr', '0->2 ww', '0->3 wr', '1->2 wr', '2->3 rw', '2->3 ww', '3->1 rw']);
    expect(edgeList(inf, ['realtime'])).toEqual(['0->1 realtime', '1->2 realtime', '2->3 realtime']);
    expect(hasCycle(inf, ['ww', 'wr'])).toBe(false);
    expect(hasCycle(inf, ['ww', 'wr', 'rw'])).toBe(true);
    expect(inf.explain(2, 3, 'ww', T).sentence).toBe(
      'T3 appended 3 to key 256 after T2 appended 4, the last element any read saw ([.. 2 4]), since no read saw 3',
    );
    expect(inf.explain(3, 1, 'rw', T).sentence).toBe('T3 read key 255 without 8, which T1 appended next, so T3 precedes T1');
  });
});

describe('list-append inference time', () => {
  it('prints the time for a 100,000-transaction history at concurrency 10', () => {
    const ops = genListAppend({ txns: 100_000, seed: 1 });
    const t0 = performance.now();
    const inf = inferListAppend(ops, {});
    const ms = performance.now() - t0;
    console.log(`list-append inference: 100,000 transactions in ${ms.toFixed(0)} ms, ${inf.graph.targets.length} edges`);
    expect(inf.graph.n).toBe(100_000);
  }, 60_000);
});
