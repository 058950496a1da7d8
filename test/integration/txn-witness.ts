import type { Op } from '../../src/history/op.js';

// Anomalies read straight off a stored history, without the txn checkers: the integration tests assert both
// that the workload really provoked the anomaly (these) and that the checker names it.

type Mop = [string, unknown, unknown];
const committed = (h: readonly Op[]) => h.filter((o) => o.type === 'ok' && o.f === 'txn').map((o) => o.value as Mop[]);

/**
 * Write skew in a list-append history: committed T1 and T2 where T1 appended to a and read b without T2's
 * append, and T2 appended to b and read a without T1's append (two rw edges: a G2-item cycle). Returns one pair.
 */
export function writeSkew(h: readonly Op[]): [Mop[], Mop[]] | undefined {
  const txns = committed(h);
  const appendersOf = new Map<unknown, [Mop[], unknown][]>();
  for (const t of txns) for (const [f, k, v] of t) if (f === 'append') (appendersOf.get(k) ?? appendersOf.set(k, []).get(k)!).push([t, v]);
  const readOf = (t: Mop[], k: unknown) => t.find(([f, key]) => f === 'r' && key === k)?.[2];
  for (const t1 of txns)
    for (const [f1, a, v1] of t1) {
      if (f1 !== 'append') continue;
      for (const [g, b, seen] of t1) {
        if (g !== 'r' || b === a || !Array.isArray(seen)) continue;
        for (const [t2, v2] of appendersOf.get(b) ?? []) {
          if (t2 === t1 || seen.includes(v2)) continue;
          const ra = readOf(t2, a);
          if (Array.isArray(ra) && !ra.includes(v1)) return [t1, t2];
        }
      }
    }
  return undefined;
}

/**
 * Lost updates in an rw-register history: committed txns that read the same version of a key (before writing
 * it themselves: an external read) and both wrote it.
 */
export function lostUpdates(h: readonly Op[]): [Mop[], Mop[]][] {
  const firstReader = new Map<string, Mop[]>();
  const out: [Mop[], Mop[]][] = [];
  for (const t of committed(h))
    for (const [i, [f, k, v]] of t.entries()) {
      if (f !== 'r' || t.slice(0, i).some(([g, key]) => g === 'w' && key === k) || !t.some(([g, key]) => g === 'w' && key === k)) continue;
      const id = JSON.stringify([k, v]);
      const other = firstReader.get(id);
      if (other) out.push([other, t]);
      else firstReader.set(id, t);
    }
  return out;
}

/** Completions of txns by type, and the errors of the failed ones (first 40 characters). */
export function txnOutcomes(h: readonly Op[]): { ok: number; fail: number; info: number; errors: Set<string> } {
  const out = { ok: 0, fail: 0, info: 0, errors: new Set<string>() };
  for (const o of h) {
    if (o.f !== 'txn' || o.type === 'invoke') continue;
    out[o.type as 'ok' | 'fail' | 'info']++;
    if (o.type === 'fail') out.errors.add(String(o.error).slice(0, 40));
  }
  return out;
}
