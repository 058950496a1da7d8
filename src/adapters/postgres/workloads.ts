import { isolationSql, microOps, runTxn, type TxnProgress, type TxnStatements } from '../txn.js';
import type { DocumentedModel } from '../types.js';
import { destroy, type PgConn } from './sql.js';

/** What one op returned: ok with a value, or fail (certainly no effect, e.g. a cas whose guard did not hold). */
export type OpResult = { type: 'ok'; value: unknown } | { type: 'fail'; value: unknown; error: string };

export interface WorkloadSql {
  /** DDL run once on the primary before the standbys are cloned. */
  schema: string;
  /** fs that change data: sent to the primary; everything else is a read. */
  writes: ReadonlySet<string>;
  /** A transactional workload: each op is one transaction, and the client passes its TxnProgress to run. */
  txn?: boolean;
  run(conn: PgConn, f: string, value: unknown, progress?: TxnProgress): Promise<OpResult>;
}

const ok = (value: unknown): OpResult => ({ type: 'ok', value });
const fail = (value: unknown, error: string): OpResult => ({ type: 'fail', value, error });

function pair(value: unknown, f: string): [number, unknown] {
  if (!Array.isArray(value) || value.length !== 2) throw new Error(`${f}: expected [key, value], got ${JSON.stringify(value)}`);
  return [Number(value[0]), value[1]];
}

/** registers(k, v): read [k, nil] -> [k, v|null], write [k, v] (upsert), cas [k, [v, v']] (0 rows: fail). */
const register: WorkloadSql = {
  schema: 'CREATE TABLE IF NOT EXISTS registers (k int PRIMARY KEY, v int)',
  writes: new Set(['write', 'cas']),
  async run(conn, f, value) {
    const [k, v] = pair(value, f);
    if (f === 'read') {
      const r = await conn.query<{ v: number | null }>('SELECT v FROM registers WHERE k = $1', [k]);
      return ok([k, r.rows[0]?.v ?? null]);
    }
    if (f === 'write') {
      await conn.query('INSERT INTO registers (k, v) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v', [k, v]);
      return ok(value);
    }
    if (f === 'cas') {
      const [from, to] = v as [number, number];
      const r = await conn.query('UPDATE registers SET v = $3 WHERE k = $1 AND v = $2', [k, from, to]);
      return r.rowCount === 1 ? ok(value) : fail(value, `cas: register ${k} was not ${from}`);
    }
    return fail(value, `register: unknown op ${f}`);
  },
};

/** lists(k, vals int[]): append [k, e] (upsert ||), read [k, nil] -> [k, list] (a missing row is []). */
const append: WorkloadSql = {
  schema: 'CREATE TABLE IF NOT EXISTS lists (k int PRIMARY KEY, vals int[] NOT NULL)',
  writes: new Set(['append']),
  async run(conn, f, value) {
    const [k, e] = pair(value, f);
    if (f === 'read') {
      const r = await conn.query<{ vals: number[] }>('SELECT vals FROM lists WHERE k = $1', [k]);
      return ok([k, r.rows[0]?.vals ?? []]);
    }
    if (f === 'append') {
      // ON CONFLICT DO UPDATE locks the row and appends to its latest version: concurrent appends all land.
      await conn.query('INSERT INTO lists (k, vals) VALUES ($1, ARRAY[$2::int]) ON CONFLICT (k) DO UPDATE SET vals = lists.vals || $2::int', [k, e]);
      return ok(value);
    }
    return fail(value, `append: unknown op ${f}`);
  },
};

/** elements(e): add e (insert; a duplicate is a constraint violation: fail), read -> sorted elements. */
const set: WorkloadSql = {
  schema: 'CREATE TABLE IF NOT EXISTS elements (e int PRIMARY KEY)',
  writes: new Set(['add']),
  async run(conn, f, value) {
    if (f === 'read') {
      const r = await conn.query<{ e: number }>('SELECT e FROM elements ORDER BY e');
      return ok(r.rows.map((row) => row.e));
    }
    if (f === 'add') {
      await conn.query('INSERT INTO elements (e) VALUES ($1)', [Number(value)]);
      return ok(value);
    }
    return fail(value, `set: unknown op ${f}`);
  },
};

/**
 * A txn's statements on one connection at `level`. BEGIN names the level, so every txn of a session runs
 * at it whatever the server's default. Statements run one at a time (no pipelining): COMMIT is only ever
 * sent after every micro-op answered.
 */
function statements(conn: PgConn, level: string, read: (k: number) => Promise<unknown>, write: (k: number, v: unknown) => Promise<unknown>): TxnStatements {
  return {
    begin: async () => {
      await conn.query(`BEGIN ISOLATION LEVEL ${isolationSql(level)}`);
    },
    read,
    write: async (_f, k, v) => {
      await write(k, v);
    },
    // COMMIT of a transaction that had already failed answers ROLLBACK (no error).
    commit: async () => (await conn.query('COMMIT')).command === 'COMMIT',
    rollback: async () => {
      await conn.query('ROLLBACK');
    },
    abandon: () => destroy(conn),
  };
}

/**
 * list-append txns (Elle): lists(k, vals int[]); append is an upsert that appends with || to the row
 * (ON CONFLICT DO UPDATE locks it; at repeatable read and serializable a row changed by a concurrent txn
 * is a serialization failure, 40001); a read returns the list, [] for a missing row.
 */
export function listAppendSql(level: string): WorkloadSql {
  return {
    schema: 'CREATE TABLE IF NOT EXISTS lists (k int PRIMARY KEY, vals int[] NOT NULL)',
    writes: new Set(['txn']),
    txn: true,
    async run(conn, f, value, progress) {
      if (f !== 'txn' || !progress) return fail(value, `list-append: unknown op ${f}`);
      const mops = microOps(value, ['r', 'append']);
      const read = async (k: number) => (await conn.query<{ vals: number[] }>('SELECT vals FROM lists WHERE k = $1', [k])).rows[0]?.vals ?? [];
      const write = (k: number, v: unknown) =>
        conn.query('INSERT INTO lists (k, vals) VALUES ($1, ARRAY[$2::int]) ON CONFLICT (k) DO UPDATE SET vals = lists.vals || $2::int', [k, Number(v)]);
      return runTxn(mops, progress, statements(conn, level, read, write));
    },
  };
}

/** rw-register txns (Elle): registers(k, v); a write is an upsert, a read returns v or null for a missing row. */
export function txnRegisterSql(level: string): WorkloadSql {
  return {
    schema: 'CREATE TABLE IF NOT EXISTS registers (k int PRIMARY KEY, v int)',
    writes: new Set(['txn']),
    txn: true,
    async run(conn, f, value, progress) {
      if (f !== 'txn' || !progress) return fail(value, `txn-register: unknown op ${f}`);
      const mops = microOps(value, ['r', 'w']);
      const read = async (k: number) => (await conn.query<{ v: number | null }>('SELECT v FROM registers WHERE k = $1', [k])).rows[0]?.v ?? null;
      const write = (k: number, v: unknown) =>
        conn.query('INSERT INTO registers (k, v) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v', [k, Number(v)]);
      return runTxn(mops, progress, statements(conn, level, read, write));
    },
  };
}

/**
 * The isolation levels Postgres runs txns at, with the model its documentation (Transaction Isolation,
 * 13.2) gives each. READ UNCOMMITTED is not among them: Postgres runs it as READ COMMITTED.
 */
export const ISOLATION: Readonly<Record<string, DocumentedModel>> = {
  'read-committed': {
    model: 'read-committed',
    why: 'PostgreSQL documents READ COMMITTED as never seeing uncommitted data: each statement reads what was committed before it began',
  },
  'repeatable-read': {
    model: 'snapshot-isolation',
    why: 'PostgreSQL implements REPEATABLE READ as snapshot isolation (documented: a transaction sees one snapshot; a concurrent update of a row it writes is a serialization failure; write skew stays possible)',
  },
  serializable: {
    model: 'serializable',
    why: 'PostgreSQL documents SERIALIZABLE (serializable snapshot isolation) as equivalent to some serial order of the committed transactions',
  },
};

export const WORKLOADS: Readonly<Record<string, WorkloadSql>> = {
  register,
  append,
  set,
  'list-append': listAppendSql('serializable'),
  'txn-register': txnRegisterSql('serializable'),
};

/** A workload's SQL, transactional ones at `isolation` (default serializable); undefined for an unknown name. */
export function workloadSql(name: string, isolation?: string): WorkloadSql | undefined {
  if (name === 'list-append') return listAppendSql(isolation ?? 'serializable');
  if (name === 'txn-register') return txnRegisterSql(isolation ?? 'serializable');
  return WORKLOADS[name];
}
