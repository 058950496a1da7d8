import { describe, expect, it } from 'vitest';
import { cassandraAdapter } from '../../src/adapters/cassandra/index.js';
import { postgresAdapter } from '../../src/adapters/postgres/index.js';
import { withDefaults } from '../../src/run/defaults.js';
import type { RunSpec } from '../../src/run/run.js';

const given: RunSpec = {
  db: 'cassandra',
  workload: 'append',
  nemesis: 'none',
  timeLimitS: 10,
  concurrency: 5,
  rate: 100,
  nodes: 3,
  replication: undefined,
  reads: 'primary',
  keys: 5,
  seed: 1,
  runtime: 'local',
  opTimeoutMs: 5000,
  nemesisIntervalS: 5,
  store: 'reports',
  argv: ['faultline', 'run'],
};

describe('the defaults of a run spec come from the adapter description', () => {
  it('an absent replication mode is the default of the database, in the place of the key (run.json reads as before)', () => {
    const s = withDefaults(given, cassandraAdapter);
    expect(s.replication).toBe('quorum');
    // The topology is new (issue 16): it comes last, the keys given keep their places.
    expect(Object.keys(s)).toEqual([...Object.keys(given), 'topology']);
    expect(withDefaults({ ...given, db: 'postgres' }, postgresAdapter).replication).toBe('async');
  });

  it("an absent topology is the database's first (single-leader unless its description says otherwise); one given is kept", () => {
    expect(withDefaults({ ...given, db: 'postgres' }, postgresAdapter).topology).toBe('single-leader');
    expect(withDefaults(given, { ...cassandraAdapter, description: { ...cassandraAdapter.description, topologies: ['leaderless'] } }).topology).toBe(
      'leaderless',
    );
    expect(withDefaults({ ...given, topology: 'multi-leader' }, postgresAdapter).topology).toBe('multi-leader');
  });

  it('a mode the user gave is kept, and the spec given is not changed', () => {
    expect(withDefaults({ ...given, replication: 'one/quorum' }, cassandraAdapter).replication).toBe('one/quorum');
    expect(given.replication).toBeUndefined();
  });
});
