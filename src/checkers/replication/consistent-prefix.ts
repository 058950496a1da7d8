/**
 * consistent-prefix / divergence (DDIA's consistent prefix reads: whoever reads a sequence of
 * writes sees them in the order they happened, never a later one without an earlier one).
 *
 * Two rules, per list key, both on ok reads only:
 * 1. `divergence`: all ok reads are prefixes of one order. They are exactly when every read is a
 *    prefix of the longest read, so each read is compared with that one, element by element
 *    (linear in the size of the history). A read that is not is divergent: it and the earliest read
 *    that holds the order's element at the position where they part ways show two incompatible
 *    orders (split brain, a replica that applied writes in another order, a rolled-back branch).
 *    Divergent reads that part from the order at the same position with the same element are one
 *    anomaly (one branch), whose data counts the reads and names the nodes.
 * 2. `out-of-order`: that one order (and each divergent read) respects the order the writes
 *    happened in, as far as it is known: if a session's append a got ok before the same session
 *    invoked append b, a read that holds b holds a, before b (write-order.ts, near-linear; the same
 *    pairs monotonic-writes reports under its own name).
 *
 * What it does not check: writes of different sessions have no known order here unless one read
 * the other first, and that causal order (a session read a, then appended b) is writes-follow-reads'
 * rule; orders across keys are not observable with single-key reads; a read that is a prefix of the
 * order but shorter than an earlier read of the same session is monotonic-reads'.
 *
 * Outcomes: append outcomes do not matter to rule 1 (lost-writes judges elements); in rule 2 a
 * failed append constrains nothing and an info one is never required before another. Register keys
 * are consistent prefixes by construction (one writer, increasing values: a read of v holds every
 * version up to v) and are not checked; a register value nobody wrote is lost-writes' business.
 *
 * Anomalies: `divergence`: witness = the two reads; `out-of-order`: witness = appends a, b and the
 * read. Verdict unknown when no list key was read twice and no read showed an append that followed
 * an acknowledged one of its session.
 */
import { identity } from '../../history/identity.js';
import { fmtValue, type Op } from '../../history/op.js';
import type { CheckOptions, Verdict } from '../types.js';
import { AnomalyLog } from './anomaly-log.js';
import { coverers, keyedHistory, type ReadRec } from './keyed.js';
import { fmtKey, fmtList, fromNode, plural, when, who, witness } from './say.js';
import { Budget, verdictOf } from './verdict.js';
import { describeOrderViolation, writeOrderViolations } from './write-order.js';

const NOT_CHECKED =
  'the causal order through reads (a session read a, then appended b: writes-follow-reads checks it); ' +
  'the order of writes by different sessions with no read between them (unknown to the history); orders across keys (not observable with single-key reads)';

export function checkConsistentPrefix(history: readonly Op[], opts: CheckOptions = {}): Verdict {
  const kh = keyedHistory(history, opts.keyed);
  const log = new AnomalyLog();
  const budget = new Budget('consistent-prefix', opts);
  let keysChecked = 0;
  let readsChecked = 0;
  let divergentReads = 0;
  let orderPairsChecked = 0;
  for (const kd of kh.keys) {
    if (kd.kind !== 'list') continue;
    const wo = writeOrderViolations(kd, budget);
    orderPairsChecked += wo.checked;
    for (const v of wo.found) {
      log.add({
        kind: 'out-of-order',
        ops: witness(v.a.pair, v.b.pair, v.x.pair),
        explanation: `key ${fmtKey(kd.key)} was read out of the order its writes happened in: ${describeOrderViolation(v)}`,
        data: { key: kd.key, first: v.a.elem, second: v.b.elem, node: v.x.pair.node, session: v.a.pair.session },
      });
    }
    if (kd.reads.length < 2) continue;
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
        explanation:
          `key ${k} diverged: ${who(c.pair)} read it${fromNode(c.pair)} at ${when(c.pair.invoke)} and got ${fmtList(c.list!)}, ` +
          `${who(d.pair)} read it${fromNode(d.pair)} at ${when(d.pair.invoke)} and got ${fmtList(d.list!)}; ${agree}, ` +
          `then one has ${fmtValue(kd.order[d.fork])} and the other ${fmtValue(d.list![d.fork])}, so no single order explains both${more}`,
        data: { key: kd.key, position: d.fork, nodes: [c.pair.node, ...b.nodes], reads: b.reads },
      });
    }
  }
  return verdictOf(
    log,
    keysChecked + orderPairsChecked,
    'no list key was read twice and no read showed an append that followed an acknowledged append of its session, ' +
      'so there was nothing whose order could disagree',
    {
      keysChecked,
      readsChecked,
      divergentReads,
      orderPairsChecked,
      notChecked: NOT_CHECKED,
      keys: kh.keys.length,
      ignored: kh.ignored,
      skippedKeys: kh.skipped.length,
    },
    budget,
  );
}
