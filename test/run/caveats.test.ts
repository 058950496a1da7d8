import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/index.js';
import { configurationCaveats } from '../../src/run/caveats.js';
import { writeSyntheticRun } from '../report/fixture.js';

// A configuration whose anomaly is the database's documented limit says so before the run and in the
// report: Cassandra's register workload (cas as lightweight transactions mixed with plain writes) at a
// consistency other than serial.

describe('configuration caveats', () => {
  it('cassandra register at quorum (the default) or one: a note naming serial and rw-register', () => {
    for (const replication of ['quorum', 'one', 'one/quorum']) {
      const cs = configurationCaveats({ db: 'cassandra', workload: 'register', replication });
      expect(cs).toHaveLength(1);
      expect(cs[0]).toMatch(/lightweight transactions/);
      expect(cs[0]).toMatch(/--replication serial/);
      expect(cs[0]).toMatch(/--workload rw-register/);
      expect(cs[0]).toContain(replication);
    }
  });

  it('mysql txn-register at repeatable read: a note on lost updates and innodb_snapshot_isolation', () => {
    const cs = configurationCaveats({ db: 'mysql', workload: 'txn-register', replication: 'async', isolation: 'repeatable-read' });
    expect(cs).toHaveLength(1);
    expect(cs[0]).toMatch(/innodb_snapshot_isolation/);
    expect(cs[0]).toMatch(/lost update/);
    expect(configurationCaveats({ db: 'mysql', workload: 'txn-register', replication: 'async', isolation: 'serializable' })).toEqual([]);
    expect(configurationCaveats({ db: 'postgres', workload: 'txn-register', replication: 'async', isolation: 'repeatable-read' })).toEqual([]);
  });

  it('no note for serial, for rw-register, or for other databases', () => {
    expect(configurationCaveats({ db: 'cassandra', workload: 'register', replication: 'serial' })).toEqual([]);
    expect(configurationCaveats({ db: 'cassandra', workload: 'rw-register', replication: 'quorum' })).toEqual([]);
    expect(configurationCaveats({ db: 'postgres', workload: 'register', replication: 'async' })).toEqual([]);
  });

  it('the report shows run.json caveats as notes among the run facts', async () => {
    const store = mkdtempSync(join(tmpdir(), 'faultline-caveat-'));
    try {
      const dir = writeSyntheticRun(store);
      const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
      run.caveats = ['expected to be <b>non-linearizable</b> without faults'];
      writeFileSync(join(dir, 'run.json'), JSON.stringify(run));
      const built = await buildReport(dir);
      const html = readFileSync(built.html, 'utf8');
      const data = JSON.parse(/<script type="application\/json" id="report-data">([^]*?)<\/script>/.exec(html)![1]!);
      expect(data.facts).toContainEqual(['note', 'expected to be <b>non-linearizable</b> without faults']);
      expect(html).not.toContain('<b>non-linearizable</b>');
    } finally {
      rmSync(store, { recursive: true, force: true });
    }
  });
});
