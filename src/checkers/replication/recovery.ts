/**
 * recovery: after the final heal the cluster serves again within a bound (the run-level promise; the
 * availability checker measures each window's RTO).
 *
 * Rule. The final heal is the completion of the last stop that closed a fault window (windows.ts), or
 * of a nemesis op after it (the run's end-of-run heal invokes every package's stop, and one that closes
 * no window, such as stop-failover rebuilding a fenced node, can still take seconds).
 * The client ops invoked after it are the evidence: the first one that completed ok shows the cluster
 * served again, and it must have completed within the bound (CheckOptions.recoveryTimeoutMs, default
 * 30 s; `faultline run --recovery-timeout`) of the heal. Ops invoked before the heal prove nothing
 * either way (the faults were still on when they began).
 *
 * fail and info mean the same here: the op did not succeed (an info op may have taken effect, but
 * the client never heard so, and a cluster that never answers has not recovered). An invocation with
 * no completion did not succeed by the end of the history.
 *
 * Anomaly `not-recovered`: no op succeeded within the bound, and ops that did not succeed go on at
 * least until the bound (so the run kept trying). Witness: the final heal (its invocation and
 * completion) and the first failed/info ops after it (up to 20); the sentence counts the errors they
 * kept returning and names the nodes that returned them.
 *
 * Unknown: no fault window (no heal to recover from), a window that never closed (the cluster was
 * never healed), no client op invoked after the heal, or no success and the last attempt after the
 * heal ended before the bound elapsed (not enough evidence). Valid otherwise.
 */
import { fmtTime, type Op } from '../../history/op.js';
import type { OpPair } from '../../history/pairs.js';
import type { CheckOptions, Verdict } from '../types.js';
import { pairsOf } from './pairs-cache.js';
import { witness } from './say.js';
import { faultTimeline, healProblemText } from './windows.js';

export const DEFAULT_RECOVERY_TIMEOUT_MS = 30_000;
/** Failed/info ops after the heal kept in the witness. */
const WITNESS_CAP = 20;
/** Error groups named in the sentence (all are in the stats, up to STATS_CAP). */
const SENTENCE_GROUPS = 3;
const STATS_CAP = 10;

interface Group {
  error: string;
  type: 'fail' | 'info' | 'pending';
  count: number;
  nodes: Set<string>;
}

const num = (n: number) => n.toLocaleString('en-US');
const secs = (ns: number) => `${(ns / 1e9).toFixed(1)} s`;
const clip = (s: string, max = 100) => (s.length > max ? `${s.slice(0, max - 3)}...` : s);

export function checkRecovery(history: readonly Op[], opts: CheckOptions = {}): Verdict {
  const raw = opts.recoveryTimeoutMs;
  const boundMs = typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 ? raw : DEFAULT_RECOVERY_TIMEOUT_MS;
  const boundNs = boundMs * 1e6;
  const tl = faultTimeline(history);
  const base = { boundMs, finalHeal: tl.finalHeal };
  if (tl.finalHeal === 'none')
    return { valid: 'unknown', anomalies: [], cause: 'the history has no fault windows, so there is no heal to recover from', stats: base };
  if (tl.finalHeal === 'never')
    return {
      valid: 'unknown',
      anomalies: [],
      cause: 'a fault window never closed (the cluster was never healed), so recovery after the heal cannot be judged',
      stats: base,
    };
  if (tl.finalHeal === 'failed') {
    return {
      valid: 'unknown',
      anomalies: [],
      cause: `${healProblemText(tl)}; a cluster that stays unavailable then shows faultline's failed heal, not the database's recovery`,
      stats: base,
    };
  }
  const heal = endOfHeal(history, tl.finalHeal);

  const after = pairsOf(history).filter((p) => p.invoke.index > heal.index);
  const end = (p: OpPair) => (p.complete ?? p.invoke).time;
  let firstOk: OpPair | undefined;
  for (const p of after) if (p.type === 'ok' && (!firstOk || end(p) < end(firstOk))) firstOk = p;
  // Ops that did not succeed, begun before the first success (after it they show nothing about recovery).
  const failed = after.filter((p) => p.type !== 'ok' && (!firstOk || p.invoke.time < end(firstOk)));
  const counts = { ok: 0, fail: 0, info: 0, pending: 0 };
  for (const p of after) counts[p.complete ? p.type : 'pending']++;
  // A pending op did not succeed until the history ended.
  const evidenceEnd = failed.reduce((m, p) => Math.max(m, p.complete ? p.complete.time : tl.lastTime), -Infinity);
  const groups = groupErrors(failed);
  const stats = {
    ...base,
    finalHeal: heal,
    afterHeal: counts,
    recoveredAfterMs: firstOk ? (end(firstOk) - heal.time) / 1e6 : null,
    firstOk: firstOk ? (firstOk.complete ?? firstOk.invoke).index : null,
    errors: groups.slice(0, STATS_CAP).map((g) => ({ error: g.error, type: g.type, count: g.count, nodes: [...g.nodes].sort() })),
  };

  if (firstOk && end(firstOk) - heal.time <= boundNs) return { valid: true, anomalies: [], stats };
  if (after.length === 0)
    return {
      valid: 'unknown',
      anomalies: [],
      cause: `no client op was invoked after the final heal at ${fmtTime(heal.time)}, so recovery was not tested`,
      stats,
    };
  if (evidenceEnd - heal.time < boundNs) {
    const gap = firstOk
      ? `the first success came ${secs(end(firstOk) - heal.time)} after it, but no op was attempted between ${fmtTime(Math.max(evidenceEnd, heal.time))} and ${fmtTime(firstOk.invoke.time)}, so it may have recovered sooner`
      : `the history ends ${secs(tl.lastTime - heal.time)} after it with no success, before the ${boundMs / 1000} s bound elapsed: not enough evidence`;
    return { valid: 'unknown', anomalies: [], cause: `after the final heal at ${fmtTime(heal.time)}, ${gap}`, stats };
  }

  const healOps = healIndices(history, heal.index);
  const shown = failed
    .slice()
    .sort((a, b) => a.invoke.index - b.invoke.index)
    .slice(0, WITNESS_CAP);
  const spanNs = (firstOk ? end(firstOk) : evidenceEnd) - heal.time;
  const what = groups.slice(0, SENTENCE_GROUPS).map(sayGroup);
  const rest = groups.slice(SENTENCE_GROUPS);
  if (rest.length > 0) what.push(`${num(rest.reduce((s, g) => s + g.count, 0))} more with ${rest.length} other error${rest.length === 1 ? '' : 's'}`);
  const tail = firstOk ? `; the first success came only at ${fmtTime(end(firstOk))} (op #${(firstOk.complete ?? firstOk.invoke).index})` : '';
  const explanation =
    `after the final heal at ${fmtTime(heal.time)} (op #${heal.index}), no operation succeeded for ${secs(spanNs)} ` +
    `(bound ${boundMs / 1000} s): ${what.join(', ')}${tail}`;
  const nodes = [...new Set(groups.flatMap((g) => [...g.nodes]))].sort();
  return {
    valid: false,
    anomalies: [
      {
        kind: 'not-recovered',
        ops: [...new Set([...healOps, ...witness(...shown), ...(firstOk ? witness(firstOk) : [])])].sort((a, b) => a - b),
        explanation,
        data: { boundMs, healTime: heal.time, spanMs: spanNs / 1e6, nodes, errors: stats.errors },
      },
    ],
    stats,
  };
}

/** Failed/info/pending ops by (outcome, error text), most frequent first. */
function groupErrors(ps: readonly OpPair[]): Group[] {
  const by = new Map<string, Group>();
  for (const p of ps) {
    const type = p.complete ? (p.type as 'fail' | 'info') : 'pending';
    const error = type === 'pending' ? '' : String(p.complete!.error ?? '');
    const key = `${type}\u0000${error}`;
    let g = by.get(key);
    if (!g) {
      g = { error, type, count: 0, nodes: new Set<string>() };
      by.set(key, g);
    }
    g.count++;
    if (p.node !== undefined) g.nodes.add(p.node);
  }
  const rank = { fail: 0, info: 1, pending: 2 };
  return [...by.values()].sort((a, b) => b.count - a.count || rank[a.type] - rank[b.type] || a.error.localeCompare(b.error));
}

function sayGroup(g: Group): string {
  const nodes = [...g.nodes].sort();
  const from = nodes.length === 0 ? '' : ` from ${nodes.length === 1 ? nodes[0] : `${nodes.slice(0, -1).join(', ')} and ${nodes[nodes.length - 1]}`}`;
  if (g.type === 'pending') return `${num(g.count)} never completed${from}`;
  const how = g.type === 'fail' ? 'failed' : 'were indeterminate (info)';
  return `${num(g.count)} ${how} ${g.error ? `with '${clip(g.error)}'` : 'with no error given'}${from}`;
}

/** The last nemesis completion at or after the last window's close. */
function endOfHeal(history: readonly Op[], closed: { index: number; time: number }): { index: number; time: number } {
  for (let i = history.length - 1; i >= 0; i--) {
    const op = history[i]!;
    if (op.index < closed.index) break;
    if (op.process === 'nemesis' && op.type !== 'invoke') return { index: op.index, time: op.time };
  }
  return closed;
}

/** The heal's completion and, when it has one, its invocation (the nemesis op just before with the same f). */
function healIndices(history: readonly Op[], index: number): number[] {
  let at = -1;
  for (let i = history.length - 1; i >= 0; i--)
    if (history[i]!.index === index) {
      at = i;
      break;
    }
  if (at < 0) return [index];
  const done = history[at]!;
  for (let i = at - 1; i >= 0; i--) {
    const op = history[i]!;
    if (op.process !== 'nemesis') continue;
    return op.f === done.f && (op.type === 'invoke' || op.type === 'info') && op !== done ? [op.index, index] : [index];
  }
  return [index];
}
