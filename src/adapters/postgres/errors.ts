/**
 * Error mapping, the heart of correctness: fail only when the operation certainly had no effect.
 * - Not sent: any error while connecting (refused, unreachable, timeout, 57P03 "starting up", auth):
 *   the statement was never written to a socket, so it cannot have run.
 * - Sent, and the server says it rolled the statement back: 25006 read_only_sql_transaction (a standby),
 *   class 23 (constraint violations), 40001 serialization failure, 40P01 deadlock, class 22 (bad data),
 *   class 42 (syntax or missing object). Single-op workloads run one autocommit statement, so the error ends it.
 * - Transactions (src/adapters/txn.ts): any error before COMMIT was sent is fail (the server never commits
 *   what it was not asked to); after, the rules above decide (40001 at COMMIT: rolled back, certain).
 *   pg's own "Client has encountered a connection error and is not queryable" is raised before sending too.
 * - Everything else after sending is info: timeouts (57014, also our own timer), connection loss mid-query,
 *   57P01 admin shutdown, crashes. A commit can have happened just before any of those.
 */
export type Phase = 'connect' | 'query';

export function sqlState(e: unknown): string | undefined {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** pg refuses a query on a connection it already knows is broken, before writing anything to the socket. */
const REFUSED_BEFORE_SENDING = /is not queryable/;

export function certainlyNotApplied(e: unknown, phase: Phase): boolean {
  if (phase === 'connect') return true;
  if (e instanceof Error && REFUSED_BEFORE_SENDING.test(e.message)) return true;
  const s = sqlState(e);
  if (!s) return false;
  return s === '25006' || s === '40001' || s === '40P01' || s.startsWith('23') || s.startsWith('22') || s.startsWith('42');
}

/** Whether the connection is still usable after this error (a plain SQL error leaves it fine). */
export function connectionSurvives(e: unknown): boolean {
  const s = sqlState(e);
  if (!s) return false;
  return !(s.startsWith('08') || s.startsWith('57') || s.startsWith('53') || s.startsWith('58') || s.startsWith('XX'));
}

export function errorText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const s = sqlState(e) ?? (e as { code?: unknown }).code;
  return s ? `${s}: ${e.message}` : e.message;
}
