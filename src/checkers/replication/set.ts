/**
 * set: Jepsen's set checker: adds, then one final read of the whole set decides.
 *
 * The final read is the last ok read (by completion); with fault windows it must have been invoked
 * after the final heal, else the verdict is unknown (as it is when the set was never read). Against
 * it: an ok add acknowledged before the final read was invoked and missing from it is `lost`; an
 * element nobody tried to add is `unexpected`; a failed add that is present is
 * `failed-write-visible` (Jepsen counts it as recovered; here fail means it did not happen); an
 * element present twice is `duplicated`. An info add that is present is recovered, one that is
 * absent is not lost; an ok add acknowledged after the final read began is not judged (never-read).
 * Elements added more than once are skipped. Keyed sets (Jepsen's independent set, set-shape.ts):
 * each key on its own, its sentences prefixed "key k:"; false beats unknown beats true.
 */
import { fmtValue, type Op } from '../../history/op.js';
import { combineValidity, type CheckOptions, type Verdict } from '../types.js';
import { AnomalyLog } from './anomaly-log.js';
import { at, doneAt, fmtKey, fromNode, who, witness } from './say.js';
import { NO_KEYED_SET, setOps, type SetOps } from './set-shape.js';
import { verdictOf } from './verdict.js';
import { afterFinalHeal, faultTimeline, healProblemText, type FaultTimeline } from './windows.js';

export function checkSet(history: readonly Op[], opts: CheckOptions = {}): Verdict {
  const so = setOps(history, opts.keyed);
  const tl = faultTimeline(history);
  if (!so.keys) return checkOneSet(so, tl);
  // Jepsen's independent sets: each key on its own, then false beats unknown beats true.
  const vs = so.keys.map((x) => ({ key: x.key, v: checkOneSet(x.so, tl) }));
  const anomalies = vs.flatMap(({ key, v }) =>
    v.anomalies.map((a) => ({ ...a, explanation: `key ${fmtKey(key)}: ${a.explanation}`, data: { key, ...a.data } })),
  );
  const sum: Record<string, number> = {};
  for (const { v } of vs) for (const [k, n] of Object.entries(v.stats ?? {})) if (typeof n === 'number' && k !== 'finalRead') sum[k] = (sum[k] ?? 0) + n;
  const stats = { ...sum, shape: so.shape, keys: vs.length, ignored: so.ignored };
  const valid = combineValidity(vs.map(({ v }) => v.valid));
  if (vs.length === 0) return { valid: 'unknown', anomalies: [], cause: NO_KEYED_SET, stats };
  if (valid !== 'unknown') return { valid, anomalies, stats };
  const u = vs.filter(({ v }) => v.valid === 'unknown');
  return { valid, anomalies, stats, cause: `${u.length} of ${vs.length} keys could not be judged; key ${fmtKey(u[0]!.key)}: ${u[0]!.v.cause}` };
}

function checkOneSet(so: SetOps, tl: FaultTimeline): Verdict {
  const log = new AnomalyLog();
  let final = so.reads[0];
  for (const r of so.reads) if (r.pair.complete!.index > final!.pair.complete!.index) final = r;
  const base = { shape: so.shape, reads: so.reads.length, adds: so.adds.length, ambiguousElements: so.ambiguous.size, ignored: so.ignored };
  if (!final) return { valid: 'unknown', anomalies: [], cause: 'the set was never read', stats: base };
  if (!afterFinalHeal(tl, final.pair.invoke.index)) {
    const why = healProblemText(tl) ?? 'the last read began before the final heal';
    return { valid: 'unknown', anomalies: [], cause: `${why}, so no final read after the heal decides which adds were lost`, stats: base };
  }
  const present = new Map<unknown, number>();
  for (const e of final.elems) present.set(e, (present.get(e) ?? 0) + 1);
  const attempted = new Set<unknown>(so.ambiguous);
  const t = { ok: 0, lost: 0, recovered: 0, infoAbsent: 0, failedAbsent: 0, failedVisible: 0, neverRead: 0, unexpected: 0, duplicated: 0 };
  const lost: typeof so.adds = [];
  const fin = final.pair;
  for (const a of so.adds) {
    attempted.add(a.elem);
    const has = present.has(a.elem);
    if (a.pair.type === 'fail') {
      if (!has) {
        t.failedAbsent++;
        continue;
      }
      t.failedVisible++;
      log.add({
        kind: 'failed-write-visible',
        ops: witness(a.pair, fin),
        explanation:
          `${who(a.pair)} added ${fmtValue(a.elem)} and got fail at ${doneAt(a.pair)} (the database said it did not happen), ` +
          `yet the final read by ${who(fin)}${fromNode(fin)} at ${at(fin.invoke)} has it`,
        data: { element: a.elem },
      });
    } else if (a.pair.type === 'info') {
      if (has) t.recovered++;
      else t.infoAbsent++;
    } else if (a.pair.complete!.index > fin.invoke.index) {
      t.neverRead++;
    } else if (has) t.ok++;
    else {
      t.lost++;
      lost.push(a);
    }
  }
  if (lost.length > 0) {
    const f = lost[0]!;
    const shown = lost.slice(0, 50);
    log.add({
      kind: 'lost',
      ops: witness(...shown.map((l) => l.pair), fin),
      explanation:
        lost.length === 1
          ? `${who(f.pair)} added ${fmtValue(f.elem)} and got ok at ${doneAt(f.pair)}, but the final read by ${who(fin)}${fromNode(fin)} at ` +
            `${at(fin.invoke)} does not have it`
          : `${lost.length} acknowledged adds are missing from the final read by ${who(fin)}${fromNode(fin)} at ${at(fin.invoke)}: ${lost
              .slice(0, 5)
              .map((l) => fmtValue(l.elem))
              .join(
                ', ',
              )}${lost.length > 5 ? ` and ${lost.length - 5} more` : ''}; the first: ${who(f.pair)} added ${fmtValue(f.elem)} and got ok at ${doneAt(f.pair)}`,
      data: { lost: lost.length, elements: shown.map((l) => l.elem) },
    });
  }
  const unexpected = [...present.keys()].filter((e) => !attempted.has(e));
  t.unexpected = unexpected.length;
  if (unexpected.length > 0) {
    log.add({
      kind: 'unexpected',
      ops: witness(fin),
      explanation:
        `the final read by ${who(fin)}${fromNode(fin)} at ${at(fin.invoke)} has ${unexpected.length === 1 ? 'an element' : `${unexpected.length} elements`} ` +
        `nobody added: ${unexpected
          .slice(0, 5)
          .map((e) => fmtValue(e))
          .join(', ')}${unexpected.length > 5 ? ', ...' : ''}`,
      data: { elements: unexpected.slice(0, 50), count: unexpected.length },
    });
  }
  const dups = [...present].filter(([, c]) => c > 1).map(([e]) => e);
  t.duplicated = dups.length;
  if (dups.length > 0) {
    log.add({
      kind: 'duplicated',
      ops: witness(fin),
      explanation: `the final read by ${who(fin)}${fromNode(fin)} at ${at(fin.invoke)} has ${dups
        .slice(0, 5)
        .map((e) => fmtValue(e))
        .join(', ')} more than once`,
      data: { elements: dups.slice(0, 50) },
    });
  }
  return verdictOf(log, t.ok + t.lost, 'no add was acknowledged before the final read began, so none could be lost', {
    ...base,
    ...t,
    finalRead: fin.invoke.index,
  });
}
