import { intFromDigits } from './exact.js';
import type { Op, OpType, Process } from './op.js';
import { PrefixList, type ListText, type ReadCompactor } from './prefix-list.js';

/**
 * A fast path for the lines our HistoryWriter writes: `{"index":..,"time":..,"type":..,"process":..,
 * "f":..,"value":..}` then optionally "error", "node", "session", in that order, no whitespace, simple values (integers, plain strings, null,
 * booleans, arrays and objects of those; integers of any length, exact: see exact.ts). It builds the Op directly, skipping JSON.parse and a
 * second object, which makes loading about twice as fast. It accepts a strict subset of JSON
 * with JSON.parse's meaning and returns undefined for anything else (floats, escapes, extra keys,
 * a torn line); the caller then takes the general path, which decides validity and errors.
 */
export function parseOpLineFast(s: string, start: number, end: number, shared?: ReadCompactor): Op | undefined {
  const r = READER;
  r.s = s;
  r.p = start;
  r.e = end;
  if (!r.lit('{"index":')) return undefined;
  const index = r.int();
  if (index === undefined || !r.lit(',"time":')) return undefined;
  const time = r.int();
  if (time === undefined || !r.lit(',"type":"')) return undefined;
  let type: OpType;
  if (r.lit('invoke"')) type = 'invoke';
  else if (r.lit('ok"')) type = 'ok';
  else if (r.lit('fail"')) type = 'fail';
  else if (r.lit('info"')) type = 'info';
  else return undefined;
  if (!r.lit(',"process":')) return undefined;
  let process: Process;
  if (r.lit('"nemesis"')) process = 'nemesis';
  else {
    const p = r.int();
    if (p === undefined) return undefined;
    process = p;
  }
  if (!r.lit(',"f":"')) return undefined;
  const f = r.str();
  if (f === undefined || f.charCodeAt(0) === 58 /* : */ || !r.lit(',"value":')) return undefined;
  // An ok read of a key's shared list (prefix-list.ts): compared element by element as it is read, never built.
  let value: unknown = shared !== undefined && type === 'ok' && f === 'read' ? r.sharedRead(shared) : FAIL;
  if (value === FAIL) value = r.val(0);
  if (value === FAIL) return undefined;
  // The optional keys, in the order the writer puts them; kept as normalizeOp keeps them.
  let error: unknown = null;
  let node: unknown = null;
  let session: unknown = null;
  if (r.lit(',"error":')) {
    error = r.val(0);
    if (error === FAIL) return undefined;
  }
  if (r.lit(',"node":')) {
    node = r.val(0);
    if (node === FAIL) return undefined;
  }
  if (r.lit(',"session":')) {
    session = r.val(0);
    if (session === FAIL || typeof session === 'bigint') return undefined; // the general path refuses it
  }
  if (r.p !== end - 1 || s.charCodeAt(r.p) !== 125 /* } */) return undefined;
  // Each op is built whole, in one of a few literal shapes: fields added one by one after creation
  // land outside the object (a second allocation per op) and give ops many hidden classes.
  const hasNode = node !== null;
  const hasSession = typeof session === 'string' || typeof session === 'number';
  if (error === null) {
    if (hasNode && hasSession)
      return { index, time, type, process, f, value, node: typeof node === 'string' ? node : String(node), session: session as string | number };
    if (!hasNode && !hasSession) return { index, time, type, process, f, value };
  }
  const op: Op = { index, time, type, process, f, value };
  if (error !== null) op.error = error;
  if (hasNode) op.node = typeof node === 'string' ? node : String(node);
  if (hasSession) op.session = session as string | number;
  return op;
}

const FAIL: unique symbol = Symbol('fail');

/** The index of the element that ends at `len` in the text (ends ascending), or -1. */
function endAt(ends: readonly number[], len: number): number {
  let lo = 0;
  let hi = ends.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const e = ends[mid]!;
    if (e === len) return mid;
    if (e < len) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * Appends base's elements beyond the text to it, as JSON gives them: integers (exact, String's
 * digits) and strings of at most 12 characters (fresh copies, so the text holds no slice of a chunk)
 * without escapes; anything else makes the text dead (reads then go element by element).
 */
function extendText(t: ListText, base: readonly unknown[]): void {
  const parts: string[] = [];
  let len = t.text.length;
  for (let i = t.ends.length; i < base.length; i++) {
    const e = base[i];
    let x: string;
    if (typeof e === 'number' && Number.isSafeInteger(e) && !Object.is(e, -0)) x = String(e);
    else if (typeof e === 'string' && e.length <= 12 && plainString(e)) x = '"' + e + '"';
    else {
      t.dead = true;
      return;
    }
    len += (len === 0 ? 0 : 1) + x.length;
    t.ends.push(len);
    parts.push(x);
  }
  if (parts.length === 0) return;
  t.text = t.text.length === 0 ? parts.join(',') : t.text + ',' + parts.join(',');
}

function plainString(e: string): boolean {
  for (let i = 0; i < e.length; i++) {
    const c = e.charCodeAt(i);
    if (c === 34 || c === 92 || c < 32) return false;
  }
  return true;
}

/** Cursor state in an object's fields: V8 keeps these fast, unlike module-level lets. */
class Reader {
  s = '';
  p = 0;
  e = 0;
  /** Elements of the arrays being read (see val). */
  readonly stack: unknown[] = [];
  /** Short strings seen, each kept once (see str). */
  readonly interned = new Map<string, string>();

  /** Matches a literal at this.p (charCodeAt beats startsWith by far for these short literals). */
  lit(l: string): boolean {
    const n = l.length;
    if (this.p + n > this.e) return false;
    for (let k = 0; k < n; k++) if (this.s.charCodeAt(this.p + k) !== l.charCodeAt(k)) return false;
    this.p += n;
    return true;
  }

  /** A JSON integer of at most 15 digits (exact as a double). */
  int(): number | undefined {
    let i = this.p;
    let neg = false;
    if (this.s.charCodeAt(i) === 45) {
      neg = true;
      i++;
    }
    const first = i;
    let v = 0;
    for (; i < this.e; i++) {
      const d = this.s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
    }
    const len = i - first;
    if (len === 0 || len > 15 || (len > 1 && this.s.charCodeAt(first) === 48)) return undefined;
    const c = this.s.charCodeAt(i);
    if (c === 46 || c === 101 || c === 69) return undefined; // fraction or exponent: general path
    this.p = i;
    return neg ? -v : v;
  }

  /** An integer of 16 digits or more, exact (a bigint beyond 2^53); FAIL for anything else. */
  bigInt(): unknown {
    let i = this.p;
    if (this.s.charCodeAt(i) === 45) i++;
    const first = i;
    for (; i < this.e; i++) {
      const d = this.s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
    }
    if (i - first < 16 || this.s.charCodeAt(first) === 48) return FAIL;
    const c = this.s.charCodeAt(i);
    if (c === 46 || c === 101 || c === 69) return FAIL; // fraction or exponent: general path
    const v = intFromDigits(this.s.slice(this.p, i));
    this.p = i;
    return v;
  }

  /**
   * Body of a string after its opening quote; no escapes, no control characters. Short strings come
   * from an intern table: a history repeats a few words ("txn", "append", "r", node names) millions
   * of times, and one copy each is enough.
   */
  str(): string | undefined {
    const i0 = this.p;
    for (let i = this.p; i < this.e; i++) {
      const c = this.s.charCodeAt(i);
      if (c === 34) {
        this.p = i + 1;
        const v = this.s.slice(i0, i);
        if (i - i0 > 12) return v;
        const seen = this.interned.get(v);
        if (seen !== undefined) return seen;
        if (this.interned.size < 4096) this.interned.set(v, v);
        return v;
      }
      if (c === 92 || c < 32) return undefined;
    }
    return undefined;
  }

  /**
   * `[key,[e,...]]` whose list is a prefix of the key's shared list, or extends it (the extension is
   * appended to it): [key, PrefixList], with no array of the elements built. Elements are integers of
   * at most 15 digits (not -0) and plain strings, the key an integer or a string. Anything else
   * (the key's first read, a divergent read, other elements) is FAIL with the cursor where it was,
   * and the caller reads the value the usual way (then ReadCompactor.add decides, alike).
   */
  sharedRead(c: ReadCompactor): unknown {
    const p0 = this.p;
    const s = this.s;
    if (s.charCodeAt(this.p) !== 91) return FAIL;
    this.p++;
    const c0 = s.charCodeAt(this.p);
    let k: unknown;
    if (c0 === 34) {
      this.p++;
      k = this.str();
    } else if (c0 === 45 || (c0 >= 48 && c0 <= 57)) k = this.int();
    const base = k === undefined ? undefined : c.listOf(k);
    if (base === undefined || s.charCodeAt(this.p) !== 44 || s.charCodeAt(this.p + 1) !== 91 || s.charCodeAt(this.p + 2) === 93) {
      this.p = p0;
      return FAIL;
    }
    this.p += 2;
    const t = c.textOf(k);
    let n = 0;
    if (!t.dead && t.ends.length > 0) {
      // The key's list as text: a read that repeats a prefix of it is compared as one string (===
      // on slices compares memory; startsWith goes character by character), not element by element;
      // texts are canonical (see ListText), so equal text is equal elements.
      const q = s.indexOf(']', this.p);
      const len = q - this.p;
      const text = t.text;
      if (q > 0 && len <= text.length) {
        const at = endAt(t.ends, len);
        if (at >= 0 && s.charCodeAt(q + 1) === 93 && s.slice(this.p, q) === (len === text.length ? text : text.slice(0, len))) {
          this.p = q + 2;
          return [k, new PrefixList(base, at + 1)];
        }
        this.p = p0;
        return FAIL;
      }
      // Longer than the text: it extends the list when the text is its beginning.
      if (q > 0 && t.ends.length === base.length && s.charCodeAt(this.p + text.length) === 44 && s.slice(this.p, this.p + text.length) === text) {
        this.p += text.length + 1;
        n = base.length;
      }
    }
    const stack = this.stack;
    const sb = stack.length;
    for (;;) {
      const d0 = s.charCodeAt(this.p);
      let e: unknown;
      if (d0 === 34) {
        this.p++;
        e = this.str();
      } else if (d0 === 45 || (d0 >= 48 && d0 <= 57)) {
        e = this.int();
        if (e === 0 && d0 === 45) e = undefined; // -0
      }
      if (e === undefined || (n < base.length ? e !== base[n] : (stack.push(e), false))) break;
      n++;
      const d = s.charCodeAt(this.p++);
      if (d === 93) {
        if (s.charCodeAt(this.p) !== 93) break;
        this.p++;
        for (let i = sb; i < stack.length; i++) base.push(stack[i]);
        stack.length = sb;
        if (n === base.length && !t.dead) extendText(t, base);
        return [k, new PrefixList(base, n)];
      }
      if (d !== 44) break;
    }
    stack.length = sb;
    this.p = p0;
    return FAIL;
  }

  val(depth: number): unknown {
    if (depth > 64) return FAIL;
    const c = this.s.charCodeAt(this.p);
    if (c === 34) {
      this.p++;
      const s = this.str();
      return s === undefined ? FAIL : s;
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      const n = this.int();
      return n === undefined ? this.bigInt() : n;
    }
    if (c === 110) return this.lit('null') ? null : FAIL;
    if (c === 116) return this.lit('true') ? true : FAIL;
    if (c === 102) return this.lit('false') ? false : FAIL;
    if (c === 91) {
      this.p++;
      if (this.s.charCodeAt(this.p) === 93) {
        this.p++;
        return [];
      }
      // Elements go on one shared stack and leave it as an array of exactly their number: an array
      // grown by push keeps room for 17 elements, which made a loaded transaction (an array of
      // [f k v] arrays) take twice the memory of its JSON.parse twin.
      const stack = this.stack;
      const base = stack.length;
      for (;;) {
        const v = this.val(depth + 1);
        if (v === FAIL) {
          stack.length = base;
          return FAIL;
        }
        stack.push(v);
        const d = this.s.charCodeAt(this.p++);
        if (d === 93) {
          const a = stack.slice(base);
          stack.length = base;
          return a;
        }
        if (d !== 44) {
          stack.length = base;
          return FAIL;
        }
      }
    }
    if (c === 123) {
      this.p++;
      const o: Record<string, unknown> = {};
      if (this.s.charCodeAt(this.p) === 125) {
        this.p++;
        return o;
      }
      for (;;) {
        if (this.s.charCodeAt(this.p) !== 34) return FAIL;
        this.p++;
        const k = this.str();
        if (k === undefined || k === '__proto__' || this.s.charCodeAt(this.p) !== 58) return FAIL;
        this.p++;
        const v = this.val(depth + 1);
        if (v === FAIL) return FAIL;
        o[k] = v;
        const d = this.s.charCodeAt(this.p++);
        if (d === 125) return o;
        if (d !== 44) return FAIL;
      }
    }
    return FAIL;
  }
}

const READER = new Reader();
