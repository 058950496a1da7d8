import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postgresAdapter } from '../../src/adapters/postgres/index.js';
import { readJson } from '../../src/run/store.js';
import { RUNTIMES, verdict, runsOf } from './support.js';
import { txnOutcomes, writeSkew } from './txn-witness.js';

// `faultline run` with Elle's list-append on Postgres: serializable holds; repeatable read (snapshot
// isolation) lets write skew through, and checked against serializable that is a G2-item cycle.

interface TxnRun {
  spec: { isolation?: string };
  txnCheck: { isolation: string; consistency: string[]; why: Record<string, string> };
  cluster: { isolation?: string };
}

describe.each(RUNTIMES)('faultline run: postgres transactions on %s', (runtime) => {
  const { run } = runsOf(postgresAdapter, { runtime, workload: 'list-append', timeLimitS: 10, rate: 300 });

  it('serializable list-append is valid', async () => {
    const r = await run({ keys: 5 });
    const info = readJson<TxnRun>(join(r.dir, 'run.json'));
    expect(info.spec.isolation).toBe('serializable');
    expect(info.cluster.isolation).toBe('serializable');
    expect(info.txnCheck.consistency).toEqual(['serializable']);
    expect(info.txnCheck.why.serializable).toMatch(/^postgres at serializable: /);
    const t = txnOutcomes(r.history);
    // Not vacuous: hundreds of committed txns, and the aborts are the database's serialization failures.
    expect(t.ok).toBeGreaterThan(200);
    expect([...t.errors].every((e) => /^40001|^40P01/.test(e))).toBe(true);
    expect(writeSkew(r.history)).toBeUndefined();
    expect(verdict(r, 'list-append').valid).toBe(true);
    expect(r.results.valid).toBe(true);
  }, 120_000);

  it('repeatable read with the write-skew shape, checked against serializable, is a G2-item', async () => {
    const r = await run({ isolation: 'repeatable-read', txnShape: 'write-skew', keys: 2, consistencyModels: ['serializable'] });
    const info = readJson<TxnRun>(join(r.dir, 'run.json'));
    expect(info.txnCheck.consistency).toEqual(['snapshot-isolation', 'serializable']);
    expect(info.txnCheck.why['snapshot-isolation']).toMatch(/REPEATABLE READ as snapshot isolation/);
    expect(info.txnCheck.why.serializable).toBe('asked for with --consistency-models');
    // The workload provoked it: two committed txns each read the key the other appended to, without that append.
    expect(writeSkew(r.history)).toBeDefined();
    const v = verdict(r, 'list-append');
    expect(v.valid).toBe(false);
    expect(v.anomalies.map((a) => a.kind)).toContain('G2-item');
  }, 120_000);
});
