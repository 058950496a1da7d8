import { fmtValue } from '../../history/op.js';
import { byCompletion, type Budget } from './verdict.js';
import { coverers, sessionsOf, type KeyData, type ReadRec, type WriteRec } from './keyed.js';
import { doneWhen, fmtKey, fmtList, fromNode, thenWho, when, who } from './say.js';

/**
 * The order a session's appends to one key happened in, as single-key reads can observe it: if the
 * session's append a got ok before the same session invoked append b (ok, or info that shows up),
 * every read that holds b holds a, before b. Every such a, not only the latest: with overlapping
 * ops (a session of several processes) the acknowledged appends need not form one chain. Shared by
 * monotonic-writes (Terry et al.) and consistent-prefix (DDIA: writes are seen in the order they
 * happened).
 *
 * Fail appends did not happen and constrain nothing; an info append may never have happened, so it
 * is never required before b; elements appended twice prove nothing and are skipped. For each b,
 * A(b) = the session's ok appends completed before b was invoked is a prefix of those appends in
 * completion order, so the check is near-linear:
 * - prefix reads (holding the key's order up to their length): the reads that hold b hold exactly
 *   the order up to b, so each a must come before b in the order: one running maximum per session;
 * - divergent reads (rare), in one pass each: per session, the longest prefix of its acknowledged
 *   appends (completion order) all seen so far; b at position j needs A(b) inside it.
 */
export interface OrderViolation {
  /** Acknowledged before b was invoked, by the same session. */
  a: WriteRec;
  b: WriteRec;
  /** A read that holds b without a, or with b before a. */
  x: ReadRec;
}

interface Before {
  /** The session's acknowledged appends, completion order; A(b) = acked[0..k). */
  acked: WriteRec[];
  k: number;
  /** The a in A(b) furthest along the key's order (not in it at all counts as furthest). */
  far: WriteRec;
  farPos: number;
}

interface Result {
  found: OrderViolation[];
  checked: number;
}

// monotonic-writes and consistent-prefix ask the same question of the same key: answer it once.
const cache = new WeakMap<KeyData, Result>();

/** Violations, one per b at most, and how many (b, read) pairs were checked. Stops when the budget runs out. */
export function writeOrderViolations(kd: KeyData, budget: Budget): Result {
  const hit = cache.get(kd);
  if (hit) return hit;
  const r = compute(kd, budget);
  if (!budget.exhausted) cache.set(kd, r); // a partial answer is the caller's alone
  return r;
}

function compute(kd: KeyData, budget: Budget): Result {
  const found: OrderViolation[] = [];
  let checked = 0;
  if (kd.kind !== 'list') return { found, checked };
  const before = predecessors(kd);
  if (before.size === 0) return { found, checked };
  const reported = new Set<WriteRec>();
  const cover = coverers(kd);
  for (const [b, p] of before) {
    if (b.pos < 0) continue;
    checked++;
    if (p.farPos < b.pos) continue;
    reported.add(b);
    found.push({ a: p.far, b, x: cover[b.pos]! });
  }
  for (const x of kd.reads) {
    if (!x.div) continue;
    const list = x.list!;
    const at = x.at!;
    if (!budget.spend(list.length)) break;
    const seen = new Map<WriteRec[], number>(); // per session: acked[0..n) all held before position j
    for (let j = 0; j < list.length; j++) {
      const b = kd.writer.get(list[j]);
      const p = b && before.get(b);
      if (!p || reported.has(b)) continue;
      checked++;
      let n = seen.get(p.acked) ?? 0;
      for (; n < p.k; n++) {
        const i = at.get(p.acked[n]!.elem);
        if (i === undefined || i >= j) break;
      }
      seen.set(p.acked, n);
      if (n >= p.k) continue;
      reported.add(b);
      found.push({ a: p.acked[n]!, b, x });
    }
  }
  return { found, checked };
}

/** b -> what its session had acknowledged before b was invoked (only for b with some). */
function predecessors(kd: KeyData): Map<WriteRec, Before> {
  const out = new Map<WriteRec, Before>();
  for (const so of sessionsOf(kd).values()) {
    if (so.writes.length < 2) continue;
    const acked = byCompletion(so.writes.filter((w) => w.pair.type === 'ok' && !w.amb));
    if (acked.length === 0) continue;
    let k = 0;
    let far: WriteRec | undefined;
    let farPos = -1;
    for (const b of so.writes) {
      // invocation order
      for (; k < acked.length && acked[k]!.pair.complete!.index < b.pair.invoke.index; k++) {
        const a = acked[k]!;
        const pos = a.pos < 0 ? Infinity : a.pos;
        if (pos > farPos) {
          farPos = pos;
          far = a;
        }
      }
      if (k > 0 && b.pair.type !== 'fail' && !b.amb) out.set(b, { acked, k, far: far!, farPos });
    }
  }
  return out;
}

/** "process 0 appended 1 to key x and got ok at ..., then appended 2 at ..., but process 1 read ... with 2 but without 1". */
export function describeOrderViolation({ a, b, x }: OrderViolation): string {
  const k = fmtKey(a.kd.key);
  const ai = x.div ? x.at!.get(a.elem) : a.pos >= 0 && a.pos < x.n ? a.pos : undefined;
  const how = ai === undefined ? `with ${fmtValue(b.elem)} but without ${fmtValue(a.elem)}` : `with ${fmtValue(b.elem)} before ${fmtValue(a.elem)}`;
  return (
    `${who(a.pair)} appended ${fmtValue(a.elem)} to key ${k} and got ok at ${doneWhen(a.pair)}, ` +
    `then ${thenWho(b.pair, a.pair)}appended ${fmtValue(b.elem)} at ${when(b.pair.invoke)}, ` +
    `but ${who(x.pair)} read key ${k}${fromNode(x.pair)} at ${when(x.pair.invoke)} and got ${fmtList(x.list!)}, ${how}`
  );
}
