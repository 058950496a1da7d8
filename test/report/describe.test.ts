import { describe, expect, it } from 'vitest';
import { nodeReadsWords, topologyWords } from '../../src/report/describe.js';
import type { RunInfo } from '../../src/report/run-files.js';

// The report's run facts for multi-leader and leaderless runs (issue 16).
describe('run facts: topology and per-node reads', () => {
  const nodes = [
    { name: 'n1', role: 'primary' },
    { name: 'n2', role: 'primary' },
  ];

  it('names a multi-leader or leaderless topology and where writes went; single-leader runs read as before', () => {
    expect(topologyWords({ spec: { topology: 'multi-leader', writesTo: 'key' }, cluster: { nodes } })).toBe(
      "multi-leader (writes through the key's leader), 2 nodes: n1 (primary), n2 (primary)",
    );
    expect(topologyWords({ spec: { topology: 'multi-leader' }, cluster: { nodes } })).toMatch(
      /^multi-leader \(writes through each session's leader\), 2 nodes/,
    );
    expect(topologyWords({ spec: { topology: 'leaderless', nodes: 3 } })).toBe('leaderless, 3 nodes');
    expect(topologyWords({ spec: { topology: 'single-leader', nodes: 3 } })).toBe('3 nodes');
    expect(topologyWords({ spec: { nodes: 3 } })).toBe('3 nodes');
  });

  it('says what the per-node final reads saw, the repair included; nothing for runs without them', () => {
    const run = (nodeReads: RunInfo['nodeReads']): RunInfo => ({ nodeReads });
    expect(nodeReadsWords(run({ rounds: 1, disagreeing: [] }))).toBe('every node read the same of every key (1 round)');
    expect(nodeReadsWords(run({ rounds: 12, disagreeing: [], repair: { ok: true, ms: 8400 } }))).toBe(
      "every node read the same of every key (12 rounds, after the database's repair (8.4 s))",
    );
    expect(nodeReadsWords(run({ rounds: 11, disagreeing: [3, 4], repair: { ok: false, ms: 10, error: 'nodetool: refused' } }))).toBe(
      'the nodes still disagreed on 2 keys after 11 rounds; the repair failed: nodetool: refused',
    );
    expect(nodeReadsWords({})).toBeUndefined();
  });
});
