import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cli, expectRunRefused } from './cli.js';

beforeAll(buildCli, 180_000);

// The topology settings of `faultline run` (issue 16) are refused, before anything starts, in one sentence (64)
// wherever they cannot mean what they say.
describe('faultline run: topologies', () => {
  const refused = expectRunRefused;

  it('refuses a topology the database does not set up, and an unknown one', async () => {
    await refused(
      ['--db', 'postgres', '--topology', 'multi-leader'],
      /postgres has no multi-leader topology \(bidirectional logical replication needs Postgres 16's subscription option origin = none.*\); topologies: single-leader/,
    );
    await refused(['--db', 'redis', '--topology', 'leaderless'], /redis has no leaderless topology/);
    await refused(['--db', 'cassandra', '--topology', 'single-leader'], /cassandra has no single-leader topology; topologies: leaderless/);
    await refused(['--topology', 'mesh'], /--topology.*mesh.*(choices|Allowed)/i);
  });

  it('refuses --writes-to and --converge-within where they mean nothing', async () => {
    await refused(['--db', 'postgres', '--writes-to', 'key'], /--writes-to is for --topology multi-leader \(this run is single-leader/);
    await refused(['--db', 'cassandra', '--writes-to', 'key'], /--writes-to is for --topology multi-leader \(this run is leaderless/);
    await refused(['--db', 'postgres', '--converge-within', '5'], /--converge-within is for the multi-leader and leaderless topologies/);
    await refused(['--db', 'cassandra', '--converge-within', 'soon'], /--converge-within/);
  });

  it('refuses failover faults and transactions without a single leader', async () => {
    await refused(['--db', 'cassandra', '--workload', 'append', '--nemesis', 'partition,failover'], /failover/);
    await refused(['--db', 'cassandra', '--workload', 'list-append', '--reads', 'primary'], /cassandra does not run the list-append workload|single leader/);
  });

  it('documents the flags in --help', async () => {
    const r = await cli(['run', '--help']);
    for (const flag of ['--topology <kind>', '--writes-to <where>', '--converge-within <seconds>']) expect(r.stdout).toContain(flag);
    expect(r.stdout).toMatch(/"single-leader",\s+"multi-leader",\s+"leaderless"/);
  });
});
