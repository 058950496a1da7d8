import type { Db } from '../adapters/types.js';

/** How long the run waits, after the final heal, for the database to say it is healthy (at most). */
export const HEALTHY_TIMEOUT_MS = 30_000;

/**
 * The health wait's budget: at most half the recovery bound, so the final reads, which the recovery
 * checker judges, begin well within it (the final reads go on retrying until the bound). A 30 s wait
 * under a 30 s bound left the checker no op between the heal and the first success, and it could only
 * say unknown (soak, Postgres sync: a standby's TCP reconnect backing off after a bandwidth cap kept it
 * from streaming for 30 s while the primary served every read).
 */
export function healthBudgetMs(recoveryTimeoutS: number): number {
  return Math.min(HEALTHY_TIMEOUT_MS, (recoveryTimeoutS * 1000) / 2);
}

/** What run.json records as `healthAfterHeal`: how long the wait took and how it ended. */
export type HealthWait =
  | { supported: false }
  | { supported: true; healthy: true; waitedMs: number }
  | { supported: true; healthy: false; waitedMs: number; timedOut: boolean; error: string };

/**
 * A careful operator's step between healing the faults and reading the final state: wait (bounded)
 * until the database says every node is up and serving (Db.waitHealthy). It never fails the run: a
 * cluster that stays unhealthy is read anyway, and what the reads get is for the checkers to judge.
 * timedOut is true when the whole budget was spent (a node that is down fails at once, not by time).
 */
export async function waitHealthy(db: Db, timeoutMs = HEALTHY_TIMEOUT_MS): Promise<HealthWait> {
  if (!db.waitHealthy) return { supported: false };
  const t0 = Date.now();
  try {
    await db.waitHealthy(timeoutMs);
    return { supported: true, healthy: true, waitedMs: Date.now() - t0 };
  } catch (e) {
    const waitedMs = Date.now() - t0;
    return { supported: true, healthy: false, waitedMs, timedOut: waitedMs >= timeoutMs, error: (e as Error).message.split('\n')[0]! };
  }
}

/** One log line: "healthy after 1.234 s" / "not healthy after 30.0 s: ...". */
export function describeHealthWait(h: HealthWait): string {
  if (!h.supported) return 'the database has no health check; the final reads start after the quiet period';
  const s = (h.waitedMs / 1000).toFixed(3);
  return h.healthy
    ? `the database was healthy after ${s} s`
    : `the database was not healthy after ${s} s${h.timedOut ? ' (timed out)' : ''}: ${h.error}; reading anyway`;
}
