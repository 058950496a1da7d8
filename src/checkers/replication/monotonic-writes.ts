/**
 * monotonic-writes (Terry et al.'s session guarantee), as far as single-key reads can observe it.
 *
 * Rule: if a session's append a to key k got ok before the same session invoked append b to k,
 * then every read of k that holds b holds a, and holds it before b. Checked for every such pair,
 * not only b and the session's latest append before it: a session whose ops overlap (several
 * processes) need not order its appends in one chain. Appends that overlap impose nothing on each
 * other. The check is write-order.ts (shared with consistent-prefix), near-linear.
 *
 * What is not observable, and so not checked: the order of writes to different keys (no read shows
 * two keys) and register keys (a single writer with increasing values orders its versions by
 * construction). Fail appends did not happen and constrain nothing; an info append a may never
 * have happened, so it is never required before b; an info b that shows up took effect, after a.
 *
 * Anomaly: `monotonic-writes`, one per b: witness = appends a and b and the read that holds b
 * without a (or with b before a). Verdict unknown when no read showed the second of two such
 * appends.
 */
import type { Op } from '../../history/op.js';
import type { CheckOptions, Verdict } from '../types.js';
import { AnomalyLog } from './anomaly-log.js';
import { keyedHistory } from './keyed.js';
import { witness } from './say.js';
import { Budget, verdictOf } from './verdict.js';
import { describeOrderViolation, writeOrderViolations } from './write-order.js';

export function checkMonotonicWrites(history: readonly Op[], opts: CheckOptions = {}): Verdict {
  const kh = keyedHistory(history, opts.keyed);
  const log = new AnomalyLog();
  const budget = new Budget('monotonic-writes', opts);
  let checked = 0;
  let registerKeys = 0;
  for (const kd of kh.keys) {
    if (kd.kind === 'register') {
      registerKeys++;
      continue;
    }
    const r = writeOrderViolations(kd, budget);
    checked += r.checked;
    for (const v of r.found) {
      log.add({
        kind: 'monotonic-writes',
        ops: witness(v.a.pair, v.b.pair, v.x.pair),
        explanation: describeOrderViolation(v),
        data: { key: kd.key, first: v.a.elem, second: v.b.elem, node: v.x.pair.node, session: v.a.pair.session },
      });
    }
  }
  return verdictOf(
    log,
    checked,
    'no read showed an append that followed an acknowledged append of the same session to the same key, so monotonic writes were never exercised',
    { pairsChecked: checked, keys: kh.keys.length, registerKeysNotObservable: registerKeys, ignored: kh.ignored, skippedKeys: kh.skipped.length },
    budget,
  );
}
