/**
 * consistent-prefix / divergence.
 *
 * Rule: all ok reads of a list key are prefixes of one order. They are exactly when every read is a
 * prefix of the longest read, so each read is compared with that one, element by element (linear
 * in the size of the history). A read that is not is divergent: it and the earliest read that holds
 * the order's element at the position where they part ways show two incompatible orders (split
 * brain, a replica that applied writes in another order, a rolled-back branch). Divergent reads
 * that part from the order at the same position with the same element are one anomaly (one
 * branch), whose data counts the reads and names the nodes.
 *
 * Outcomes: only ok reads are evidence; append outcomes do not matter here (lost-writes judges
 * elements). Register keys are consistent prefixes by construction (a read of v holds every
 * version up to v) and are not checked; a register value nobody wrote is lost-writes' business.
 *
 * Anomaly: `divergence`: witness = the two reads. Verdict unknown when no list key was read twice.
 */
import { identity } from '../../history/identity.js';
import { fmtValue, type Op } from '../../history/op.js';
import type { CheckOptions, Verdict } from '../types.js';
import { AnomalyLog } from './anomaly-log.js';
import { coverers, keyedHistory, type ReadRec } from './keyed.js';
import { at, fmtKey, fmtList, fromNode, plural, who, witness } from './say.js';
import { verdictOf } from './verdict.js';

export function checkConsistentPrefix(history: readonly Op[], _opts: CheckOptions = {}): Verdict {
  const kh = keyedHistory(history);
  const log = new AnomalyLog();
  let keysChecked = 0;
  let readsChecked = 0;
  let divergentReads = 0;
  for (const kd of kh.keys) {
    if (kd.kind !== 'list' || kd.reads.length < 2) continue;
    keysChecked++;
    readsChecked += kd.reads.length;
    const branches = new Map<string, { first: ReadRec; reads: number; nodes: Set<string> }>();
    for (const r of kd.reads) {
      if (!r.div) continue;
      divergentReads++;
      const id = `${r.fork}\u0000${identity(r.list![r.fork])}`;
      let b = branches.get(id);
      if (!b) branches.set(id, (b = { first: r, reads: 0, nodes: new Set() }));
      b.reads++;
      if (r.pair.node !== undefined) b.nodes.add(r.pair.node);
    }
    if (branches.size === 0) continue;
    const cover = coverers(kd);
    for (const b of branches.values()) {
      const d = b.first;
      const c = cover[d.fork]!;
      const k = fmtKey(kd.key);
      const agree = d.fork === 0 ? 'they differ from the first element' : `they agree on the first ${plural(d.fork, 'element')}`;
      const more = b.reads > 1 ? ` (${plural(b.reads - 1, 'more read')} followed that branch)` : '';
      log.add({
        kind: 'divergence',
        ops: witness(c.pair, d.pair),
        explanation: `key ${k} diverged: ${who(c.pair)} read it${fromNode(c.pair)} at ${at(c.pair.invoke)} and got ${fmtList(c.list!)}, ${who(d.pair)} read it${fromNode(d.pair)} at ${at(d.pair.invoke)} and got ${fmtList(d.list!)}; ${agree}, then one has ${fmtValue(kd.order[d.fork])} and the other ${fmtValue(d.list![d.fork])}, so no single order explains both${more}`,
        data: { key: kd.key, position: d.fork, nodes: [c.pair.node, ...b.nodes], reads: b.reads },
      });
    }
  }
  return verdictOf(log, keysChecked, 'no list key was read twice, so there were no two reads whose orders could disagree',
    { keysChecked, readsChecked, divergentReads, keys: kh.keys.length, ignored: kh.ignored, skippedKeys: kh.skipped.length });
}
