/**
 * convergence: after the final heal, do the replicas agree? (issue 16; for histories whose reads
 * carry the node that answered them.)
 *
 * Per key, its final reads (node-reads.ts: ok reads invoked after the final heal and after the key's
 * last write) from the nodes that served them, taken in completion order; each node's latest read
 * is its state. The nodes disagree as soon as two latest reads differ, and agree once every node
 * that has a final read has read the same value. A key whose nodes never disagreed converged. A key
 * whose nodes still disagree at the end of the history is `diverged` (one anomaly per key, naming
 * each node's last value). A key whose nodes disagreed and then agreed converged at the read that
 * made them agree (for good): within `convergeWithinMs` (default 10 s) of the start of its quiet
 * period (the final heal, or its last write when later) that is data (stats.convergedLate), not an
 * anomaly; later, it is `converged-late`.
 *
 * Verdict: false on any anomaly; unknown when the faults never healed, or when no key has final
 * reads from at least two nodes (nothing was compared); else true.
 */
import { fmtTime, fmtValue, type Op } from '../../history/op.js';
import type { CheckOptions, Verdict } from '../types.js';
import { AnomalyLog } from './anomaly-log.js';
import { finalReads, nodeHistory, quietStart, type KeyOps, type NodeRead } from './node-reads.js';
import { fmtKey, witness } from './say.js';
import { verdictOf } from './verdict.js';
import { faultTimeline, healProblemText, type FaultTimeline } from './windows.js';

export const DEFAULT_CONVERGE_WITHIN_MS = 10_000;

export function checkConvergence(history: readonly Op[], opts: CheckOptions = {}): Verdict {
  const raw = opts.convergeWithinMs;
  const withinMs = typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 ? raw : DEFAULT_CONVERGE_WITHIN_MS;
  const tl = faultTimeline(history);
  const nh = nodeHistory(history, opts.keyed);
  const why = healProblemText(tl);
  const base = { keys: nh.keys.length, convergeWithinMs: withinMs, ignored: nh.ignored };
  if (why) return { valid: 'unknown', anomalies: [], cause: `${why}, so there are no final reads after a heal to compare`, stats: base };
  const log = new AnomalyLog();
  const convergedLate: Record<string, unknown>[] = [];
  let judged = 0;
  let singleNode = 0;
  let nodeless = 0;
  let anyNode = false;
  for (const k of nh.keys) {
    const rs = finalReads(k, tl);
    const withNode = rs.filter((r) => r.pair.node !== undefined);
    nodeless += rs.length - withNode.length;
    if (withNode.length > 0) anyNode = true;
    const nodes = new Set(withNode.map((r) => r.pair.node!));
    if (nodes.size < 2) {
      if (rs.length > 0) singleNode++;
      continue;
    }
    judged++;
    judgeKey(k, withNode, nodes.size, tl, withinMs, log, convergedLate);
  }
  const stats = { ...base, judgedKeys: judged, singleNodeKeys: singleNode, nodelessFinalReads: nodeless, convergedLate };
  const vacuous = anyNode
    ? 'no key has final reads (after the final heal and its last write) from at least two nodes, so no replicas could be compared'
    : 'no final read (after the final heal and the last write to its key) carries the node that answered it, so no replicas could be compared';
  return verdictOf(log, judged, vacuous, stats);
}

function judgeKey(k: KeyOps, rs: NodeRead[], nNodes: number, tl: FaultTimeline, withinMs: number, log: AnomalyLog, late: Record<string, unknown>[]): void {
  const key = fmtKey(k.key);
  const latest = new Map<string, NodeRead>();
  let firstSplit: NodeRead[] | undefined; // each node's latest read when the nodes first disagreed
  let splitAt: NodeRead | undefined;
  let agreedBy: NodeRead | undefined; // the read that made them agree, for good so far
  for (const r of rs) {
    latest.set(r.pair.node!, r);
    const texts = new Set([...latest.values()].map((x) => x.text));
    if (texts.size > 1) {
      agreedBy = undefined;
      if (!firstSplit) {
        firstSplit = [...latest.values()];
        splitAt = r;
      }
    } else if (latest.size === nNodes && !agreedBy) agreedBy = r;
  }
  if (!firstSplit) return;
  const q = quietStart(k, tl);
  const since = q.by === 'heal' ? `the final heal at ${fmtTime(q.time)}` : q.by === 'write' ? `the last write to it at ${fmtTime(q.time)}` : 'the start';
  const t0 = splitAt!.pair.complete!.time;
  const states = (xs: NodeRead[]) =>
    xs.map((r) => `${r.pair.node} read ${fmtValue(r.value)} (process ${String(r.pair.process)} at ${fmtTime(r.pair.complete!.time)})`).join(', ');
  const values = (xs: NodeRead[]) => Object.fromEntries(xs.map((r) => [r.pair.node!, r.value]));
  if (!agreedBy) {
    const last = [...latest.values()].sort((a, b) => (a.pair.node! < b.pair.node! ? -1 : 1));
    const end = rs[rs.length - 1]!.pair.complete!;
    log.add({
      kind: 'diverged',
      ops: witness(...last.map((r) => r.pair)),
      explanation:
        `the final reads of key ${key} disagree: ${states(last)}; the nodes first disagreed at ${fmtTime(t0)}, ` +
        `after ${since}, and still disagreed at the last final read (${fmtTime(end.time)})`,
      data: { key: k.key, nodes: last.map((r) => r.pair.node), values: values(last), divergedAtMs: t0 / 1e6, convergedAtMs: null },
    });
    return;
  }
  const t1 = agreedBy.pair.complete!.time;
  const afterMs = (t1 - q.time) / 1e6;
  const data = {
    key: k.key,
    nodes: [...latest.keys()].sort(),
    divergedValues: values(firstSplit),
    value: agreedBy.value,
    divergedAtMs: t0 / 1e6,
    convergedAtMs: t1 / 1e6,
    convergedAfterMs: afterMs,
  };
  if (afterMs <= withinMs) {
    late.push(data);
    return;
  }
  log.add({
    kind: 'converged-late',
    ops: witness(...firstSplit.map((r) => r.pair), agreedBy.pair),
    explanation:
      `the nodes disagreed on key ${key} at ${fmtTime(t0)} (${states(firstSplit)}) and agreed on ${fmtValue(agreedBy.value)} only at ` +
      `${fmtTime(t1)}, ${(afterMs / 1000).toFixed(3)} s after ${since}, beyond the ${withinMs / 1000} s they had to converge`,
    data,
  });
}
