import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mysqlAdapter } from '../../src/adapters/mysql/index.js';
import { readJson } from '../../src/run/store.js';
import { RUNTIMES, verdict, runsOf } from './support.js';
import { lostUpdates, txnOutcomes } from './txn-witness.js';

// `faultline run` with Elle's rw-register on MariaDB, every txn reading a key and then writing it: at
// repeatable read InnoDB's writes act on the latest row while its reads keep the txn's snapshot, so two
// txns that read the same version both commit their writes (a lost update); serializable locks the reads.

interface TxnRun {
  txnCheck: { isolation: string; consistency: string[] };
  cluster: { isolation?: string; flavour?: string; innodb_snapshot_isolation?: string };
}

describe.each(RUNTIMES)('faultline run: mysql transactions on %s', (runtime) => {
  const { run } = runsOf(mysqlAdapter, { runtime, workload: 'txn-register', txnShape: 'read-then-write', keys: 2, timeLimitS: 10, rate: 300 });

  it('repeatable read loses updates', async () => {
    const r = await run({ isolation: 'repeatable-read' });
    const info = readJson<TxnRun>(join(r.dir, 'run.json'));
    expect(info.txnCheck.consistency).toEqual(['repeatable-read']);
    expect(info.cluster.isolation).toBe('repeatable-read');
    if (info.cluster.flavour === 'mariadb') expect(info.cluster.innodb_snapshot_isolation).toBe('OFF');
    // The workload provoked it: committed txns that read the same version of a key and both wrote it.
    expect(lostUpdates(r.history).length).toBeGreaterThan(0);
    const v = verdict(r, 'rw-register');
    expect(v.valid).toBe(false);
    expect(v.anomalies.map((a) => a.kind)).toContain('lost-update');
  }, 120_000);

  it('serializable loses no update and is valid', async () => {
    const r = await run({ isolation: 'serializable' });
    expect(readJson<TxnRun>(join(r.dir, 'run.json')).txnCheck.consistency).toEqual(['serializable']);
    const t = txnOutcomes(r.history);
    expect(t.ok).toBeGreaterThan(500);
    // Its locked reads make the racing txns deadlock instead: the loser fails, certainly rolled back.
    expect([...t.errors].every((e) => /1213/.test(e))).toBe(true);
    expect(lostUpdates(r.history)).toEqual([]);
    const v = verdict(r, 'rw-register');
    expect(v.anomalies.filter((a) => a.kind === 'lost-update')).toEqual([]);
    expect(v.valid).toBe(true);
  }, 120_000);
});
