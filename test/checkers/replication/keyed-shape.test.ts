import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../src/check.js';
import { checkLostWrites, checkSet, checkSetFull } from '../../../src/checkers/replication/index.js';
import { isKeyed } from '../../../src/checkers/replication/keyed.js';
import { setShape } from '../../../src/checkers/replication/set-shape.js';
import { add, ap, hist, rd, rs, type Row } from './build.js';

// Jepsen's independent-key convention ([key, v]) and its literal reading, per checker, from the
// writes and the reads together (`--keyed auto|yes|no`, CheckOptions.keyed).
// Index = position in the history, time = index ms.

/** An unkeyed append of e and an unkeyed read returning list (Jepsen: no [k v] wrapping). */
const apU = (p: number, e: unknown): Row[] => [
  [p, 'invoke', 'append', e],
  [p, 'ok', 'append', e],
];
const rdU = (p: number, v: unknown, node?: string): Row[] => [
  [p, 'invoke', 'read', null],
  [p, 'ok', 'read', v, node],
];

// Jepsen's set-full with adds [0 v] but reads returning one flat set: Jepsen compares whole values,
// so the elements are the vectors [0 1] and [0 2], which no read holds: both lost.
const literal = () => hist(add(0, [0, 1]), add(0, [0, 2]), rs(1, [1, 2], 'n1'));

describe('set and set-full: the literal shape', () => {
  it('adds [0 v] with flat reads are read literally (auto): every add is lost, as Jepsen says', () => {
    const ops = literal();
    expect(setShape(ops)).toBe('literal');
    const v = checkSetFull(ops);
    expect(v).toMatchObject({ valid: false, stats: { shape: 'literal', acked: 2, lost: 2, stable: 0 } });
    expect(v.anomalies.map((a) => [a.kind, a.ops])).toEqual([
      ['lost', [0, 1, 2, 3, 4, 5]],
      ['unexpected', [4, 5]],
    ]);
    expect(v.anomalies[0]!.explanation).toBe(
      '2 writes that were acknowledged or seen are lost from the set: [0,1], [0,2]; the first: process 0 added [0,1] and got ok at 0.001 s (op #1), but every read of the set begun after the ok lacks it (n1 at 0.004 s (op #4))',
    );
    expect(v.anomalies[0]!.data).toMatchObject({
      elements: [
        [0, 1],
        [0, 2],
      ],
    });
    expect(v.anomalies[1]!.explanation).toMatch(/^reads show 2 elements nobody added \(1, 2\)/);
    expect(checkSet(ops)).toMatchObject({ valid: false, stats: { shape: 'literal', lost: 2 } });
  });

  it('equal vectors are one element: a read holding [0 1] keeps the add of [0 1]', () => {
    const v = checkSetFull(hist(add(0, [0, 1]), rs(1, [[0, 1]])));
    expect(v).toMatchObject({ valid: true, anomalies: [], stats: { shape: 'literal', stable: 1, lost: 0 } });
  });

  it("keyed adds with reads returning [k, set] are Jepsen's independent sets, judged per key", () => {
    const rk = (p: number, k: number, set: unknown[], node: string): Row[] => [
      [p, 'invoke', 'read', [k, null]],
      [p, 'ok', 'read', [k, set], node],
    ];
    const ops = hist(add(0, [0, 1]), add(0, [0, 2]), add(0, [1, 1]), rk(1, 0, [1], 'n1'), rk(1, 1, [1], 'n1'));
    expect(setShape(ops)).toBe('keyed');
    const v = checkSetFull(ops);
    expect(v).toMatchObject({ valid: false, stats: { shape: 'keyed', keys: 2, acked: 3, stable: 2, lost: 1 } });
    expect(v.anomalies).toEqual([
      {
        kind: 'lost',
        ops: [2, 3, 6, 7],
        explanation: 'process 0 added 2 to key 0 and got ok at 0.003 s (op #3), but every read of key 0 begun after the ok lacks it (n1 at 0.006 s (op #6))',
        data: { label: 'key 0', lost: 1, elements: [2], lackingNodes: ['n1'] },
      },
    ]);
    const s = checkSet(ops);
    expect(s).toMatchObject({ valid: false, stats: { shape: 'keyed', keys: 2, ok: 2, lost: 1 } });
    expect(s.anomalies.map((a) => [a.kind, a.ops, a.explanation])).toEqual([
      ['lost', [2, 3, 6, 7], 'key 0: process 0 added 2 and got ok at 0.003 s, but the final read by process 1 from n1 at 0.006 s does not have it'],
    ]);
    // --keyed no: the vectors are the elements and [0, [1]] the collection: every add is lost.
    expect(checkSetFull(ops, { keyed: false })).toMatchObject({ valid: false, stats: { shape: 'literal', lost: 3 } });
  });

  it('--keyed yes on a plain set history finds no keyed set: unknown, saying so; --keyed no reads it as before', () => {
    const ops = hist(add(0, 1), rs(1, [1]));
    for (const v of [checkSetFull(ops, { keyed: true }), checkSet(ops, { keyed: true })]) {
      expect(v).toMatchObject({
        valid: 'unknown',
        anomalies: [],
        cause: expect.stringMatching(/^no add is \[key, element\] and no read returns \[key, set\]/),
      });
    }
    expect(checkSetFull(ops, { keyed: false })).toMatchObject({ valid: true, stats: { shape: 'literal', stable: 1 } });
    expect(checkSetFull(ops)).toMatchObject({ valid: true, stats: { shape: 'plain', stable: 1 } });
  });

  it('--keyed no takes every ok read whole, even one invoked with a value', () => {
    const ops = hist(add(0, 1), add(0, 2), [
      [1, 'invoke', 'read', ['s', null]],
      [1, 'ok', 'read', [1]],
    ]);
    expect(checkSetFull(ops)).toMatchObject({ valid: 'unknown', stats: { shape: 'plain', reads: 0 } });
    const v = checkSetFull(ops, { keyed: false });
    expect(v.anomalies.map((a) => [a.kind, a.ops, a.data?.elements])).toEqual([['lost', [2, 3, 4, 5], [2]]]);
  });
});

describe('append and register checkers: keyed or not', () => {
  it('auto: unkeyed appends and reads are one object, key "unkeyed"', () => {
    const ops = hist(apU(0, 1), apU(0, 2), rdU(1, [1], 'n1'));
    expect(isKeyed(ops)).toBe(false);
    const v = checkLostWrites(ops);
    expect(v.anomalies).toEqual([
      {
        kind: 'lost',
        ops: [2, 3, 4, 5],
        explanation:
          'process 0 appended 2 to key unkeyed and got ok at 0.003 s (op #3), but every read of key unkeyed begun after the ok lacks it (n1 at 0.004 s (op #4))',
        data: { label: 'key unkeyed', lost: 1, elements: [2], lackingNodes: ['n1'] },
      },
    ]);
    // --keyed yes: nothing has the [key, v] shape, so nothing is judged.
    expect(checkLostWrites(ops, { keyed: true })).toMatchObject({ valid: 'unknown', anomalies: [], stats: { keys: 0, ignored: { append: 2, read: 1 } } });
  });

  it('auto: [k e] appends with flat reads are read literally: the element is the vector [x 1], which the read lacks', () => {
    const ops = hist(ap(0, 'x', 1), rdU(1, [1]));
    expect(isKeyed(ops)).toBe(false);
    const v = checkLostWrites(ops);
    expect(v.anomalies.map((a) => [a.kind, a.ops, a.data?.elements])).toEqual([
      ['lost', [0, 1, 2, 3], [['x', 1]]],
      ['unexpected', [2, 3], [1]],
    ]);
    expect(v.anomalies[0]!.explanation).toBe(
      'process 0 appended ["x",1] to key unkeyed and got ok at 0.001 s (op #1), but every read of key unkeyed begun after the ok lacks it (at 0.002 s (op #2))',
    );
  });

  it('auto: [k e] appends with [k list] reads are keyed, as before; --keyed no reads them whole', () => {
    const ops = hist(ap(0, 'x', 1), ap(0, 'x', 2), rd(1, 'x', [1]));
    expect(isKeyed(ops)).toBe(true);
    expect(checkLostWrites(ops)).toMatchObject({ valid: false, stats: { keys: 1, stable: 1, lost: 1 } });
    // Literally, the read's collection is ["x", [1]]: it holds neither ["x", 1] nor ["x", 2].
    const v = checkLostWrites(ops, { keyed: false });
    expect(v).toMatchObject({ valid: false, stats: { keys: 1, stable: 0, lost: 2 } });
    expect(v.anomalies.map((a) => [a.kind, a.data?.elements])).toEqual([
      [
        'lost',
        [
          ['x', 1],
          ['x', 2],
        ],
      ],
      ['unexpected', ['x', [1]]],
    ]);
  });
});

describe('checkHistory passes keyed to every registry checker', () => {
  it('--keyed no reaches set-full and lost-writes', async () => {
    const ops = hist(add(0, 1), add(0, 2), [
      [1, 'invoke', 'read', ['s', null]],
      [1, 'ok', 'read', [1]],
    ]);
    const auto = await checkHistory(ops, { checkers: ['set-full', 'lost-writes'] });
    expect(auto.verdicts['set-full']).toMatchObject({ valid: 'unknown', stats: { shape: 'plain' } });
    const no = await checkHistory(ops, { checkers: ['set-full', 'lost-writes'], keyed: false });
    expect(no.verdicts['set-full']).toMatchObject({ valid: false, stats: { shape: 'literal', lost: 1 } });
    expect(no.valid).toBe(false);
    const keyedAppends = hist(ap(0, 'x', 1), rd(1, 'x', [1]));
    expect((await checkHistory(keyedAppends, { checkers: ['lost-writes'] })).verdicts['lost-writes']).toMatchObject({ valid: true });
    expect((await checkHistory(keyedAppends, { checkers: ['lost-writes'], keyed: false })).verdicts['lost-writes']).toMatchObject({
      valid: false,
      stats: { lost: 1 },
    });
  });
});
