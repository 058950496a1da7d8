/**
 * bank: Jepsen's bank checker. `transfer {from, to, amount}` moves money between accounts; `read`
 * returns every balance, a map account -> balance.
 *
 * Rule, for every ok read (Jepsen's order; the first that applies is reported):
 *   `unexpected-account` a key outside opts.accounts (only when opts.accounts is given);
 *   `nil-balance`        a balance that is not a number;
 *   `wrong-total`        balances that do not add up to opts.total, or, without it, to the total
 *                        of the first complete read (transfers conserve money, so every read must
 *                        agree; the witness then holds both reads);
 *   `negative-balance`   a balance below 0, unless opts.negativeBalances is true.
 * Transfers themselves are not checked (fail, info and ok transfers all conserve the total); only
 * reads are evidence. A history with no completed read is valid as in Jepsen and says so in
 * stats.note; the stats checker turns such a run into unknown.
 */
import { addExact } from '../../history/exact.js';
import { fmtValue, type Op } from '../../history/op.js';
import type { OpPair } from '../../history/pairs.js';
import type { CheckOptions, Verdict } from '../types.js';
import { AnomalyLog } from './anomaly-log.js';
import { pairsOf } from './pairs-cache.js';
import { at, fromNode, who, witness } from './say.js';

export function checkBank(history: readonly Op[], opts: CheckOptions = {}): Verdict {
  const log = new AnomalyLog();
  const given = typeof opts.total === 'number' ? opts.total : undefined;
  const accounts = Array.isArray(opts.accounts) ? new Set(opts.accounts.map((a) => String(a))) : undefined;
  const negativeOk = opts.negativeBalances === true;
  let ref: { total: number | bigint; p: OpPair } | undefined;
  let reads = 0;
  const transfers = { ok: 0, fail: 0, info: 0 };
  const ignored: Record<string, number> = {};
  for (const p of pairsOf(history)) {
    if (p.f === 'transfer' && isTransfer(p.value)) {
      transfers[p.type]++;
      continue;
    }
    if (p.f !== 'read') {
      ignored[p.f] = (ignored[p.f] ?? 0) + 1;
      continue;
    }
    if (p.type !== 'ok') continue;
    const v = p.value;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      ignored.read = (ignored.read ?? 0) + 1;
      continue;
    }
    reads++;
    const balances = Object.entries(v as Record<string, unknown>);
    const read = `${who(p)} read the balances${fromNode(p)} at ${at(p.invoke)}`;
    const bad = accounts && balances.find(([k]) => !accounts.has(k));
    if (bad) {
      log.add({
        kind: 'unexpected-account',
        ops: witness(p),
        explanation: `${read} and got account ${fmtValue(bad[0])}, which is not one of the test's accounts`,
        data: { account: bad[0] },
      });
      continue;
    }
    const nil = balances.find(([, b]) => typeof b !== 'bigint' && (typeof b !== 'number' || !Number.isFinite(b)));
    if (nil) {
      log.add({
        kind: 'nil-balance',
        ops: witness(p),
        explanation: `${read} and got ${fmtValue(nil[1])} as the balance of account ${nil[0]}`,
        data: { account: nil[0] },
      });
      continue;
    }
    // Exact (exact.ts): canonical, so equal totals are === whatever their size.
    let total: number | bigint = 0;
    for (const [, b] of balances) total = addExact(total, b as number | bigint);
    const expect = given ?? ref?.total;
    if (expect === undefined) ref = { total, p };
    else if (total !== expect) {
      const against =
        given !== undefined ? `the total must be ${given}` : `the total must stay ${ref!.total}, what ${who(ref!.p)} read at ${at(ref!.p.invoke)}`;
      log.add({
        kind: 'wrong-total',
        ops: given !== undefined ? witness(p) : witness(ref!.p, p),
        explanation: `${read} and they add up to ${total}, but ${against}`,
        data: { total, expected: expect, balances: v },
      });
      continue;
    }
    const neg = negativeOk ? undefined : balances.find(([, b]) => (b as number) < 0);
    if (neg)
      log.add({
        kind: 'negative-balance',
        ops: witness(p),
        explanation: `${read} and account ${neg[0]} had ${fmtValue(neg[1])}, below zero`,
        data: { account: neg[0], balance: neg[1] },
      });
  }
  const stats: Record<string, unknown> = { reads, transfers, total: given ?? ref?.total ?? null, ignored, anomalies: log.counts };
  if (reads === 0) stats.note = 'no read completed: no balance was checked';
  if (log.total > 0) return { valid: false, anomalies: log.list, stats };
  if (reads === 0 && transfers.ok + transfers.fail + transfers.info === 0)
    return { valid: 'unknown', anomalies: [], cause: 'the history has no bank transfers or reads', stats };
  return { valid: true, anomalies: [], stats };
}

function isTransfer(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const t = v as Record<string, unknown>;
  return t.from !== undefined && t.to !== undefined && (typeof t.amount === 'number' || typeof t.amount === 'bigint');
}
