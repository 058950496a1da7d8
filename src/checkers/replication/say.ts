import { fmtTime, fmtValue, type Op } from '../../history/op.js';
import type { OpPair } from '../../history/pairs.js';

// Small pieces of the one-sentence explanations every anomaly carries.

/** "process 3", or "session "a" (process 3)" when the session is not the process. */
export function who(p: OpPair): string {
  return p.session === p.process ? `process ${String(p.process)}` : `session ${fmtValue(p.session)} (process ${String(p.process)})`;
}

/** A key as people write it: x, 7 ("x" only when it would read ambiguously: the string "7" is not the key 7). */
export function fmtKey(k: unknown): string {
  return typeof k === 'string' && /^[\w.:-]+$/.test(k) && !/^(nil|true|false|[-+]?[\d.].*)$/.test(k) ? k : fmtValue(k);
}

/** " from n2", or nothing when the op carries no node. */
export function fromNode(p: OpPair): string {
  return p.node === undefined ? '' : ` from ${p.node}`;
}

export function at(op: Op): string {
  return fmtTime(op.time);
}

/** Time of the completion, or of the invocation when there is none. */
export function doneAt(p: OpPair): string {
  return fmtTime((p.complete ?? p.invoke).time);
}

/** Witness indices of one op: its invocation and, when there is one, its completion. */
export function idx(p: OpPair): number[] {
  return p.complete ? [p.invoke.index, p.complete.index] : [p.invoke.index];
}

/** Witness indices of several ops, ascending and without repeats. */
export function witness(...ps: (OpPair | undefined)[]): number[] {
  const s = new Set<number>();
  for (const p of ps) if (p) for (const i of idx(p)) s.add(i);
  return [...s].sort((a, b) => a - b);
}

/** A list for a sentence: short lists whole, long ones by their length and last elements. */
export function fmtList(list: readonly unknown[], max = 6): string {
  if (list.length <= max) return fmtValue(list);
  const tail = list
    .slice(list.length - 3)
    .map((v) => fmtValue(v))
    .join(', ');
  return `[${list.length} elements, ending ..., ${tail}]`;
}

/** "7", "7 and 9", "7, 9 and 12", "7, 9, 12 and 30 more". */
export function fmtSome(xs: readonly unknown[], max = 5): string {
  const shown = xs.slice(0, max).map((v) => fmtValue(v));
  if (xs.length > max) return `${shown.join(', ')} and ${xs.length - max} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

export function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * When an event happened, with its history index so the order shows even where the times (ms)
 * tie: "0.004 s (op #6)".
 */
export function when(op: Op): string {
  return `${fmtTime(op.time)} (op #${op.index})`;
}

/** `when` of the completion, or of the invocation when there is none. */
export function doneWhen(p: OpPair): string {
  return when(p.complete ?? p.invoke);
}

/**
 * The subject of a later op of the same session, for "..., then <it>read ...": nothing when the
 * same process did both (the sentence's subject goes on), else "process 4 of the same session ".
 */
export function thenWho(later: OpPair, earlier: OpPair): string {
  return later.process === earlier.process ? '' : `process ${String(later.process)} of the same session `;
}
