import type { RunSpec } from './run.js';

/**
 * What a user should know before a configuration runs: a documented limit of the database that the run
 * will show as an anomaly, not a faultline bug. Printed before the run starts, stored in run.json and shown
 * in the report, so nobody reads the database's own documented behaviour as a surprise.
 */
export function configurationCaveats(spec: Pick<RunSpec, 'db' | 'workload' | 'replication' | 'isolation'>): string[] {
  const out: string[] = [];
  if (spec.db === 'cassandra' && spec.workload === 'register' && spec.replication !== 'serial') {
    out.push(
      `the register workload mixes lightweight transactions (cas) with plain reads and writes at ${spec.replication}; ` +
        'Cassandra documents that mix as unsafe, so the register is expected to be non-linearizable even without faults. ' +
        'Use --replication serial (every op a lightweight transaction) to test linearizability, or --workload rw-register ' +
        '(plain reads and writes only) to test the plain path.',
    );
  }
  if (spec.db === 'mysql' && spec.workload === 'txn-register' && spec.isolation === 'repeatable-read') {
    out.push(
      "InnoDB's REPEATABLE READ reads from the transaction's snapshot but writes over the latest committed row; unless " +
        'innodb_snapshot_isolation is ON (MariaDB 10.11+, OFF by default; run.json records it), two transactions that read the same ' +
        'value can both write it, a lost update that repeatable-read forbids. Expect the run to show it.',
    );
  }
  return out;
}
