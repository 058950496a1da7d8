import { describe, expect, it } from 'vitest';
import { topologiesOf, writeLeader } from '../../src/adapters/topology.js';
import { cassandraAdapter } from '../../src/adapters/cassandra/index.js';
import { postgresAdapter } from '../../src/adapters/postgres/index.js';

const nodes = ['n1', 'n2', 'n3'];

describe('writeLeader (multi-leader routing of writes)', () => {
  it('key: every write to one key goes through one leader, keys spread over the leaders', () => {
    expect(writeLeader(nodes, 'key', 0, [0, 5])).toBe('n1');
    expect(writeLeader(nodes, 'key', 7, [1, 5])).toBe('n2');
    expect(writeLeader(nodes, 'key', 2, [5, 9])).toBe('n3');
    // The session does not matter, only the key.
    expect(new Set([0, 1, 2, 3, 4].map((s) => writeLeader(nodes, 'key', s, [4, s])))).toEqual(new Set(['n2']));
    expect(writeLeader(nodes, 'key', 0, [-1, 5])).toBe('n3');
    expect(writeLeader(nodes, 'key', 0, ['k7', 1])).toBe(writeLeader(nodes, 'key', 2, ['k7', 2]));
  });
  it('session: each session writes through its own leader, whatever the key', () => {
    expect([0, 1, 2, 3].map((s) => writeLeader(nodes, 'session', s, [4, 1]))).toEqual(['n1', 'n2', 'n3', 'n1']);
    // A value without a key follows the session under `key` too.
    expect(writeLeader(nodes, 'key', 1, 5)).toBe('n2');
  });
  it('refuses an empty cluster', () => {
    expect(() => writeLeader([], 'key', 0, [1, 1])).toThrow(/no node/);
  });
});

describe('topologiesOf', () => {
  it('single-leader unless the adapter says otherwise', () => {
    expect(topologiesOf(postgresAdapter.description)[0]).toBe('single-leader');
    expect(topologiesOf({ ...cassandraAdapter.description, topologies: ['leaderless'] })).toEqual(['leaderless']);
  });
});
