/**
 * The per-op deadline every adapter client (and admin call) shares: an op's promise races a timer,
 * and exactly one of three outcomes decides the result.
 *
 * - the op resolves first: `ok(value)`;
 * - the op rejects first: `failed(error)`;
 * - the timer fires first: `timedOut()`. The caller knows what was sent, so it decides fail or info.
 *
 * The timer is cleared as soon as the op settles and is unref'd, so it never keeps the process
 * alive. An op that settles after the deadline is ignored; a late rejection is swallowed here, never
 * an unhandled rejection. An outcome that throws rejects the returned promise (admin calls throw on
 * timeout). No async frames: this runs for every op of a run.
 */
export interface Outcomes<T, R> {
  ok(value: T): R;
  failed(error: unknown): R;
  timedOut(): R;
}

export function withDeadline<T, R>(work: Promise<T>, timeoutMs: number, o: Outcomes<T, R>): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    let settled = false;
    const decide = (outcome: () => R): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try {
        resolve(outcome());
      } catch (e) {
        reject(e);
      }
    };
    const timer = setTimeout(() => decide(() => o.timedOut()), timeoutMs);
    timer.unref();
    work.then(
      (v) => decide(() => o.ok(v)),
      (e) => decide(() => o.failed(e)),
    );
  });
}

/** An admin call bounded end to end: its value, its error, or `timeoutError()` thrown at the deadline. */
export function deadlineOrThrow<T>(work: Promise<T>, timeoutMs: number, timeoutError: () => Error): Promise<T> {
  return withDeadline(work, timeoutMs, {
    ok: (v) => v,
    failed: (e) => {
      throw e;
    },
    timedOut: () => {
      throw timeoutError();
    },
  });
}
