/**
 * Error mapping, the heart of correctness: fail only when the operation certainly had no effect.
 * - Not sent: any error while connecting (refused, unreachable, timeout, auth, "server is starting"):
 *   the statement was never written to a socket. mysql2's "Can't add new command when connection is in
 *   closed state" is raised before writing too.
 * - Sent, and the server says the statement was rolled back (our ops are single autocommit statements):
 *   1290 ER_OPTION_PREVENTS_STATEMENT (--read-only: a replica or a not-yet-promoted node), 1062 duplicate
 *   key, 1213 deadlock (the transaction is rolled back), 1205 lock wait timeout (the statement, here the
 *   whole autocommit transaction, is rolled back), 1792 write in a read-only transaction, and syntax or
 *   missing-object errors (1064, 1146, 1054), which fail before executing.
 * - Transactions (src/adapters/txn.ts): any error before COMMIT was sent is fail (the transaction is rolled
 *   back, by our ROLLBACK or the server at disconnect; inside a transaction 1205 rolls back only the
 *   statement, so the ROLLBACK is needed); after, the rules here decide.
 * - Everything else after sending is info: our own timeout, connection lost mid-query (2013, ECONNRESET,
 *   PROTOCOL_CONNECTION_LOST), 1927 connection killed, 1053 server shutdown. A commit can have happened
 *   just before any of those (in semi-sync, a commit waiting for its replica ack is already in the binlog).
 */
export type Phase = 'connect' | 'query';

const ROLLED_BACK = new Set([1290, 1062, 1213, 1205, 1792, 1064, 1146, 1054]);
const REFUSED_BEFORE_SENDING = /closed state/;

export function errno(e: unknown): number | undefined {
  const n = (e as { errno?: unknown })?.errno;
  // Server errors are 1000-1999 and 3000+; client-side ones (2000-2999) and node's negative errnos are not.
  return typeof n === 'number' && n >= 1000 && !(n >= 2000 && n < 3000) ? n : undefined;
}

export function certainlyNotApplied(e: unknown, phase: Phase): boolean {
  if (phase === 'connect') return true;
  if (e instanceof Error && REFUSED_BEFORE_SENDING.test(e.message)) return true;
  const n = errno(e);
  return n !== undefined && ROLLED_BACK.has(n);
}

/** Whether the connection is still usable after this error (a plain SQL error leaves it fine). */
export function connectionSurvives(e: unknown): boolean {
  if ((e as { fatal?: unknown })?.fatal) return false;
  const n = errno(e);
  return n !== undefined && n !== 1927 && n !== 1053;
}

export function errorText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = (e as { code?: unknown }).code;
  const n = (e as { errno?: unknown }).errno;
  return code ? `${String(code)}${typeof n === 'number' && n > 0 ? ` ${n}` : ''}: ${e.message}` : e.message;
}
