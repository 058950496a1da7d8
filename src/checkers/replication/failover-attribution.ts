import type { Op } from '../../history/op.js';
import type { Anomaly } from '../types.js';
import type { LostWrite } from './fates.js';
import { when } from './say.js';

/**
 * Failover attribution: lost acknowledged writes that faultline's own failover lost.
 *
 * Rule. A start-failover completion carries what the failover saw and decided (src/adapters/
 * failover-choice.ts: policy, chosen, positions, unanswered, required, heard, quorum, decision). One
 * that promoted a standby without the quorum that shows it holds every acknowledged write (quorum
 * false: the naive-failover policy) is faultline's decision. When a `lost` anomaly has writes
 * acknowledged (or seen) before that failover completed, and its final reads come after it, the
 * anomaly's explanation gains a sentence saying so, its witness gains the failover op, and its data a
 * `failover` entry. Failovers under async replication (quorum null: no standby is promised anything)
 * and those that heard from enough standbys are not blamed. Histories without the record: nothing added.
 */
export interface UnsafeFailover {
  invoke: Op;
  complete: Op;
  chosen: string;
  unanswered: string[];
  policy: string;
  sync: string;
  required: number;
  heard: number;
}

interface Record_ {
  policy?: string;
  chosen?: string | null;
  unanswered?: string[];
  decision?: string;
  quorum?: boolean | null;
  sync?: string;
  required?: number | null;
  heard?: number;
}

/** start-failover actions that promoted without their quorum, in history order. */
export function unsafeFailovers(history: readonly Op[]): UnsafeFailover[] {
  const out: UnsafeFailover[] = [];
  let open: Op | undefined;
  for (const op of history) {
    if (op.process !== 'nemesis' || op.f !== 'start-failover') continue;
    if (op.type === 'invoke') {
      open = op;
      continue;
    }
    const v = (op.value ?? {}) as Record_;
    if (v.decision === 'promoted' && v.quorum === false && typeof v.chosen === 'string') {
      out.push({
        invoke: open ?? op,
        complete: op,
        chosen: v.chosen,
        unanswered: v.unanswered ?? [],
        policy: v.policy ?? '?',
        sync: v.sync ?? '?',
        required: v.required ?? 0,
        heard: v.heard ?? 0,
      });
    }
    open = undefined;
  }
  return out;
}

/** Adds the attribution to each `lost` anomaly an unsafe failover explains (mutates `anomalies`). */
export function attributeFailovers(history: readonly Op[], anomalies: Anomaly[], lost: readonly LostWrite[]): void {
  const fos = unsafeFailovers(history);
  if (fos.length === 0) return;
  for (const a of anomalies) {
    if (a.kind !== 'lost') continue;
    const label = (a.data as { label?: string } | undefined)?.label;
    const mine = lost.filter((l) => l.label === label);
    const finalAt = Math.max(...a.ops);
    for (const fo of fos) {
      if (fo.complete.index >= finalAt) continue;
      const before = mine.filter((l) => l.knownIndex < fo.complete.index).length;
      if (before === 0) continue;
      const heardFrom = fo.unanswered.length ? `without hearing from ${fo.unanswered.join(', ')}` : 'without its quorum';
      const these =
        mine.length === 1
          ? 'this write was'
          : before === mine.length
            ? `these ${before} writes were`
            : `${before} of these writes ${before === 1 ? 'was' : 'were'}`;
      a.explanation += `. The failover at ${when(fo.invoke)} promoted ${fo.chosen} ${heardFrom} (${fo.policy === 'naive' ? 'naive-failover' : fo.policy} policy: ${fo.sync} needs ${fo.required} answers, it had ${fo.heard}); ${these} acknowledged before it and ${fo.chosen} did not hold ${before === 1 ? 'it' : 'them'}: a decision of faultline's, not a database fault`;
      a.ops = [...new Set([...a.ops, fo.invoke.index, fo.complete.index])].sort((x, y) => x - y);
      a.data = { ...a.data, failover: { at: fo.invoke.time, chosen: fo.chosen, unanswered: fo.unanswered, policy: fo.policy, writesBefore: before } };
      break;
    }
  }
}
