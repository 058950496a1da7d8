import { describe, expect, it } from 'vitest';
import { checkConvergence } from '../../../src/checkers/replication/convergence.js';
import { runCheckers } from '../../../src/checkers/registry.js';
import { hist, op, partition, type R } from './node-history.js';

// Key 1 gets appends 1 (on n1) and 2 (on n2) before a partition healed at 2 s; final reads follow.
const writes: R[] = [...op('append', 0, 0.1, 0.2, 1, 1, 'n1'), ...op('append', 1, 0.3, 0.4, 1, 2, 'n2'), ...partition(1, 2)];

describe('convergence', () => {
  it('valid when every node reads the same value after the final heal', async () => {
    const ops = hist([
      ...op('write', 0, 0.1, 0.2, 'x', 5, 'n1'),
      ...partition(1, 2),
      ...op('read', 1, 3, 3.01, 'x', 5, 'n1'),
      ...op('read', 2, 3.1, 3.11, 'x', 5, 'n2'),
      ...op('read', 3, 3.2, 3.21, 'x', 5, 'n3'),
    ]);
    const v = checkConvergence(ops);
    expect(v).toMatchObject({ valid: true, anomalies: [] });
    expect(v.stats).toMatchObject({ judgedKeys: 1, singleNodeKeys: 0, convergedLate: [] });
    expect((await runCheckers(['convergence'], ops, {})).convergence!.valid).toBe(true);
  });

  it('diverged: the nodes still disagree at the end; one anomaly naming each node and its value', () => {
    const ops = hist([
      ...writes,
      ...op('read', 2, 3, 3.01, 1, [1, 2], 'n1'), // 8, 9
      ...op('read', 3, 3.1, 3.11, 1, [1], 'n2'), // 10, 11
      ...op('read', 4, 3.2, 3.21, 1, [1, 2], 'n3'), // 12, 13
    ]);
    const v = checkConvergence(ops);
    expect(v.valid).toBe(false);
    expect(v.anomalies).toEqual([
      {
        kind: 'diverged',
        ops: [8, 9, 10, 11, 12, 13],
        explanation:
          'the final reads of key 1 disagree: n1 read [1,2] (process 2 at 3.010 s), n2 read [1] (process 3 at 3.110 s), ' +
          'n3 read [1,2] (process 4 at 3.210 s); the nodes first disagreed at 3.110 s, after the final heal at 2.000 s, ' +
          'and still disagreed at the last final read (3.210 s)',
        data: { key: 1, nodes: ['n1', 'n2', 'n3'], values: { n1: [1, 2], n2: [1], n3: [1, 2] }, divergedAtMs: 3110, convergedAtMs: null },
      },
    ]);
  });

  it('valid when the nodes disagree and then agree within the wait; the stats say when', () => {
    const ops = hist([
      ...writes,
      ...op('read', 2, 3, 3.01, 1, [1, 2], 'n1'),
      ...op('read', 3, 3.1, 3.11, 1, [1], 'n2'),
      ...op('read', 3, 8, 8.01, 1, [1, 2], 'n2'),
    ]);
    const v = checkConvergence(ops);
    expect(v).toMatchObject({ valid: true, anomalies: [] });
    expect(v.stats!.convergedLate).toEqual([
      {
        key: 1,
        nodes: ['n1', 'n2'],
        divergedValues: { n1: [1, 2], n2: [1] },
        value: [1, 2],
        divergedAtMs: 3110,
        convergedAtMs: 8010,
        convergedAfterMs: 6010,
      },
    ]);
  });

  it('converged-late: the nodes agree only after the wait (10 s by default, convergeWithinMs)', () => {
    const ops = hist([
      ...writes,
      ...op('read', 2, 3, 3.01, 1, [1, 2], 'n1'), // 8, 9
      ...op('read', 3, 3.1, 3.11, 1, [1], 'n2'), // 10, 11
      ...op('read', 3, 14, 14.01, 1, [1, 2], 'n2'), // 12, 13
    ]);
    const v = checkConvergence(ops);
    expect(v.valid).toBe(false);
    expect(v.anomalies).toEqual([
      {
        kind: 'converged-late',
        ops: [8, 9, 10, 11, 12, 13],
        explanation:
          'the nodes disagreed on key 1 at 3.110 s (n1 read [1,2] (process 2 at 3.010 s), n2 read [1] (process 3 at 3.110 s)) ' +
          'and agreed on [1,2] only at 14.010 s, 12.010 s after the final heal at 2.000 s, beyond the 10 s they had to converge',
        data: {
          key: 1,
          nodes: ['n1', 'n2'],
          divergedValues: { n1: [1, 2], n2: [1] },
          value: [1, 2],
          divergedAtMs: 3110,
          convergedAtMs: 14010,
          convergedAfterMs: 12010,
        },
      },
    ]);
    expect(checkConvergence(ops, { convergeWithinMs: 20_000 })).toMatchObject({ valid: true, anomalies: [] });
  });

  it('unknown when no key has final reads from two nodes (reads from two nodes before the heal do not count)', () => {
    const ops = hist([
      ...op('append', 0, 0.1, 0.2, 1, 1, 'n1'),
      ...op('read', 1, 1.1, 1.11, 1, [1], 'n1'),
      ...op('read', 2, 1.2, 1.21, 1, [], 'n2'),
      ...partition(1.5, 2),
      ...op('read', 1, 3, 3.01, 1, [1], 'n1'),
      ...op('read', 1, 3.1, 3.11, 1, [1], 'n1'),
    ]);
    const v = checkConvergence(ops);
    expect(v).toMatchObject({
      valid: 'unknown',
      anomalies: [],
      cause: 'no key has final reads (after the final heal and its last write) from at least two nodes, so no replicas could be compared',
    });
    expect(v.stats).toMatchObject({ judgedKeys: 0, singleNodeKeys: 1 });
  });

  it('unknown when the final reads carry no node, and when the fault never healed', () => {
    const noNode = hist([...op('write', 0, 0.1, 0.2, 'x', 5), ...op('read', 1, 1, 1.01, 'x', 5), ...op('read', 2, 1.1, 1.11, 'x', 5)]);
    expect(checkConvergence(noNode).cause).toMatch(/^no final read .* carries the node that answered it/);
    const unhealed = hist([...op('write', 0, 0.1, 0.2, 'x', 5, 'n1'), ...partition(1, 2).slice(0, 2), ...op('read', 1, 3, 3.01, 'x', 5, 'n1')]);
    expect(checkConvergence(unhealed)).toMatchObject({
      valid: 'unknown',
      cause: 'a fault window never closed (no heal in the history), so there are no final reads after a heal to compare',
    });
  });
});
