import type { Op } from '../../history/op.js';
import type { OpPair } from '../../history/pairs.js';
import type { KeyedMode } from '../types.js';
import { interner, internAll } from './literal.js';
import { pairsOf } from './pairs-cache.js';
import { asList, isList, isPrim, keyed, type Prim } from './shapes.js';

/**
 * Jepsen's set workload: `add e` and `read` returning the whole set as one collection (nil reads
 * as empty). Which values are elements depends on the keyed mode (`--keyed`, CheckOptions.keyed):
 *
 *   plain    (auto, the usual shape) adds of a primitive e; reads invoked with nil returning a flat
 *            list of primitives. Reads invoked with a value (`[key, nil]`) are keyed reads of another
 *            workload and are ignored and counted, as are reads holding lists or maps.
 *   literal  (keyed no; and auto when no add is a primitive and the ok reads all return flat
 *            collections, not [k, collection]) Jepsen's own reading: the whole value of an add is the
 *            element and the whole value of an ok read is the collection, whatever their shape, so
 *            `add [0 1]` adds the vector [0 1], which a read of #{1 2} does not hold.
 *            Equal vectors and maps are one element (literal.ts).
 *   keyed    (keyed yes, and auto when adds are `[k, e]` and some read returns `[k, collection]`):
 *            Jepsen's independent sets, one per key (`keys`): `add [k e]` adds e to k's set, an ok
 *            `read` returning `[k, collection]` reads k's set. Anything else is ignored and counted,
 *            so `--keyed yes` on an unkeyed history checks nothing and says unknown.
 */
export interface SetOps {
  /** Adds of elements added once, every outcome, in invocation order. */
  adds: { pair: OpPair; elem: unknown }[];
  /** Elements added more than once (their reads prove nothing about any one add). */
  ambiguous: Set<unknown>;
  /** Ok reads, in invocation order. */
  reads: { pair: OpPair; elems: readonly unknown[] }[];
  ignored: Record<string, number>;
  shape: 'plain' | 'literal' | 'keyed';
  /** Keyed sets: one SetOps per key, in order of first appearance (adds, reads empty at top level). */
  keys?: { key: Prim; so: SetOps }[];
}

/** The cause when keyed sets were asked for (or detected) and none is there. */
export const NO_KEYED_SET =
  'no add is [key, element] and no read returns [key, set], so no keyed set was there to check (--keyed yes needs them; --keyed no reads every value whole)';

const caches = { plain: new WeakMap<readonly Op[], SetOps>(), literal: new WeakMap<readonly Op[], SetOps>(), keyed: new WeakMap<readonly Op[], SetOps>() };

/** Reads invoked with nil: Jepsen's set reads. Invoked with `[k, nil]`: a keyed read. */
const flatRead = (p: OpPair) => p.invoke.value === null || p.invoke.value === undefined;

/** The shape `auto` picks, from the adds and the reads together. */
export function setShape(history: readonly Op[], mode: KeyedMode = 'auto'): SetOps['shape'] {
  if (mode === true) return 'keyed';
  if (mode === false) return 'literal';
  let s = autoShape.get(history);
  if (!s) autoShape.set(history, (s = detectShape(history)));
  return s;
}

const autoShape = new WeakMap<readonly Op[], SetOps['shape']>();

function detectShape(history: readonly Op[]): SetOps['shape'] {
  let plainAdds = 0;
  let keyedAdds = 0;
  let flatReads = 0;
  let keyedReads = 0;
  for (const p of pairsOf(history)) {
    if (p.f === 'add') {
      if (isPrim(p.value)) plainAdds++;
      else if (keyed(p.value)) keyedAdds++;
    } else if (p.f === 'read' && p.type === 'ok') {
      // By what the read returned, as Jepsen reads it: [k, collection] is keyed, any other
      // collection (or nil) is flat, whatever the read was invoked with.
      const kv = keyed(p.value);
      if (kv && (kv.x === null || kv.x === undefined || isList(kv.x))) keyedReads++;
      else if (p.value === null || p.value === undefined || Array.isArray(p.value)) flatReads++;
    }
  }
  if (keyedAdds > 0 && plainAdds === 0) {
    if (keyedReads > 0) return 'keyed';
    if (flatReads > 0) return 'literal';
  }
  // Elements that are collections ([0 1] adds, no [k e] pair with a primitive key) with flat reads.
  if (plainAdds === 0 && keyedAdds === 0 && flatReads > 0 && keyedReads === 0 && pairsOf(history).some((p) => p.f === 'add')) return 'literal';
  return 'plain';
}

export function setOps(history: readonly Op[], mode: KeyedMode = 'auto'): SetOps {
  const shape = setShape(history, mode);
  const cache = caches[shape];
  const hit = cache.get(history);
  if (hit) return hit;
  const s = shape === 'literal' ? literalOps(history) : shape === 'keyed' ? keyedOps(history) : plainOps(history);
  cache.set(history, s);
  return s;
}

function finish(all: SetOps['adds'], count: Map<unknown, number>, reads: SetOps['reads'], ignored: Record<string, number>, shape: SetOps['shape']): SetOps {
  const ambiguous = new Set<unknown>();
  for (const [e, n] of count) if (n > 1) ambiguous.add(e);
  return { adds: all.filter((a) => !ambiguous.has(a.elem)), ambiguous, reads, ignored, shape };
}

function plainOps(history: readonly Op[]): SetOps {
  const shape = 'plain';
  const all: SetOps['adds'] = [];
  const count = new Map<unknown, number>();
  const reads: SetOps['reads'] = [];
  const ignored: Record<string, number> = {};
  for (const p of pairsOf(history)) {
    if (p.f === 'add' && isPrim(p.value)) {
      all.push({ pair: p, elem: p.value });
      count.set(p.value, (count.get(p.value) ?? 0) + 1);
    } else if (p.f === 'read') {
      // A set read is invoked with nil; one invoked with a value names a key: a keyed read of
      // another workload (its [key, v] completion must not pass for a set holding key and v).
      if (!flatRead(p)) {
        ignored.read = (ignored.read ?? 0) + 1;
        continue;
      }
      if (p.type !== 'ok') continue;
      const v = p.value;
      if (v === null || v === undefined) reads.push({ pair: p, elems: [] });
      else if (Array.isArray(v) && v.every(isPrim)) reads.push({ pair: p, elems: v });
      else ignored.read = (ignored.read ?? 0) + 1;
    } else ignored[p.f] = (ignored[p.f] ?? 0) + 1;
  }
  return finish(all, count, reads, ignored, shape);
}

/** Jepsen's independent sets: [k e] adds and reads returning [k, collection], per key. */
function keyedOps(history: readonly Op[]): SetOps {
  const intern = interner();
  const per = new Map<Prim, { all: SetOps['adds']; count: Map<unknown, number>; reads: SetOps['reads'] }>();
  const get = (k: Prim) => {
    let x = per.get(k);
    if (!x) per.set(k, (x = { all: [], count: new Map(), reads: [] }));
    return x;
  };
  const ignored: Record<string, number> = {};
  for (const p of pairsOf(history)) {
    const kv = keyed(p.value);
    if (p.f === 'add' && kv) {
      const e = intern(kv.x);
      const x = get(kv.key);
      x.all.push({ pair: p, elem: e });
      x.count.set(e, (x.count.get(e) ?? 0) + 1);
    } else if (p.f === 'read' && p.type !== 'ok') {
      continue;
    } else if (p.f === 'read' && kv && (kv.x === null || kv.x === undefined || isList(kv.x))) {
      get(kv.key).reads.push({ pair: p, elems: isList(kv.x) ? internAll(asList(kv.x)!, intern) : [] });
    } else ignored[p.f] = (ignored[p.f] ?? 0) + 1;
  }
  const keys = [...per].map(([key, x]) => ({ key, so: finish(x.all, x.count, x.reads, {}, 'keyed') }));
  const s = finish([], new Map(), [], ignored, 'keyed');
  s.keys = keys;
  return s;
}

/** Jepsen's literal reading: whole values are elements and collections. */
function literalOps(history: readonly Op[]): SetOps {
  const intern = interner();
  const all: SetOps['adds'] = [];
  const count = new Map<unknown, number>();
  const reads: SetOps['reads'] = [];
  const ignored: Record<string, number> = {};
  for (const p of pairsOf(history)) {
    if (p.f === 'add') {
      const e = intern(p.value);
      all.push({ pair: p, elem: e });
      count.set(e, (count.get(e) ?? 0) + 1);
    } else if (p.f === 'read') {
      if (p.type !== 'ok') continue;
      const v = p.value;
      if (v === null || v === undefined) reads.push({ pair: p, elems: [] });
      else if (Array.isArray(v)) reads.push({ pair: p, elems: internAll(v, intern) });
      else ignored.read = (ignored.read ?? 0) + 1;
    } else ignored[p.f] = (ignored[p.f] ?? 0) + 1;
  }
  return finish(all, count, reads, ignored, 'literal');
}
