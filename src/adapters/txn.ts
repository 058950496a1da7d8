/**
 * What the SQL adapters share to run one transactional op (`f: 'txn'`, a list of micro-ops) as one
 * database transaction, and the rule that decides its completion:
 *
 * - COMMIT answered: ok, with the reads filled in.
 * - The database said the transaction aborted (a serialization failure, a deadlock, COMMIT answered with
 *   a rollback): fail.
 * - Any error or timeout before COMMIT was sent: fail. A transaction is applied only by its COMMIT, and a
 *   server that never received one rolls the transaction back (at our ROLLBACK, or when the connection
 *   closes: we close it whenever our ROLLBACK did not answer).
 * - COMMIT sent and no answer (connection lost, our timeout): info. It may have committed.
 *
 * Nothing is retried inside an op.
 */

export const ISOLATION_LEVELS = ['read-uncommitted', 'read-committed', 'repeatable-read', 'serializable'] as const;
export type IsolationLevel = (typeof ISOLATION_LEVELS)[number];

/** The SQL words of a level: 'repeatable-read' -> 'REPEATABLE READ'. */
export function isolationSql(level: string): string {
  if (!(ISOLATION_LEVELS as readonly string[]).includes(level)) throw new Error(`unknown isolation level '${level}'; levels: ${ISOLATION_LEVELS.join(', ')}`);
  return level.toUpperCase().replace('-', ' ');
}

/**
 * Where a transaction stands, shared by the client (which owns the timer) and the workload (which sends
 * the statements): the client reads commitSent to choose fail or info; it sets gaveUp when its timer
 * fired, and then the workload sends no COMMIT.
 */
export interface TxnProgress {
  commitSent: boolean;
  gaveUp: boolean;
}

export function txnProgress(): TxnProgress {
  return { commitSent: false, gaveUp: false };
}

/** Whether an error ending a txn leaves it certainly without effect: the database said so, or COMMIT was never sent. */
export function txnCertainlyNotApplied(progress: TxnProgress | undefined, certainForAStatement: boolean): boolean {
  return certainForAStatement || (progress !== undefined && !progress.commitSent);
}

/** An error's text, saying why it is certain when only the unsent COMMIT makes it so. */
export function txnErrorText(progress: TxnProgress | undefined, certainForAStatement: boolean, text: string): string {
  return progress && !progress.commitSent && !certainForAStatement ? `${text} (before COMMIT was sent: rolled back)` : text;
}

export type Mop = [f: string, key: number, value: unknown];

/** The micro-ops of a txn op, each `[f, key, value]` with f among `fs`; throws (before anything is sent) on another shape. */
export function microOps(value: unknown, fs: readonly string[]): Mop[] {
  if (!Array.isArray(value) || value.length === 0) throw new Error(`txn: expected a list of micro-ops, got ${JSON.stringify(value)}`);
  return value.map((m: unknown) => {
    if (!Array.isArray(m) || m.length !== 3 || !fs.includes(m[0] as string) || !Number.isInteger(Number(m[1])))
      throw new Error(`txn: expected micro-ops [${fs.join('|')}, key, value], got ${JSON.stringify(m)}`);
    return [m[0] as string, Number(m[1]), m[2]];
  });
}

/** One database's statements for a txn; run in order by runTxn. */
export interface TxnStatements {
  begin(): Promise<void>;
  /** A read micro-op: what the key holds ([] or null when it has no row). */
  read(key: number): Promise<unknown>;
  write(f: string, key: number, value: unknown): Promise<void>;
  /** COMMIT; false when the database answered that it rolled back instead. */
  commit(): Promise<boolean>;
  rollback(): Promise<void>;
  /** Closes the connection at once (a ROLLBACK that did not answer: the server then rolls back itself). */
  abandon(): void;
}

export type TxnResult = { type: 'ok'; value: unknown } | { type: 'fail'; value: unknown; error: string };

/** Thrown instead of sending COMMIT once the client's timer gave up on the op. */
export class GaveUp extends Error {}

/**
 * Runs a txn's micro-ops in one transaction. An error before COMMIT is rethrown after our ROLLBACK (the
 * client maps it, and txnCertainlyNotApplied makes it fail); when that ROLLBACK fails too, the connection
 * is closed, so no later transaction of this session runs inside the one we gave up (MySQL's START
 * TRANSACTION would even commit it).
 */
export async function runTxn(mops: readonly Mop[], progress: TxnProgress, sql: TxnStatements): Promise<TxnResult> {
  const out: Mop[] = [];
  try {
    await sql.begin();
    for (const [f, k, v] of mops) {
      if (f === 'r') out.push([f, k, await sql.read(k)]);
      else {
        await sql.write(f, k, v);
        out.push([f, k, v]);
      }
    }
    if (progress.gaveUp) throw new GaveUp('the op timed out before COMMIT');
    progress.commitSent = true;
  } catch (e) {
    try {
      await sql.rollback();
    } catch {
      sql.abandon();
    }
    throw e;
  }
  if (!(await sql.commit())) return { type: 'fail', value: mops, error: 'COMMIT answered ROLLBACK: the transaction had aborted' };
  return { type: 'ok', value: out };
}
