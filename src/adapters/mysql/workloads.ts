import { isolationSql, microOps, runTxn, type TxnProgress, type TxnStatements } from '../txn.js';
import type { DocumentedModel } from '../types.js';
import { destroy, type MyConn } from './sql.js';

/** What one op returned: ok with a value, or fail (certainly no effect, e.g. a cas whose guard did not hold). */
export type OpResult = { type: 'ok'; value: unknown } | { type: 'fail'; value: unknown; error: string };

export interface WorkloadSql {
  /** DDL run once on the primary (replicated to the replicas through the binlog). */
  schema: readonly string[];
  /** fs that change data: sent to the primary; everything else is a read. */
  writes: ReadonlySet<string>;
  /** A transactional workload: each op is one transaction, and the client passes its TxnProgress to run. */
  txn?: boolean;
  run(conn: MyConn, f: string, value: unknown, progress?: TxnProgress): Promise<OpResult>;
}

interface Changed {
  affectedRows: number;
}
type Rows<T> = T[];

const ok = (value: unknown): OpResult => ({ type: 'ok', value });
const fail = (value: unknown, error: string): OpResult => ({ type: 'fail', value, error });

function pair(value: unknown, f: string): [number, unknown] {
  if (!Array.isArray(value) || value.length !== 2) throw new Error(`${f}: expected [key, value], got ${JSON.stringify(value)}`);
  return [Number(value[0]), value[1]];
}

/** registers(k, v): read [k, nil] -> [k, v|null], write [k, v] (upsert), cas [k, [v, v']] (0 rows matched: fail). */
const register: WorkloadSql = {
  schema: ['CREATE TABLE IF NOT EXISTS registers (k INT PRIMARY KEY, v INT) ENGINE=InnoDB'],
  writes: new Set(['write', 'cas']),
  async run(conn, f, value) {
    const [k, v] = pair(value, f);
    if (f === 'read') {
      const [rows] = await conn.query('SELECT v FROM registers WHERE k = ?', [k]);
      return ok([k, (rows as Rows<{ v: number | null }>)[0]?.v ?? null]);
    }
    if (f === 'write') {
      await conn.query('INSERT INTO registers (k, v) VALUES (?, ?) ON DUPLICATE KEY UPDATE v = VALUES(v)', [k, v]);
      return ok(value);
    }
    if (f === 'cas') {
      const [from, to] = v as [number, number];
      const [r] = await conn.query('UPDATE registers SET v = ? WHERE k = ? AND v = ?', [to, k, from]);
      return (r as Changed).affectedRows === 1 ? ok(value) : fail(value, `cas: register ${k} was not ${from}`);
    }
    return fail(value, `register: unknown op ${f}`);
  },
};

/**
 * lists(k, vals TEXT of comma-separated ints): append [k, e] is an upsert whose update CONCATs to the
 * row's current value under its row lock, so concurrent appends all land; read [k, nil] -> [k, list].
 */
const append: WorkloadSql = {
  schema: ['CREATE TABLE IF NOT EXISTS lists (k INT PRIMARY KEY, vals MEDIUMTEXT NOT NULL) ENGINE=InnoDB'],
  writes: new Set(['append']),
  async run(conn, f, value) {
    const [k, e] = pair(value, f);
    if (f === 'read') {
      const [rows] = await conn.query('SELECT vals FROM lists WHERE k = ?', [k]);
      const text = (rows as Rows<{ vals: string }>)[0]?.vals;
      return ok([k, text ? text.split(',').map(Number) : []]);
    }
    if (f === 'append') {
      const n = Number(e);
      await conn.query("INSERT INTO lists (k, vals) VALUES (?, ?) ON DUPLICATE KEY UPDATE vals = CONCAT(vals, ',', ?)", [k, String(n), String(n)]);
      return ok(value);
    }
    return fail(value, `append: unknown op ${f}`);
  },
};

/** elements(e): add e (insert; a duplicate is 1062: fail), read -> sorted elements. */
const set: WorkloadSql = {
  schema: ['CREATE TABLE IF NOT EXISTS elements (e INT PRIMARY KEY) ENGINE=InnoDB'],
  writes: new Set(['add']),
  async run(conn, f, value) {
    if (f === 'read') {
      const [rows] = await conn.query('SELECT e FROM elements ORDER BY e');
      return ok((rows as Rows<{ e: number }>).map((row) => row.e));
    }
    if (f === 'add') {
      await conn.query('INSERT INTO elements (e) VALUES (?)', [Number(value)]);
      return ok(value);
    }
    return fail(value, `set: unknown op ${f}`);
  },
};

/**
 * A txn's statements on one connection at `level`: SET TRANSACTION (no SESSION: it applies to the next
 * transaction only), then START TRANSACTION. Statements run one at a time, so COMMIT is only ever sent
 * after every micro-op answered.
 *
 * Errors inside: 1213 (deadlock) has rolled the whole transaction back; 1205 (lock wait timeout) only the
 * statement (innodb_rollback_on_timeout is OFF by default), and the transaction is still open: runTxn
 * sends ROLLBACK either way, so both end certainly without effect.
 */
function statements(conn: MyConn, level: string, read: (k: number) => Promise<unknown>, write: (k: number, v: unknown) => Promise<unknown>): TxnStatements {
  return {
    begin: async () => {
      await conn.query(`SET TRANSACTION ISOLATION LEVEL ${isolationSql(level)}`);
      await conn.query('START TRANSACTION');
    },
    read,
    write: async (_f, k, v) => {
      await write(k, v);
    },
    commit: async () => {
      await conn.query('COMMIT');
      return true;
    },
    rollback: async () => {
      await conn.query('ROLLBACK');
    },
    abandon: () => destroy(conn),
  };
}

/** list-append txns (Elle): lists(k, vals TEXT of comma-separated ints); append CONCATs in an upsert; a missing row reads []. */
export function listAppendSql(level: string): WorkloadSql {
  return {
    schema: ['CREATE TABLE IF NOT EXISTS lists (k INT PRIMARY KEY, vals MEDIUMTEXT NOT NULL) ENGINE=InnoDB'],
    writes: new Set(['txn']),
    txn: true,
    async run(conn, f, value, progress) {
      if (f !== 'txn' || !progress) return fail(value, `list-append: unknown op ${f}`);
      const mops = microOps(value, ['r', 'append']);
      const read = async (k: number) => {
        const [rows] = await conn.query('SELECT vals FROM lists WHERE k = ?', [k]);
        const text = (rows as Rows<{ vals: string }>)[0]?.vals;
        return text ? text.split(',').map(Number) : [];
      };
      const write = (k: number, v: unknown) =>
        conn.query("INSERT INTO lists (k, vals) VALUES (?, ?) ON DUPLICATE KEY UPDATE vals = CONCAT(vals, ',', ?)", [k, String(Number(v)), String(Number(v))]);
      return runTxn(mops, progress, statements(conn, level, read, write));
    },
  };
}

/** rw-register txns (Elle): registers(k, v); a write is an upsert, a read returns v or null for a missing row. */
export function txnRegisterSql(level: string): WorkloadSql {
  return {
    schema: ['CREATE TABLE IF NOT EXISTS registers (k INT PRIMARY KEY, v INT) ENGINE=InnoDB'],
    writes: new Set(['txn']),
    txn: true,
    async run(conn, f, value, progress) {
      if (f !== 'txn' || !progress) return fail(value, `txn-register: unknown op ${f}`);
      const mops = microOps(value, ['r', 'w']);
      const read = async (k: number) => {
        const [rows] = await conn.query('SELECT v FROM registers WHERE k = ?', [k]);
        return (rows as Rows<{ v: number | null }>)[0]?.v ?? null;
      };
      const write = (k: number, v: unknown) => conn.query('INSERT INTO registers (k, v) VALUES (?, ?) ON DUPLICATE KEY UPDATE v = VALUES(v)', [k, Number(v)]);
      return runTxn(mops, progress, statements(conn, level, read, write));
    },
  };
}

/** The isolation levels MySQL and MariaDB run txns at, with the model each one's name claims (InnoDB's documentation). */
export const ISOLATION: Readonly<Record<string, DocumentedModel>> = {
  'read-uncommitted': { model: 'read-uncommitted', why: 'InnoDB documents READ UNCOMMITTED as allowing dirty reads, and nothing weaker' },
  'read-committed': {
    model: 'read-committed',
    why: 'InnoDB documents READ COMMITTED: each consistent read sees only committed data, from its own fresh snapshot',
  },
  'repeatable-read': {
    model: 'repeatable-read',
    why:
      "InnoDB's default level, named for the SQL standard's REPEATABLE READ; note that its plain reads use the transaction's first " +
      'snapshot while its writes act on the latest committed rows (innodb_snapshot_isolation, OFF by default in MariaDB 10.11, changes that)',
  },
  serializable: {
    model: 'serializable',
    why: 'InnoDB documents SERIALIZABLE as REPEATABLE READ with every plain SELECT taking shared locks (LOCK IN SHARE MODE)',
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
