/**
 * conflicts: acknowledged writes that conflict resolution threw away (issue 16; multi-leader and
 * leaderless stores, histories whose writes carry the node that took them).
 *
 * Per key, against its final reads (node-reads.ts: ok reads invoked after the final heal and after
 * the key's last write, from every node):
 *
 * - Register keys (`write [k, v]`): an ok write of v, taken by node A, is `lww-lost` when no final
 *   read shows v, a write taken by another node B whose interval overlapped it (concurrent) wrote a
 *   value a final read shows, no later write on A (invoked after v's completed) explains v's
 *   disappearance, and no write invoked after v's completed wrote a value a final read shows (that
 *   would be a sequential overwrite, not a conflict). Values written more than once to a key, and
 *   writes without a node, are not judged (counted in stats).
 * - List keys (`append [k, e]`): an ok append of e that no final read of any node holds is
 *   `lost-append`; its witness names a concurrent append on another node that the final reads hold,
 *   when there is one (the conflict that likely displaced it).
 *
 * Info and fail writes are never acknowledged: never judged lost (an info write may be the winner
 * of a conflict; a failed one did not happen). Verdict: false on any anomaly; unknown when the
 * faults never healed, or when no acknowledged write could be judged against final reads; else true.
 */
import { fmtTime, fmtValue, type Op } from '../../history/op.js';
import { PrefixList } from '../../history/prefix-list.js';
import type { CheckOptions, Verdict } from '../types.js';
import { AnomalyLog } from './anomaly-log.js';
import { canonText, concurrent, finalReads, nodeHistory, span, type KeyOps, type NodeRead, type NodeWrite } from './node-reads.js';
import { fmtKey, fmtSome, witness } from './say.js';
import { verdictOf } from './verdict.js';
import { faultTimeline, healProblemText } from './windows.js';

interface Tally {
  judged: number;
  lost: number;
  duplicateValues: number;
  nodeless: number;
  keysWithoutFinalReads: number;
}

export function checkConflicts(history: readonly Op[], opts: CheckOptions = {}): Verdict {
  const tl = faultTimeline(history);
  const nh = nodeHistory(history, opts.keyed);
  const why = healProblemText(tl);
  if (why) {
    return {
      valid: 'unknown',
      anomalies: [],
      cause: `${why}, so no final read after a heal decides which writes were kept`,
      stats: { keys: nh.keys.length, ignored: nh.ignored },
    };
  }
  const log = new AnomalyLog();
  const t: Tally = { judged: 0, lost: 0, duplicateValues: 0, nodeless: 0, keysWithoutFinalReads: 0 };
  for (const k of nh.keys) {
    const acked = k.writes.filter((w) => w.pair.type === 'ok');
    if (acked.length === 0) continue;
    const fr = finalReads(k, tl);
    if (fr.length === 0) {
      t.keysWithoutFinalReads++;
      continue;
    }
    if (k.kind === 'list') lists(k, fr, log, t);
    else registers(k, fr, log, t);
  }
  return verdictOf(
    log,
    t.judged,
    'no acknowledged write has a key with final reads (after the final heal and its last write), so none could be judged kept or discarded',
    { keys: nh.keys.length, ...t, ignored: nh.ignored },
  );
}

/** "process 3 wrote 5 to key 2 on n1" */
function did(w: NodeWrite, key: string, verb: string): string {
  return `process ${String(w.pair.process)} ${verb} ${fmtValue(w.x)} to key ${key}${w.pair.node === undefined ? '' : ` on ${w.pair.node}`}`;
}

/** "every final read shows 9" / "the final reads show 9 (n2) and 4 (n3)" */
function finalSay(fr: NodeRead[]): string {
  const byText = new Map<string, { value: unknown; nodes: Set<string> }>();
  for (const r of fr) {
    let e = byText.get(r.text);
    if (!e) byText.set(r.text, (e = { value: r.value, nodes: new Set() }));
    if (r.pair.node !== undefined) e.nodes.add(r.pair.node);
  }
  const es = [...byText.values()];
  if (es.length === 1) return `every final read shows ${fmtValue(es[0]!.value)}`;
  return `the final reads show ${es.map((e) => `${fmtValue(e.value)}${e.nodes.size > 0 ? ` (${fmtSome([...e.nodes].sort()).replace(/"/g, '')})` : ''}`).join(' and ')}`;
}

function registers(k: KeyOps, fr: NodeRead[], log: AnomalyLog, t: Tally): void {
  const key = fmtKey(k.key);
  const finalTexts = new Set(fr.map((r) => r.text));
  const count = new Map<string, number>();
  for (const w of k.writes) if (w.pair.type !== 'fail') count.set(w.text, (count.get(w.text) ?? 0) + 1);
  const live = k.writes.filter((w) => w.pair.type !== 'fail');
  for (const w of k.writes) {
    if (w.pair.type !== 'ok') continue;
    if (count.get(w.text)! > 1) {
      t.duplicateValues++;
      continue;
    }
    if (w.pair.node === undefined) {
      t.nodeless++;
      continue;
    }
    t.judged++;
    if (finalTexts.has(w.text)) continue;
    const done = w.pair.complete!.index;
    const later = live.filter((y) => y.pair.invoke.index > done);
    // A later write on the same node, or a later write of a final value: a sequential overwrite.
    if (later.some((y) => y.pair.node === w.pair.node || finalTexts.has(y.text))) continue;
    const winner = live.find(
      (x) => x !== w && x.pair.node !== undefined && x.pair.node !== w.pair.node && finalTexts.has(x.text) && concurrent(w.pair, x.pair),
    );
    if (!winner) continue;
    t.lost++;
    log.add({
      kind: 'lww-lost',
      ops: witness(w.pair, winner.pair),
      explanation:
        `${did(w, key, 'wrote')} (ok at ${fmtTime(w.pair.complete!.time)}); ${did(winner, key, 'wrote')}, concurrently (${span(winner.pair)}); ` +
        `${finalSay(fr)}: the write of ${fmtValue(w.x)} was discarded: the concurrent write on another node won (last-write-wins or the database's own conflict rule)`,
      data: {
        key: k.key,
        value: w.x,
        node: w.pair.node,
        winner: winner.x,
        winnerNode: winner.pair.node,
        lostOkAtMs: w.pair.complete!.time / 1e6,
        winnerMs: [winner.pair.invoke.time / 1e6, winner.pair.type === 'info' ? null : winner.pair.complete!.time / 1e6],
      },
    });
  }
}

function lists(k: KeyOps, fr: NodeRead[], log: AnomalyLog, t: Tally): void {
  const key = fmtKey(k.key);
  const held = new Set<string>();
  // Every element some final read holds. Reads that are prefixes of the key's shared list (PrefixList) hold
  // the elements of the longest of them: only that one is walked.
  const longest = new Map<readonly unknown[], PrefixList>();
  for (const r of fr) {
    if (r.raw instanceof PrefixList) {
      const at = longest.get(r.raw.base);
      if (!at || r.raw.n > at.n) longest.set(r.raw.base, r.raw);
    } else if (Array.isArray(r.raw)) for (const e of r.raw) held.add(canonText(e));
  }
  for (const p of longest.values()) for (let i = 0; i < p.n; i++) held.add(canonText(p.base[i]));
  const nodes = [...new Set(fr.map((r) => r.pair.node).filter((n): n is string => n !== undefined))].sort();
  // Witness reads: each node's last final read (one read when none carries a node).
  const lastOf = new Map<string | undefined, NodeRead>();
  for (const r of fr) lastOf.set(r.pair.node, r);
  const shown = [...lastOf.values()].map((r) => r.pair);
  for (const w of k.writes) {
    if (w.pair.type !== 'ok' || w.pair.f !== 'append') continue;
    t.judged++;
    if (held.has(w.text)) continue;
    t.lost++;
    const rival = k.writes.find(
      (x) => x !== w && x.pair.type !== 'fail' && x.pair.node !== undefined && x.pair.node !== w.pair.node && held.has(x.text) && concurrent(w.pair, x.pair),
    );
    const where = nodes.length > 0 ? `the final reads of ${nodes.join(', ')}` : 'every final read';
    log.add({
      kind: 'lost-append',
      ops: witness(w.pair, rival?.pair, ...shown),
      explanation:
        `${did(w, key, 'appended')} (ok at ${fmtTime(w.pair.complete!.time)})` +
        (rival ? `; ${did(rival, key, 'appended')}, concurrently (${span(rival.pair)})` : '') +
        `; ${where} lack ${fmtValue(w.x)}${rival ? ` but hold ${fmtValue(rival.x)}` : ''}: the acknowledged append vanished`,
      data: {
        key: k.key,
        element: w.x,
        node: w.pair.node ?? null,
        okAtMs: w.pair.complete!.time / 1e6,
        ...(rival ? { rival: rival.x, rivalNode: rival.pair.node } : {}),
        finalNodes: nodes,
      },
    });
  }
}
