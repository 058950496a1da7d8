import { describe, expect, it } from 'vitest';
import { checkConflicts } from '../../../src/checkers/replication/conflicts.js';
import { runCheckers } from '../../../src/checkers/registry.js';
import { hist, partition, op, type R } from './node-history.js';

/** Final reads of key k from n1 and n2 after the heal at 2 s. */
const finals = (k: unknown, v: unknown): R[] => [...op('read', 10, 3, 3.01, k, v, 'n1'), ...op('read', 11, 3.1, 3.11, k, v, 'n2')];

describe('conflicts', () => {
  it('lww-lost: an acknowledged write on n1 discarded for a concurrent write on n2; both writes, nodes and times in the witness', async () => {
    const ops = hist([
      [1.0, 3, 'invoke', 'write', [2, 5]], // 0
      [1.1, 7, 'invoke', 'write', [2, 9]], // 1
      [1.204, 3, 'ok', 'write', [2, 5], 'n1'], // 2
      [1.35, 7, 'ok', 'write', [2, 9], 'n2'], // 3
      ...partition(1.5, 2),
      ...finals(2, 9),
    ]);
    const v = checkConflicts(ops);
    expect(v.valid).toBe(false);
    expect(v.anomalies).toEqual([
      {
        kind: 'lww-lost',
        ops: [0, 1, 2, 3],
        explanation:
          'process 3 wrote 5 to key 2 on n1 (ok at 1.204 s); process 7 wrote 9 to key 2 on n2, concurrently (1.100-1.350 s); ' +
          "every final read shows 9: the write of 5 was discarded: the concurrent write on another node won (last-write-wins or the database's own conflict rule)",
        data: { key: 2, value: 5, node: 'n1', winner: 9, winnerNode: 'n2', lostOkAtMs: 1204, winnerMs: [1100, 1350] },
      },
    ]);
    expect(v.stats).toMatchObject({ judged: 2, lost: 1 });
    expect((await runCheckers(['conflicts'], ops, {})).conflicts!.valid).toBe(false);
  });

  it('valid for a sequential overwrite on another node, and for a later write on the same node', () => {
    const ops = hist([
      ...op('write', 3, 1.0, 1.2, 2, 5, 'n1'),
      ...op('write', 7, 1.5, 1.6, 2, 9, 'n2'),
      // 1 (n1) is concurrent with 2 (n2), but n1 wrote again later: that explains 1's loss. (3 lost to the older 2 is
      // no conflict either: not concurrent; lost-writes' business.)
      ...op('write', 4, 1.0, 1.2, 3, 1, 'n1'),
      ...op('write', 8, 1.1, 1.3, 3, 2, 'n2'),
      ...op('write', 4, 1.6, 1.7, 3, 3, 'n1'),
      ...partition(1.8, 2),
      ...finals(2, 9),
      ...finals(3, 2),
    ]);
    expect(checkConflicts(ops)).toMatchObject({ valid: true, anomalies: [] });
  });

  it('lost-append: an acknowledged append no final read of any node holds; the concurrent append that survived is named', () => {
    const ops = hist([
      [1.0, 1, 'invoke', 'append', [1, 'a']], // 0
      [1.1, 2, 'invoke', 'append', [1, 'b']], // 1
      [1.2, 1, 'ok', 'append', [1, 'a'], 'n1'], // 2
      [1.3, 2, 'ok', 'append', [1, 'b'], 'n2'], // 3
      ...partition(1.5, 2), // 4-7
      ...finals(1, ['b']), // 8-11
    ]);
    const v = checkConflicts(ops);
    expect(v.valid).toBe(false);
    expect(v.anomalies).toEqual([
      {
        kind: 'lost-append',
        ops: [0, 1, 2, 3, 8, 9, 10, 11],
        explanation:
          'process 1 appended "a" to key 1 on n1 (ok at 1.200 s); process 2 appended "b" to key 1 on n2, concurrently (1.100-1.300 s); ' +
          'the final reads of n1, n2 lack "a" but hold "b": the acknowledged append vanished',
        data: { key: 1, element: 'a', node: 'n1', okAtMs: 1200, rival: 'b', rivalNode: 'n2', finalNodes: ['n1', 'n2'] },
      },
    ]);
  });

  it('valid when every acknowledged append is held by the final reads', () => {
    const ops = hist([...op('append', 1, 1.0, 1.2, 1, 'a', 'n1'), ...op('append', 2, 1.1, 1.3, 1, 'b', 'n2'), ...partition(1.5, 2), ...finals(1, ['b', 'a'])]);
    expect(checkConflicts(ops)).toMatchObject({ valid: true, anomalies: [], stats: { judged: 2, lost: 0 } });
  });

  it('info writes and appends are never acknowledged: never judged lost', () => {
    const ops = hist([
      ...op('write', 3, 1.0, 1.2, 2, 5, 'n1', 'info'),
      ...op('write', 7, 1.1, 1.35, 2, 9, 'n2'),
      ...op('append', 1, 1.0, 1.2, 1, 'a', 'n1', 'info'),
      ...op('append', 2, 1.1, 1.3, 1, 'b', 'n2'),
      ...partition(1.5, 2),
      ...finals(2, 9),
      ...finals(1, ['b']),
    ]);
    expect(checkConflicts(ops)).toMatchObject({ valid: true, anomalies: [], stats: { judged: 2, lost: 0 } });
  });

  it('unknown when no acknowledged write has final reads to be judged against', () => {
    const ops = hist([...op('write', 3, 1.0, 1.2, 2, 5, 'n1'), ...partition(1.5, 2), ...op('read', 4, 1.6, 1.7, 2, 5, 'n1'), ...partition(3, 4)]);
    expect(checkConflicts(ops)).toMatchObject({ valid: 'unknown', anomalies: [] });
  });
});
