import type { MyConn } from './sql.js';

/** What one op returned: ok with a value, or fail (certainly no effect, e.g. a cas whose guard did not hold). */
export type OpResult = { type: 'ok'; value: unknown } | { type: 'fail'; value: unknown; error: string };

export interface WorkloadSql {
  /** DDL run once on the primary (replicated to the replicas through the binlog). */
  schema: readonly string[];
  /** fs that change data: sent to the primary; everything else is a read. */
  writes: ReadonlySet<string>;
  run(conn: MyConn, f: string, value: unknown): Promise<OpResult>;
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

export const WORKLOADS: Readonly<Record<string, WorkloadSql>> = { register, append, set };
