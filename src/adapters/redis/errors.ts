/**
 * Error mapping, the heart of correctness: fail only when the operation certainly had no effect.
 * - Not sent: any error while connecting (refused, unreachable, timeout), or a connection that is not
 *   ready when the op would be written (ioredis refuses before writing, no offline queue, no resend).
 * - Sent, and the server refused the command as a whole: a Redis command is atomic and checks run before
 *   it changes anything, so these error replies mean no effect: READONLY (a replica), NOREPLICAS
 *   (min-replicas-to-write), LOADING, BUSY, NOSCRIPT, WRONGTYPE, EXECABORT, MASTERDOWN, OOM, MISCONF,
 *   NOAUTH/NOPERM, and ERR for unknown commands, syntax or arity. Our cas script writes last, so it has
 *   no partial effects either.
 * - Everything else after sending is info: timeouts (our timer), a connection lost before the reply,
 *   other error replies. A write can have happened just before any of those. A WAIT that counts fewer
 *   replicas than asked is info too (the write is applied on the primary; it may or may not survive).
 * Reads have no effect, so a failed read is always fail.
 */
export type Phase = 'connect' | 'sent';

const REFUSED = new RegExp(
  /^(READONLY|NOREPLICAS|LOADING|BUSY|NOSCRIPT|WRONGTYPE|EXECABORT|MASTERDOWN|OOM|MISCONF|NOAUTH|NOPERM)\b/.source +
    /|^ERR (unknown command|syntax error|wrong number of arguments)/.source,
);
/** Replies that say this node is the wrong one (or not ready): drop the connection, re-resolve the primary. */
const WRONG_NODE = /^(READONLY|NOREPLICAS|LOADING|MASTERDOWN|MISCONF)\b/;

export function isReplyError(e: unknown): boolean {
  return (e as { name?: unknown })?.name === 'ReplyError';
}

export function certainlyNotApplied(e: unknown, phase: Phase): boolean {
  if (phase === 'connect') return true;
  return isReplyError(e) && REFUSED.test((e as Error).message);
}

/** Whether the connection is still worth keeping after this error. */
export function connectionSurvives(e: unknown): boolean {
  return isReplyError(e) && !WRONG_NODE.test((e as Error).message);
}

export function errorText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && !e.message.includes(code) ? `${code}: ${e.message}` : e.message;
}
