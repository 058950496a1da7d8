import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cli, expectRunRefused } from './cli.js';

beforeAll(buildCli, 180_000);

// The transactional settings of `faultline run` are refused, before anything starts, in one sentence (64)
// wherever they cannot mean what they say.
describe('faultline run: transactional workloads', () => {
  const refused = expectRunRefused;

  it('refuses --isolation and the txn flags with a single-op workload', async () => {
    await refused(['--workload', 'append', '--isolation', 'serializable'], /--isolation: for the transactional workloads \(list-append, txn-register\)/);
    await refused(
      ['--workload', 'rw-register', '--txn-shape', 'read-then-write', '--consistency-models', 'serializable'],
      /--consistency-models, --txn-shape: for/,
    );
  });

  it('refuses reads off the primary: a transaction runs on one node', async () => {
    await refused(
      ['--workload', 'list-append', '--reads', 'replicas'],
      /--reads replicas: the list-append workload runs every statement of a transaction on the primary/,
    );
  });

  it("refuses a level the database does not run, a shape of the other workload, and a model Elle doesn't name", async () => {
    await refused(
      ['--db', 'postgres', '--workload', 'list-append', '--isolation', 'read-uncommitted'],
      /postgres runs transactions at read-committed, repeatable-read, serializable; not at read-uncommitted/,
    );
    await refused(['--workload', 'list-append', '--txn-shape', 'read-then-write'], /the list-append workload's shapes are mixed, write-skew/);
    await refused(['--workload', 'txn-register', '--consistency-models', 'serialisable'], /unknown consistency model 'serialisable'/);
    await refused(['--workload', 'txn-register', '--min-txn-length', '5', '--max-txn-length', '2'], /--max-txn-length 2 is below --min-txn-length 5/);
  });

  it('refuses the txn workloads on databases without transactions', async () => {
    await refused(['--db', 'redis', '--workload', 'list-append'], /redis does not run the list-append workload/);
  });

  it('documents the flags in --help', async () => {
    const r = await cli(['run', '--help']);
    for (const flag of [
      '--isolation <level>',
      '--consistency-models <models>',
      '--txn-shape <shape>',
      '--min-txn-length <n>',
      '--max-txn-length <n>',
      '--max-writes-per-key <n>',
    ])
      expect(r.stdout).toContain(flag);
    expect(r.stdout).toMatch(/"read-uncommitted",\s+"read-committed",\s+"repeatable-read",\s+"serializable"/);
    expect(r.stdout).toMatch(/write-skew/);
    expect(r.stdout).toMatch(/"list-append",\s+"txn-register"/);
  });
});
