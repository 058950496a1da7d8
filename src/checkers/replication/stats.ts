/**
 * stats and vacuity: ok/fail/info counts per f, overall, per fault window and outside all windows
 * (client ops by invocation; an invocation with no completion counts as info), and nemesis ops per f.
 *
 * Vacuity. A run did not test what it claims, and its verdict is unknown with the sentence saying
 * why, when:
 *   - some client f never succeeded (every attempt failed or timed out);
 *   - no read completed at all (nothing the database returned was checked);
 *   - the history has fault windows, and no read that began after the final heal completed ok (or
 *     a fault never healed): nothing shows the cluster's state after recovery;
 *   - the history has fault windows, and no client op completed (ok or fail) inside any of them:
 *     the faults were never exercised.
 * A transaction (f txn) with a read micro-op (`['r', k, v]`) counts as a read.
 * The last two apply only to histories with fault windows. A history with no client ops at all is
 * unknown. Otherwise the verdict is true: stats never finds anomalies.
 */
import type { Op } from '../../history/op.js';
import type { CheckOptions, Verdict } from '../types.js';
import { pairsOf } from './pairs-cache.js';
import { plural } from './say.js';
import { afterFinalHeal, faultTimeline, healProblemText, inAnyWindow, neverHealed, windowJson, windowsAt } from './windows.js';

type ByF = Record<string, { ok: number; fail: number; info: number }>;

function bump(m: ByF, f: string, t: 'ok' | 'fail' | 'info'): void {
  (m[f] ??= { ok: 0, fail: 0, info: 0 })[t]++;
}

export function checkStats(history: readonly Op[], _opts: CheckOptions = {}): Verdict {
  const tl = faultTimeline(history);
  const pairs = pairsOf(history);
  const byF: ByF = {};
  const outside: ByF = {};
  const perWindow: ByF[] = tl.windows.map(() => ({}));
  const nemesis: Record<string, number> = {};
  for (const op of history) if (op.process === 'nemesis') nemesis[op.f] = (nemesis[op.f] ?? 0) + 1;
  let okReads = 0;
  let readsAfterHeal = 0;
  let completedInside = 0;
  for (const p of pairs) {
    bump(byF, p.f, p.type);
    const inv = p.invoke.index;
    if (tl.windows.length > 0) {
      if (inAnyWindow(tl, inv)) for (const id of windowsAt(tl, inv)) bump(perWindow[id]!, p.f, p.type);
      else bump(outside, p.f, p.type);
      if (p.complete && p.type !== 'info' && inAnyWindow(tl, p.complete.index)) completedInside++;
    }
    if (p.type === 'ok' && (p.f === 'read' || (p.f === 'txn' && readsInTxn(p.complete?.value)))) {
      okReads++;
      if (afterFinalHeal(tl, inv)) readsAfterHeal++;
    }
  }
  const stats: Record<string, unknown> = {
    clientOps: pairs.length,
    byF,
    nemesis,
    windows: tl.windows.map((w, i) => ({ window: windowJson(w), byF: perWindow[i] })),
    outsideWindows: tl.windows.length > 0 ? outside : undefined,
    okReads,
    okReadsAfterFinalHeal: tl.windows.length > 0 ? readsAfterHeal : undefined,
    completedInsideWindows: tl.windows.length > 0 ? completedInside : undefined,
    finalHeal: tl.finalHeal,
  };
  const why: string[] = [];
  if (pairs.length === 0) why.push('the history has no client ops');
  for (const [f, c] of Object.entries(byF)) {
    if (c.ok === 0) why.push(`${f} never succeeded (${plural(c.fail + c.info, 'attempt')}: ${c.fail} failed, ${c.info} indeterminate)`);
  }
  if (pairs.length > 0 && okReads === 0 && !byF.read) why.push('no read completed, so nothing the database returned was checked');
  if (tl.windows.length > 0) {
    if (neverHealed(tl)) why.push(`${healProblemText(tl)}, so no read shows the cluster after it healed`);
    else if (readsAfterHeal === 0) why.push('no read completed after the final heal');
    if (completedInside === 0) why.push('no client op completed inside any fault window');
  }
  if (why.length > 0) return { valid: 'unknown', anomalies: [], cause: `the run did not test what it claims: ${why.join('; ')}`, stats };
  return { valid: true, anomalies: [], stats };
}

/** Whether a txn's micro-ops (`[f, k, v]` each) hold a read. */
function readsInTxn(value: unknown): boolean {
  return Array.isArray(value) && value.some((m) => Array.isArray(m) && m[0] === 'r');
}
