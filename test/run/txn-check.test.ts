import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mysqlAdapter } from '../../src/adapters/mysql/index.js';
import { postgresAdapter } from '../../src/adapters/postgres/index.js';
import { analyzeRun, checksFor } from '../../src/run/checks.js';
import { txnCheckPlan } from '../../src/run/txn-check.js';

describe('txnCheckPlan', () => {
  it('checks the model Postgres documents for the level, then the ones asked for, each with why', () => {
    const p = txnCheckPlan('postgres', postgresAdapter.description.isolation, 'repeatable-read', ['serializable', 'snapshot-isolation']);
    expect(p.isolation).toBe('repeatable-read');
    expect(p.consistency).toEqual(['snapshot-isolation', 'serializable']);
    expect(p.why['snapshot-isolation']).toMatch(/^postgres at repeatable-read: PostgreSQL implements REPEATABLE READ as snapshot isolation/);
    expect(p.why.serializable).toBe('asked for with --consistency-models');
    expect(txnCheckPlan('postgres', postgresAdapter.description.isolation, 'read-committed').consistency).toEqual(['read-committed']);
    expect(txnCheckPlan('postgres', postgresAdapter.description.isolation, 'serializable').consistency).toEqual(['serializable']);
  });

  it('holds each MySQL level to the model of its name', () => {
    for (const level of ['read-uncommitted', 'read-committed', 'repeatable-read', 'serializable'])
      expect(txnCheckPlan('mysql', mysqlAdapter.description.isolation, level).consistency).toEqual([level]);
  });

  it('refuses a level the database lacks, an unknown model, and a database without transactions', () => {
    expect(() => txnCheckPlan('postgres', postgresAdapter.description.isolation, 'read-uncommitted')).toThrow(
      'postgres runs transactions at read-committed, repeatable-read, serializable; not at read-uncommitted',
    );
    expect(() => txnCheckPlan('mysql', mysqlAdapter.description.isolation, 'serializable', ['strict-serialisable'])).toThrow(/unknown consistency model/);
    expect(() => txnCheckPlan('redis', undefined, 'serializable')).toThrow('redis runs no transactional workloads');
  });
});

describe('checks of the transactional workloads', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("list-append and txn-register are judged by Elle's checkers with the run's models, recovery joining with faults", () => {
    expect(checksFor('list-append', 'none', { consistency: ['serializable'] })).toEqual({
      checkers: ['list-append', 'stats'],
      txn: { consistency: ['serializable'] },
    });
    expect(checksFor('txn-register', 'kill').checkers).toEqual(['rw-register', 'recovery', 'stats']);
  });

  it('analyze refuses a transactional run that names no models', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fl-txn-check-'));
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ spec: { workload: 'list-append', nemesis: 'none' } }));
    writeFileSync(join(dir, 'history.jsonl'), '');
    await expect(analyzeRun(dir)).rejects.toThrow(/names no consistency models \(txnCheck.consistency\)/);
  });
});
