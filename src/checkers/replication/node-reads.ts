/**
 * Per key: the writes and the ok reads of a history whose reads carry the node that answered them,
 * and the key's final reads, for the convergence and conflicts checkers (issue 16).
 *
 * Keys: `[k, x]` values when the history reads as keyed (isKeyed, `--keyed`), else one key (nil)
 * holding every value whole. A key is a list key when it has appends or a read returned a list,
 * else a register key.
 *
 * Final reads of a key: its ok reads invoked after the final heal (any time without fault windows)
 * and after the last op (invocation or completion) of any write or append to it, so that they see
 * a quiet key: reads racing a write may differ for no fault of the replicas.
 */
import { stringifyExact } from '../../history/exact.js';
import type { Op } from '../../history/op.js';
import type { OpPair } from '../../history/pairs.js';
import { PrefixList } from '../../history/prefix-list.js';
import type { KeyedMode } from '../types.js';
import { isKeyed } from './keyed.js';
import { pairsOf } from './pairs-cache.js';
import { isKeyedValue, type Prim } from './shapes.js';
import type { FaultTimeline } from './windows.js';

/**
 * One ok read: the value as loaded (a whole-list read may be a PrefixList of its key's shared list, when the
 * loader compacted reads: src/history/prefix-list.ts) and the canonical text two reads agree by. `value` makes
 * an array of a PrefixList on demand: only reads that end up in an anomaly or a sentence pay for a copy.
 */
export class NodeRead {
  constructor(
    readonly pair: OpPair,
    readonly raw: unknown,
    /** Canonical text of the value: two reads agree when their texts are equal. */
    readonly text: string,
  ) {}

  /** The value read (a list as an array). */
  get value(): unknown {
    return this.raw instanceof PrefixList ? this.raw.toArray() : this.raw;
  }
}

export interface NodeWrite {
  pair: OpPair;
  /** The value written or the element appended. */
  x: unknown;
  text: string;
}

export interface KeyOps {
  key: Prim | null;
  kind: 'list' | 'register';
  writes: NodeWrite[];
  reads: NodeRead[];
  /** Index of the last op of any write or append to the key; -1 without any. */
  lastWriteIndex: number;
  lastWriteTime: number;
}

export interface NodeHistory {
  keys: KeyOps[];
  /** Ops of another shape, per f. */
  ignored: Record<string, number>;
}

export function canonText(v: unknown): string {
  const x = v instanceof PrefixList ? v.toArray() : v === undefined ? null : v;
  return stringifyExact(x) ?? String(x);
}

/**
 * canonText of reads, with one text per distinct prefix of a shared list (a key's reads repeat few distinct
 * prefixes, each many times): the same texts as canonText, without a string per read.
 */
class ReadTexts {
  private readonly prefixes = new WeakMap<readonly unknown[], Map<number, string>>();

  of(v: unknown): string {
    if (!(v instanceof PrefixList)) return canonText(v);
    let byN = this.prefixes.get(v.base);
    if (!byN) this.prefixes.set(v.base, (byN = new Map()));
    let t = byN.get(v.n);
    if (t === undefined) byN.set(v.n, (t = canonText(v)));
    return t;
  }
}

export function nodeHistory(history: readonly Op[], mode: KeyedMode = 'auto'): NodeHistory {
  const isK = isKeyed(history, mode);
  const texts = new ReadTexts();
  const byKey = new Map<Prim | null, KeyOps>();
  const ignored: Record<string, number> = {};
  const get = (key: Prim | null): KeyOps => {
    let k = byKey.get(key);
    if (!k) byKey.set(key, (k = { key, kind: 'register', writes: [], reads: [], lastWriteIndex: -1, lastWriteTime: 0 }));
    return k;
  };
  for (const p of pairsOf(history)) {
    const isWrite = p.f === 'write' || p.f === 'append';
    if (!isWrite && p.f !== 'read') {
      ignored[p.f] = (ignored[p.f] ?? 0) + 1;
      continue;
    }
    // A write's value is its invocation's (Jepsen's rule); a read's is its ok completion's.
    const v = isWrite ? p.invoke.value : p.value;
    if (isK && !isKeyedValue(v)) {
      ignored[p.f] = (ignored[p.f] ?? 0) + 1;
      continue;
    }
    const key = isK ? (v as [Prim, unknown])[0] : null;
    const x = isK ? (v as [Prim, unknown])[1] : v;
    if (isWrite) {
      const k = get(key);
      if (p.f === 'append') k.kind = 'list';
      k.writes.push({ pair: p, x, text: canonText(x) });
      const last = p.complete ?? p.invoke;
      if (last.index > k.lastWriteIndex) {
        k.lastWriteIndex = last.index;
        k.lastWriteTime = last.time;
      }
    } else if (p.type === 'ok') {
      const k = get(key);
      const raw = x === undefined ? null : x;
      if (Array.isArray(raw) || raw instanceof PrefixList) k.kind = 'list';
      k.reads.push(new NodeRead(p, raw, texts.of(raw)));
    }
  }
  return { keys: [...byKey.values()], ignored };
}

/** Where the quiet period of a key starts: the later of the final heal and the key's last write. */
export function quietStart(k: KeyOps, tl: FaultTimeline): { index: number; time: number; by: 'heal' | 'write' | 'start' } {
  const h = tl.finalHeal;
  const heal = typeof h === 'object' ? h : undefined;
  if (heal && heal.index >= k.lastWriteIndex) return { index: heal.index, time: heal.time, by: 'heal' };
  if (k.lastWriteIndex >= 0) return { index: k.lastWriteIndex, time: k.lastWriteTime, by: 'write' };
  return { index: -1, time: 0, by: 'start' };
}

/** The key's final reads (see the header), in completion order. Call only when the faults healed. */
export function finalReads(k: KeyOps, tl: FaultTimeline): NodeRead[] {
  const from = quietStart(k, tl).index;
  return k.reads.filter((r) => r.pair.invoke.index > from).sort((a, b) => a.pair.complete!.index - b.pair.complete!.index);
}

/** "0.100-1.350 s", or "0.100 s-never completed" for an op with no completion. */
export function span(p: OpPair): string {
  const s = (p.invoke.time / 1e9).toFixed(3);
  return p.complete && p.type !== 'info' ? `${s}-${(p.complete.time / 1e9).toFixed(3)} s` : `${s} s, never completed`;
}

/** Did the two ops' intervals overlap (by history position; an info op never ends)? */
export function concurrent(a: OpPair, b: OpPair): boolean {
  const aEnd = a.type === 'info' ? Infinity : a.complete!.index;
  const bEnd = b.type === 'info' ? Infinity : b.complete!.index;
  return a.invoke.index < bEnd && b.invoke.index < aEnd;
}
