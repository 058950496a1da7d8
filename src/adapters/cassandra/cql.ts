import type { Consistency } from './consistency.js';

/** What one op returned: ok with a value, or fail (certainly no effect, e.g. a cas whose guard did not hold). */
export type OpResult = { type: 'ok'; value: unknown } | { type: 'fail'; value: unknown; error: string };

/** One CQL statement with the consistency to run it at; `serial` marks a lightweight transaction's guard level. */
export interface Stmt {
  cql: string;
  params: unknown[];
  level: 'one' | 'quorum' | 'all' | 'serial';
  lwt?: boolean;
}

/** Runs one statement on the session's coordinator and returns its rows. */
export type Exec = (s: Stmt) => Promise<Array<Record<string, unknown>>>;

export interface WorkloadCql {
  /** CREATE TABLE statements (the keyspace is created first). */
  schema: string[];
  writes: ReadonlySet<string>;
  run(exec: Exec, c: Consistency, f: string, value: unknown): Promise<OpResult>;
}

export const KEYSPACE = 'faultline';

/**
 * No speculative read to a second replica when the first is slow (the default '99p' sends one, and at ONE the
 * first answer wins): a read at ONE is answered by the replica the snitch put first, the coordinator itself
 * (config.ts, RACKDC_PROPERTIES). Reads at QUORUM or ALL wait for as many replicas either way.
 */
const NO_SPECULATION = "speculative_retry = 'NONE'";

const ok = (value: unknown): OpResult => ({ type: 'ok', value });
const fail = (value: unknown, error: string): OpResult => ({ type: 'fail', value, error });

function pair(value: unknown, f: string): [number, unknown] {
  if (!Array.isArray(value) || value.length !== 2) throw new Error(`${f}: expected [key, value], got ${JSON.stringify(value)}`);
  return [Number(value[0]), value[1]];
}

/** The commit level of a lightweight transaction: the run's write level, QUORUM in serial mode. */
const commitLevel = (c: Consistency) => (c.write === 'serial' ? 'quorum' : c.write);

/**
 * registers(k, v). read at the read level (SERIAL in serial mode: a Paxos read); write is a plain UPDATE
 * with the server's timestamp (last write wins by the coordinator's clock), or in serial mode a
 * lightweight transaction `IF v != -1` (always true: values are >= 0, and a missing row's null is not
 * -1), so every write goes through Paxos; cas is `UPDATE ... IF v = from`, [applied] false is fail.
 */
const register: WorkloadCql = {
  schema: [`CREATE TABLE IF NOT EXISTS ${KEYSPACE}.registers (k int PRIMARY KEY, v int) WITH ${NO_SPECULATION}`],
  writes: new Set(['write', 'cas']),
  async run(exec, c, f, value) {
    const [k, v] = pair(value, f);
    if (f === 'read') {
      const rows = await exec({ cql: `SELECT v FROM ${KEYSPACE}.registers WHERE k = ?`, params: [k], level: c.read });
      const got = rows[0]?.v;
      return ok([k, got === undefined || got === null ? null : Number(got)]);
    }
    if (f === 'write') {
      if (c.write === 'serial') {
        const rows = await exec({ cql: `UPDATE ${KEYSPACE}.registers SET v = ? WHERE k = ? IF v != -1`, params: [v, k], level: commitLevel(c), lwt: true });
        return rows[0]?.['[applied]'] === true ? ok(value) : fail(value, `write: register ${k} guard v != -1 did not hold (${JSON.stringify(rows[0])})`);
      }
      await exec({ cql: `UPDATE ${KEYSPACE}.registers SET v = ? WHERE k = ?`, params: [v, k], level: c.write });
      return ok(value);
    }
    if (f === 'cas') {
      const [from, to] = v as [number, number];
      const rows = await exec({ cql: `UPDATE ${KEYSPACE}.registers SET v = ? WHERE k = ? IF v = ?`, params: [to, k, from], level: commitLevel(c), lwt: true });
      return rows[0]?.['[applied]'] === true ? ok(value) : fail(value, `cas: register ${k} was not ${from}`);
    }
    return fail(value, `register: unknown op ${f}`);
  },
};

/** lists(k, vals list<int>): append [k, e] is `vals = vals + [e]` (no read: concurrent appends all land); read -> list ([] when missing). */
const append: WorkloadCql = {
  schema: [`CREATE TABLE IF NOT EXISTS ${KEYSPACE}.lists (k int PRIMARY KEY, vals list<int>) WITH ${NO_SPECULATION}`],
  writes: new Set(['append']),
  async run(exec, c, f, value) {
    const [k, e] = pair(value, f);
    if (f === 'read') {
      const rows = await exec({ cql: `SELECT vals FROM ${KEYSPACE}.lists WHERE k = ?`, params: [k], level: c.read });
      const vals = rows[0]?.vals;
      return ok([k, Array.isArray(vals) ? vals.map(Number) : []]);
    }
    if (f === 'append') {
      if (c.write === 'serial') {
        const rows = await exec({ cql: `UPDATE ${KEYSPACE}.lists SET vals = vals + ? WHERE k = ? IF EXISTS`, params: [[e], k], level: 'quorum', lwt: true });
        if (rows[0]?.['[applied]'] === true) return ok(value);
        const ins = await exec({ cql: `INSERT INTO ${KEYSPACE}.lists (k, vals) VALUES (?, ?) IF NOT EXISTS`, params: [k, [e]], level: 'quorum', lwt: true });
        return ins[0]?.['[applied]'] === true ? ok(value) : fail(value, `append: list ${k} appeared between the two transactions; nothing was written`);
      }
      await exec({ cql: `UPDATE ${KEYSPACE}.lists SET vals = vals + ? WHERE k = ?`, params: [[e], k], level: c.write });
      return ok(value);
    }
    return fail(value, `append: unknown op ${f}`);
  },
};

/** rw-register is the register's table with reads and writes only (the generator sends no cas). */
export const WORKLOADS: Readonly<Record<string, WorkloadCql>> = { register, 'rw-register': register, append };
