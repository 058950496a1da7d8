import type { Op } from '../../history/op.js';
import type { OpPair } from '../../history/pairs.js';
import type { KeyedMode } from '../types.js';
import { Interner } from '../../history/identity.js';
import { PrefixList } from '../../history/prefix-list.js';
import { pairsOf } from './pairs-cache.js';
import { asList, isElement, isKeyedValue, isPrim, type Prim } from './shapes.js';

/**
 * The keyed replication workloads, analysed once per history and shared by the checkers.
 *
 * List keys: `append [k, e]` adds the unique element e to k's list; `read [k, list]` returns the
 * whole list in version order (nil reads as the empty list). Register keys: `write [k, v]` with a
 * single writing session per key and strictly increasing numbers; `read [k, v]` (nil = never
 * written). A key with both appends and writes, or a register key with several writers or values
 * that do not increase, is skipped and reported.
 *
 * The version order of a list key is its longest read (the latest one on a tie). All reads of a
 * key are prefixes of one order exactly when they are all prefixes of the longest read, so every
 * read is either a prefix of the order ("consistent": it holds exactly the first n elements) or
 * divergent (its own element -> position map is kept). The order of a register key is its written
 * values, ascending; a read of v holds every version up to v, so its n is v's rank + 1, and a read
 * of a value nobody wrote (or only a failed write wrote) has n = -1 and is left to lost-writes.
 *
 * Only ok reads are observations; writes keep every outcome (ok, info, fail).
 *
 * Keyed or not (`--keyed`, CheckOptions.keyed): true requires [key, x] values (anything else is
 * of another shape, ignored and counted); false reads every value whole, as Jepsen does: one
 * object, key `unkeyed`, whose appends add their whole value (any value) and whose reads return
 * the whole list (or register value). 'auto' decides from the writes and the reads together:
 * unkeyed when the writes are all unkeyed (`append e`, `write v`) and no ok read returns
 * [key, x]; also unkeyed (Jepsen's literal reading) when the writes look keyed but every ok read
 * returns something else (a flat list, nil): the elements are then the [k e] vectors themselves
 * (equal vectors are one element, literal.ts), so a read of [1] holds neither [x 1] nor anything
 * appended, as Jepsen would read it; else keyed.
 */
/** The key of the one object of an unkeyed history. */
export const UNKEYED = 'unkeyed';
export interface WriteRec {
  pair: OpPair;
  kd: KeyData;
  /** A primitive, or an array or object interned by identity (equal structures are one value). */
  elem: unknown;
  /** Position of the element in the key's order; -1 when the order does not hold it. */
  pos: number;
  /** The same element was written to this key more than once: its reads prove nothing about this write. */
  amb: boolean;
}

export interface ReadRec {
  pair: OpPair;
  kd: KeyData;
  /** Versions it holds (see above); -1 for a register value nobody wrote. */
  n: number;
  /** List keys: the list read. Register keys: undefined. */
  list?: readonly unknown[];
  /** Register keys: the value read. */
  value?: unknown;
  /** Not a prefix of the key's order. */
  div: boolean;
  /** Divergent reads: the first position at which it differs from the order. */
  fork: number;
  /** Divergent reads: element -> its first position in this read. */
  at?: Map<unknown, number>;
}

export interface KeyData {
  key: Prim;
  kind: 'list' | 'register';
  /** Appends or writes, every outcome, in invocation order. */
  writes: WriteRec[];
  /** Ok reads with a usable value, in invocation order. */
  reads: ReadRec[];
  order: readonly unknown[];
  pos: Map<unknown, number>;
  /** Element -> its write (the first, for elements written more than once). */
  writer: Map<unknown, WriteRec>;
  /** Positions of the order that repeat an earlier element. */
  dupAt: number[];
  /** List keys: the read that gave the order. */
  orderRead?: ReadRec;
  /** Register keys: values of failed writes (a read of one is an anomaly). */
  failedValues?: Map<unknown, WriteRec>;
  _sessions?: Map<string | number, SessionOps>;
  _cover?: (ReadRec | undefined)[];
}

export interface SessionOps {
  writes: WriteRec[];
  reads: ReadRec[];
}

export interface KeyedHistory {
  pairs: OpPair[];
  keys: KeyData[];
  /** Client ops (pairs) of other shapes, by f. */
  ignored: Record<string, number>;
  skipped: { key: Prim; reason: string }[];
}

/**
 * A read record. A consistent list read keeps no elements of its own (it holds the first n of the
 * order): `list` gives them when asked (explanations); a divergent one keeps its list.
 */
class Read implements ReadRec {
  at?: Map<unknown, number>;
  value?: unknown;
  constructor(
    readonly pair: OpPair,
    readonly kd: KeyData,
    readonly n: number,
    private readonly own: readonly unknown[] | undefined,
    readonly div: boolean,
    readonly fork: number,
  ) {}

  get list(): readonly unknown[] | undefined {
    if (this.own) return this.own;
    return this.kd.kind === 'list' ? (this.n === this.kd.order.length ? this.kd.order : this.kd.order.slice(0, this.n)) : undefined;
  }
}

/** Does the read hold the element? Undefined when it cannot tell (a register value nobody wrote). */
export function holds(r: ReadRec, e: unknown): boolean | undefined {
  if (r.n < 0) return undefined;
  if (r.div) return r.at!.has(e);
  const p = r.kd.pos.get(e);
  return p !== undefined && p < r.n;
}

/** The elements a read holds, as a list (for register keys: the written values up to its value). */
export function elementsOf(r: ReadRec): readonly unknown[] {
  if (r.list) return r.list;
  return r.kd.order.slice(0, Math.max(0, r.n));
}

/** Per session: its writes and reads of this key, in invocation order. */
export function sessionsOf(kd: KeyData): Map<string | number, SessionOps> {
  if (kd._sessions) return kd._sessions;
  const m = new Map<string | number, SessionOps>();
  const get = (s: string | number) => {
    let x = m.get(s);
    if (!x) m.set(s, (x = { writes: [], reads: [] }));
    return x;
  };
  for (const w of kd.writes) get(w.pair.session).writes.push(w);
  for (const r of kd.reads) get(r.pair.session).reads.push(r);
  return (kd._sessions = m);
}

/**
 * For each position p of the order: the prefix read that completed first among those holding
 * position p (the earliest proof that the order has that element there).
 */
export function coverers(kd: KeyData): (ReadRec | undefined)[] {
  if (kd._cover) return kd._cover;
  const cons = kd.reads.filter((r) => !r.div && r.n > 0);
  cons.sort((a, b) => a.pair.complete!.index - b.pair.complete!.index);
  const out: (ReadRec | undefined)[] = new Array(kd.order.length);
  let hi = 0;
  for (const r of cons) {
    for (; hi < r.n; hi++) out[hi] = r;
  }
  return (kd._cover = out);
}

interface Raw {
  key: Prim;
  /** The element or value of a write: v of [k, v], or the whole value when unkeyed. */
  x: (p: OpPair) => unknown;
  appends: OpPair[];
  writes: OpPair[];
  /** `dropped`: the read holds NaN (see listKey). */
  listReads: { p: OpPair; list: readonly unknown[] | PrefixList; dropped?: boolean }[];
  scalarReads: { p: OpPair; v: unknown }[];
}

const caches = { keyed: new WeakMap<readonly Op[], KeyedHistory>(), unkeyed: new WeakMap<readonly Op[], KeyedHistory>() };

const autoKeyed = new WeakMap<readonly Op[], boolean>();

/** Does the history read as keyed? See the header: writes and reads together. */
export function isKeyed(history: readonly Op[], mode: KeyedMode = 'auto'): boolean {
  if (mode !== 'auto') return mode;
  let k = autoKeyed.get(history);
  if (k === undefined) autoKeyed.set(history, (k = detectKeyed(history)));
  return k;
}

function detectKeyed(history: readonly Op[]): boolean {
  let keyedWrites = 0;
  let plainWrites = 0;
  let keyedReads = 0;
  let flatReads = 0;
  for (const p of pairsOf(history)) {
    if (p.f === 'append' || p.f === 'write') {
      if (isKeyedValue(p.value)) keyedWrites++;
      else if (isPrim(p.value)) plainWrites++;
    } else if (p.f === 'read' && p.type === 'ok') {
      // By what it returned, as Jepsen reads it: [key, x] is keyed (a flat two-element list
      // [k, x] is indistinguishable and read as keyed, as before); any other value is flat.
      if (isKeyedValue(p.value)) keyedReads++;
      else flatReads++;
    }
  }
  if (keyedReads > 0) return true;
  if (plainWrites > 0 && keyedWrites === 0) return false;
  return !(keyedWrites > 0 && flatReads > 0 && plainWrites === 0);
}

export function keyedHistory(history: readonly Op[], mode: KeyedMode = 'auto'): KeyedHistory {
  const isK = isKeyed(history, mode);
  const cache = isK ? caches.keyed : caches.unkeyed;
  const hit = cache.get(history);
  if (hit) return hit;
  const pairs = pairsOf(history);
  const raws = new Map<Prim, Raw>();
  const ignored: Record<string, number> = {};
  const ignore = (f: string) => {
    ignored[f] = (ignored[f] ?? 0) + 1;
  };
  const raw = (key: Prim) => {
    let r = raws.get(key);
    if (!r)
      raws.set(
        key,
        (r = {
          key,
          x: isK ? (p) => intern.of((p.value as [Prim, unknown])[1]) : (p) => intern.of(p.value),
          appends: [],
          writes: [],
          listReads: [],
          scalarReads: [],
        }),
      );
    return r;
  };
  // Keys are primitives: Map compares them by type and value. Elements that are arrays or objects
  // are interned, so Maps, Sets and === compare them structurally (reads' elements in listKey).
  const intern = new Interner();
  for (const p of pairs) {
    // Keyed: [key, x] read in place (no object per op). Unkeyed: a write's whole value is its
    // element; a read's whole value its list (elements interned in listKey).
    const v = p.value;
    const kk = isK ? isKeyedValue(v) : true;
    const key: Prim = isK ? (kk ? (v as [Prim, unknown])[0] : UNKEYED) : UNKEYED;
    const x: unknown = isK ? (kk ? (v as [Prim, unknown])[1] : undefined) : p.f === 'read' ? v : intern.of(v);
    if (p.f === 'append' && kk && isElement(x)) raw(key).appends.push(p);
    else if (p.f === 'write' && kk && (typeof x === 'bigint' || (typeof x === 'number' && Number.isFinite(x)))) raw(key).writes.push(p);
    else if (p.f === 'read' && kk) {
      if (p.type !== 'ok') continue; // no observation; counted by stats
      const list = x instanceof PrefixList ? x : Array.isArray(x) || x === null || x === undefined ? asList(x) : undefined;
      if (list) raw(key).listReads.push({ p, list });
      else if (isPrim(x)) raw(key).scalarReads.push({ p, v: x });
      else ignore(p.f);
    } else ignore(p.f);
  }
  const keys: KeyData[] = [];
  const skipped: KeyedHistory['skipped'] = [];
  for (const r of raws.values()) {
    if (r.appends.length > 0 && r.writes.length > 0) {
      skipped.push({ key: r.key, reason: 'it has both appends and register writes' });
    } else if (r.writes.length > 0) {
      const kd = registerKey(r, skipped);
      if (kd) keys.push(kd);
      for (const x of r.listReads) if (x.list.length > 0) ignore('read');
    } else if (r.appends.length > 0 || r.listReads.some((x) => x.list.length > 0)) {
      keys.push(listKey(r, intern, ignore));
      for (const _ of r.scalarReads) ignore('read');
    } else {
      // Reads of a key nobody wrote that show nothing: nothing to check.
      for (const _ of r.scalarReads) ignore('read');
    }
  }
  const kh: KeyedHistory = { pairs, keys, ignored, skipped };
  cache.set(history, kh);
  return kh;
}

function newKey(key: Prim, kind: KeyData['kind']): KeyData {
  return { key, kind, writes: [], reads: [], order: [], pos: new Map(), writer: new Map(), dupAt: [] };
}

function addWrites(kd: KeyData, ps: OpPair[], elem: (p: OpPair) => unknown): void {
  for (const p of ps) {
    const e = elem(p);
    const w: WriteRec = { pair: p, kd, elem: e, pos: -1, amb: false };
    const prev = kd.writer.get(e);
    if (prev) {
      prev.amb = true;
      w.amb = true;
    } else kd.writer.set(e, w);
    kd.writes.push(w);
  }
}

/**
 * Elements that are arrays or objects are interned (equal structures become one value) where it can
 * matter, not on every element of every read: in the order, in divergent reads, and in a read from
 * where it first differs from the order. A read holding NaN, which equals nothing, is another shape.
 */
function listKey(r: Raw, intern: Interner, ignore: (f: string) => void): KeyData {
  const kd = newKey(r.key, 'list');
  addWrites(kd, r.appends, r.x);
  type ListRead = Raw['listReads'][number];
  const interned = (x: ListRead): boolean => {
    if (x.list instanceof PrefixList) return true; // primitives only (prefix-list.ts): nothing to intern
    const l = intern.list(x.list);
    if (l) {
      x.list = l;
      return true;
    }
    x.dropped = true;
    ignore('read');
    return false;
  };
  let longest: ListRead | undefined;
  do {
    longest = undefined;
    for (const x of r.listReads) if (!x.dropped && (!longest || x.list.length >= longest.list.length)) longest = x;
  } while (longest && !interned(longest));
  const ll = longest?.list;
  // The order is the longest read; a shared list (prefix-list.ts) is the order itself when it is that long.
  const order: readonly unknown[] = ll === undefined ? [] : ll instanceof PrefixList ? (ll.n === ll.base.length ? ll.base : ll.toArray()) : ll;
  kd.order = order;
  for (let i = 0; i < order.length; i++) {
    const e = order[i];
    if (kd.pos.has(e)) kd.dupAt.push(i);
    else kd.pos.set(e, i);
  }
  for (const w of kd.writes) w.pos = kd.pos.get(w.elem) ?? -1;
  // Shared lists: how far each agrees with the order, found once per shared list (one per key, as a rule).
  const agree = new Map<readonly unknown[], number>();
  const agreement = (base: readonly unknown[]): number => {
    let a = agree.get(base);
    if (a === undefined) {
      const m = Math.min(base.length, order.length);
      if (base === order) a = m;
      else for (a = 0; a < m && base[a] === order[a]; a++);
      agree.set(base, a);
    }
    return a;
  };
  for (const x of r.listReads) {
    if (x.dropped) continue;
    const pl = x.list;
    if (pl instanceof PrefixList) {
      // A prefix of the order exactly when the shared list agrees with the order that far: no per-element work.
      if (pl.n <= agreement(pl.base)) {
        const rr = new Read(x.p, kd, pl.n, undefined, false, -1);
        if (x === longest) kd.orderRead = rr;
        kd.reads.push(rr);
        continue;
      }
      x.list = pl.toArray(); // divergent (the exception): its own elements, as any other read
    }
    let fork = -1;
    let done = x === longest; // interned already
    // One comparison per element: linear in the size of the history overall.
    let list = x.list as readonly unknown[];
    if (list !== order) {
      for (let i = 0, n = list.length; i < n; i++) {
        const e = list[i];
        if (e === order[i]) continue;
        if (!done && (typeof e === 'object' ? e !== null : e !== e)) {
          // An array, object or NaN: intern the read and compare this position again.
          done = true;
          if (!interned(x)) break;
          list = x.list as readonly unknown[];
          i--;
          continue;
        }
        fork = i;
        break;
      }
      if (x.dropped) continue;
    }
    // A divergent read's elements all go into its own map: intern them (divergent reads are rare).
    if (fork >= 0 && !done && !interned(x)) continue;
    list = x.list as readonly unknown[];
    const n = list.length;
    const div = fork >= 0;
    // A consistent read holds the first n of the order: it keeps no list of its own (Read.list gives it).
    const rr = new Read(x.p, kd, n, div ? list : undefined, div, fork);
    if (div) {
      const at = new Map<unknown, number>();
      for (let i = 0; i < n; i++) if (!at.has(list[i])) at.set(list[i], i);
      rr.at = at;
    }
    if (x === longest) kd.orderRead = rr;
    kd.reads.push(rr);
  }
  return kd;
}

function registerKey(r: Raw, skipped: KeyedHistory['skipped']): KeyData | undefined {
  const sessions = new Set(r.writes.map((p) => p.session));
  if (sessions.size > 1) {
    skipped.push({ key: r.key, reason: `register key with ${sessions.size} writing sessions (needs one)` });
    return undefined;
  }
  for (let i = 1; i < r.writes.length; i++) {
    const a = r.x(r.writes[i - 1]!) as number | bigint;
    const b = r.x(r.writes[i]!) as number | bigint;
    if (!(b > a)) {
      skipped.push({ key: r.key, reason: `register key whose written values do not strictly increase (${a} then ${b})` });
      return undefined;
    }
  }
  const kd = newKey(r.key, 'register');
  addWrites(kd, r.writes, r.x);
  const order: unknown[] = [];
  kd.failedValues = new Map();
  for (const w of kd.writes) {
    if (w.pair.type === 'fail') {
      kd.failedValues.set(w.elem, w);
      continue;
    }
    w.pos = order.length;
    kd.pos.set(w.elem, order.length);
    order.push(w.elem);
  }
  kd.order = order;
  for (const x of r.scalarReads) {
    const p = kd.pos.get(x.v);
    const rr = new Read(x.p, kd, p === undefined ? -1 : p + 1, undefined, false, -1);
    rr.value = x.v;
    kd.reads.push(rr);
  }
  for (const x of r.listReads) {
    if (x.list.length === 0) {
      const rr = new Read(x.p, kd, 0, undefined, false, -1);
      rr.value = null;
      kd.reads.push(rr);
    }
  }
  kd.reads.sort((a, b) => a.pair.invoke.index - b.pair.invoke.index);
  return kd;
}
