import { describe, expect, it } from 'vitest';
import { isolationSql, microOps, runTxn, txnCertainlyNotApplied, txnProgress, type TxnStatements } from '../../src/adapters/txn.js';

/** Statements that record what was sent, over an in-memory map; `failAt` makes that statement throw. */
function recorder(failAt?: string, rollbackFails = false) {
  const sent: string[] = [];
  const data = new Map<number, number[]>();
  const step = (s: string) => {
    sent.push(s);
    if (s === failAt) throw Object.assign(new Error(`boom at ${s}`), { code: '40001' });
  };
  const sql: TxnStatements = {
    begin: async () => step('BEGIN'),
    read: async (k) => {
      step(`r ${k}`);
      return [...(data.get(k) ?? [])];
    },
    write: async (f, k, v) => {
      step(`${f} ${k} ${String(v)}`);
      data.set(k, [...(data.get(k) ?? []), v as number]);
    },
    commit: async () => {
      step('COMMIT');
      return true;
    },
    rollback: async () => {
      sent.push('ROLLBACK');
      if (rollbackFails) throw new Error('connection lost');
    },
    abandon: () => sent.push('abandon'),
  };
  return { sent, sql };
}

const txn = microOps(
  [
    ['r', 1, null],
    ['append', 1, 5],
    ['r', 1, null],
  ],
  ['r', 'append'],
);

describe('runTxn', () => {
  it('runs the micro-ops between BEGIN and COMMIT and fills in the reads', async () => {
    const { sent, sql } = recorder();
    const p = txnProgress();
    const r = await runTxn(txn, p, sql);
    expect(sent).toEqual(['BEGIN', 'r 1', 'append 1 5', 'r 1', 'COMMIT']);
    expect(r).toEqual({
      type: 'ok',
      value: [
        ['r', 1, []],
        ['append', 1, 5],
        ['r', 1, [5]],
      ],
    });
    expect(p.commitSent).toBe(true);
  });

  it('an error before COMMIT rolls back, rethrows, and leaves COMMIT unsent (certainly not applied)', async () => {
    const { sent, sql } = recorder('append 1 5');
    const p = txnProgress();
    await expect(runTxn(txn, p, sql)).rejects.toThrow(/boom/);
    expect(sent).toEqual(['BEGIN', 'r 1', 'append 1 5', 'ROLLBACK']);
    expect(p.commitSent).toBe(false);
    expect(txnCertainlyNotApplied(p, false)).toBe(true);
  });

  it('a ROLLBACK that fails closes the connection', async () => {
    const { sent, sql } = recorder('r 1', true);
    await expect(runTxn(txn, txnProgress(), sql)).rejects.toThrow(/boom/);
    expect(sent).toEqual(['BEGIN', 'r 1', 'ROLLBACK', 'abandon']);
  });

  it('an error at COMMIT is left to the statement rules (COMMIT was sent)', async () => {
    const { sql } = recorder('COMMIT');
    const p = txnProgress();
    await expect(runTxn(txn, p, sql)).rejects.toThrow(/boom/);
    expect(p.commitSent).toBe(true);
    expect(txnCertainlyNotApplied(p, false)).toBe(false);
    expect(txnCertainlyNotApplied(p, true)).toBe(true);
  });

  it('sends no COMMIT once the client gave up', async () => {
    const { sent, sql } = recorder();
    const p = txnProgress();
    p.gaveUp = true;
    await expect(runTxn(txn, p, sql)).rejects.toThrow(/before COMMIT/);
    expect(sent).not.toContain('COMMIT');
    expect(p.commitSent).toBe(false);
  });

  it('COMMIT answered with a rollback is fail', async () => {
    const { sql } = recorder();
    sql.commit = async () => false;
    expect(await runTxn(txn, txnProgress(), sql)).toMatchObject({ type: 'fail', error: /ROLLBACK/ });
  });
});

describe('microOps and isolationSql', () => {
  it('refuses other shapes before anything is sent', () => {
    expect(() => microOps([['w', 1, 2]], ['r', 'append'])).toThrow(/micro-ops/);
    expect(() => microOps([], ['r'])).toThrow(/list of micro-ops/);
    expect(() => microOps([['r', 'x', null]], ['r'])).toThrow(/micro-ops/);
    expect(microOps([['r', 3n, null]], ['r'])).toEqual([['r', 3, null]]);
  });

  it('spells the levels in SQL', () => {
    expect(isolationSql('repeatable-read')).toBe('REPEATABLE READ');
    expect(isolationSql('read-uncommitted')).toBe('READ UNCOMMITTED');
    expect(() => isolationSql('snapshot')).toThrow(/unknown isolation level/);
  });
});
