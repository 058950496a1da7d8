import type { PgConn } from './sql.js';

/** What one op returned: ok with a value, or fail (certainly no effect, e.g. a cas whose guard did not hold). */
export type OpResult = { type: 'ok'; value: unknown } | { type: 'fail'; value: unknown; error: string };

export interface WorkloadSql {
  /** DDL run once on the primary before the standbys are cloned. */
  schema: string;
  /** fs that change data: sent to the primary; everything else is a read. */
  writes: ReadonlySet<string>;
  run(conn: PgConn, f: string, value: unknown): Promise<OpResult>;
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

export const WORKLOADS: Readonly<Record<string, WorkloadSql>> = { register, append, set };
