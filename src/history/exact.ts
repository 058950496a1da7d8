/**
 * Exact numbers. One canonical representation for every integer a history holds: a `number` when
 * Number.isSafeInteger, a `bigint` beyond (|v| >= 2^53), so that equal values are always the same
 * JavaScript value (5 and 5n never both occur) and `===`, Map keys and `<` stay exact. Every reader
 * keeps it: the JSONL fast path reads long integers itself (intFromDigits), the general path and JSON
 * arrays use parseJsonExact, EDN numberFromText. Every writer (history lines, results.json, --json
 * output, the report's data) goes through stringifyExact, which writes bigints as bare JSON numbers.
 * Non-integers stay doubles, as in JSON.parse. Sums go through addExact.
 */

const MAX_EXP = 4000; // beyond this a literal's exact integer is not worth its memory: it stays a double

/** A bigint in its canonical form: a number when it is a safe integer. */
export function canonInt(v: bigint): number | bigint {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

/** An integer literal's digits (an optional sign, then digits only) as its exact canonical value. */
export function intFromDigits(tok: string): number | bigint {
  const n = tok.length;
  // Up to 15 digits a double holds any integer exactly.
  if (n <= 15 || (n === 16 && (tok.charCodeAt(0) === 45 || tok.charCodeAt(0) === 43))) return Number(tok);
  return canonInt(BigInt(tok.charCodeAt(0) === 43 ? tok.slice(1) : tok));
}

const DECIMAL_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * A JSON or EDN number literal (no suffix) as its canonical value: an integer literal exactly; a
 * literal with a fraction or exponent a double, unless its exact value is an integer beyond the
 * safe range ("1e20", "9007199254740993.0"), which is that integer as a bigint.
 */
export function numberFromText(tok: string): number | bigint {
  const m = DECIMAL_RE.exec(tok);
  if (!m) return Number(tok);
  if (m[3] === undefined && m[4] === undefined) return intFromDigits(tok);
  const d = Number(tok);
  if (!Number.isInteger(d) || Number.isSafeInteger(d)) return d; // a fraction, or exact as a double
  // |d| >= 2^53 (or infinite): is the literal's own value an integer?
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const exp = Number(m[4] ?? '0') - frac.length;
  let digits = ((m[2] ?? '') + frac).replace(/^0+/, '');
  if (digits === '') return 0;
  if (exp < 0) {
    const zeros = /0*$/.exec(digits)![0].length;
    if (zeros < -exp) return d; // not an integer: a double, as JSON.parse
    digits = digits.slice(0, digits.length + exp);
  } else if (exp > MAX_EXP) return d;
  let v = BigInt(digits);
  if (exp > 0) v *= 10n ** BigInt(exp);
  return canonInt(m[1] === '-' ? -v : v);
}

/** An exact integer (safe number or bigint). */
export function isExactInt(v: unknown): v is number | bigint {
  return typeof v === 'bigint' || Number.isSafeInteger(v);
}

/**
 * a + b, exact when both are integers (the result canonical: a bigint only beyond 2^53), a double
 * otherwise (a fraction is inexact anyway). Counter sums and bank totals go through here.
 */
export function addExact(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') {
    const s = a + b;
    if (Number.isSafeInteger(s) || !Number.isInteger(a) || !Number.isInteger(b)) return s;
    return canonInt(BigInt(a) + BigInt(b));
  }
  if (typeof a === 'bigint' && typeof b === 'bigint') return canonInt(a + b);
  const [big, other] = typeof a === 'bigint' ? [a, b as number] : [b as bigint, a as number];
  if (Number.isInteger(other)) return canonInt(big + BigInt(other));
  return Number(big) + other;
}

/** -a, canonical. */
export function negExact(a: number | bigint): number | bigint {
  return typeof a === 'bigint' ? canonInt(-a) : -a;
}

/**
 * JSON.stringify that writes a bigint as a bare JSON number (its exact digits) instead of throwing.
 * Values without bigints take JSON.stringify itself (the fast, common case).
 */
export function stringifyExact(value: unknown, indent?: number): string | undefined {
  try {
    return JSON.stringify(value, null, indent);
  } catch (e) {
    if (!(e instanceof TypeError) || !/BigInt/i.test(e.message)) throw e;
  }
  return write(value, '', indent ? ' '.repeat(indent) : '', new Set(), '');
}

function write(v: unknown, key: string, gap: string, stack: Set<object>, indent: string): string | undefined {
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    v = (v as { toJSON(k: string): unknown }).toJSON(key);
  }
  switch (typeof v) {
    case 'bigint':
      return v.toString();
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      break;
    default:
      return undefined; // undefined, functions, symbols: dropped (null inside arrays)
  }
  if (v === null) return 'null';
  if (v instanceof Number || v instanceof String || v instanceof Boolean) return JSON.stringify(v);
  if (stack.has(v)) throw new TypeError('Converting circular structure to JSON');
  stack.add(v);
  const inner = indent + gap;
  const open = gap ? `\n${inner}` : '';
  const sep = gap ? `,\n${inner}` : ',';
  const close = gap ? `\n${indent}` : '';
  let out: string;
  if (Array.isArray(v)) {
    if (v.length === 0) out = '[]';
    else {
      const parts: string[] = [];
      for (let i = 0; i < v.length; i++) parts.push(write(v[i], String(i), gap, stack, inner) ?? 'null');
      out = `[${open}${parts.join(sep)}${close}]`;
    }
  } else {
    const parts: string[] = [];
    for (const k of Object.keys(v)) {
      const s = write((v as Record<string, unknown>)[k], k, gap, stack, inner);
      if (s !== undefined) parts.push(`${JSON.stringify(k)}:${gap ? ' ' : ''}${s}`);
    }
    out = parts.length === 0 ? '{}' : `{${open}${parts.join(sep)}${close}}`;
  }
  stack.delete(v);
  return out;
}

/**
 * JSON.parse with exact numbers (numberFromText): integers beyond 2^53 become bigints. JSON.parse
 * reads first (its own SyntaxError for invalid JSON); only when it produced a double that holds an
 * integer beyond 2^53, which is where it can differ from numberFromText, is the text read again exactly.
 */
export function parseJsonExact(text: string): unknown {
  const v: unknown = JSON.parse(text);
  return mayBeRounded(v) ? new ExactJson(text).document() : v;
}

/** Does the value hold a number JSON.parse may have rounded (an integer-valued double beyond 2^53)? */
function mayBeRounded(v: unknown): boolean {
  if (typeof v !== 'object') return typeof v === 'number' && (v > 9007199254740991 || v < -9007199254740991) && Number.isInteger(v);
  if (v === null) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (mayBeRounded(v[i])) return true;
    return false;
  }
  for (const k in v) if (mayBeRounded((v as Record<string, unknown>)[k])) return true;
  return false;
}

class ExactJson {
  private i = 0;
  constructor(private readonly s: string) {}

  document(): unknown {
    this.ws();
    const v = this.value(0);
    this.ws();
    if (this.i !== this.s.length) throw new SyntaxError('trailing content');
    return v;
  }

  private ws(): void {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.i);
      if (c === 32 || c === 10 || c === 13 || c === 9) this.i++;
      else return;
    }
  }

  private value(depth: number): unknown {
    if (depth > 10_000) throw new SyntaxError('too deep');
    const s = this.s;
    const c = s.charCodeAt(this.i);
    if (c === 34) return this.string();
    if (c === 123) {
      this.i++;
      const o: Record<string, unknown> = {};
      this.ws();
      if (s.charCodeAt(this.i) === 125) {
        this.i++;
        return o;
      }
      for (;;) {
        this.ws();
        if (s.charCodeAt(this.i) !== 34) throw new SyntaxError('key');
        const k = this.string();
        this.ws();
        if (s.charCodeAt(this.i++) !== 58) throw new SyntaxError('colon');
        this.ws();
        const v = this.value(depth + 1);
        // JSON.parse makes "__proto__" an own property; so do we.
        if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
        else o[k] = v;
        this.ws();
        const d = s.charCodeAt(this.i++);
        if (d === 125) return o;
        if (d !== 44) throw new SyntaxError('object');
      }
    }
    if (c === 91) {
      this.i++;
      const a: unknown[] = [];
      this.ws();
      if (s.charCodeAt(this.i) === 93) {
        this.i++;
        return a;
      }
      for (;;) {
        this.ws();
        a.push(this.value(depth + 1));
        this.ws();
        const d = s.charCodeAt(this.i++);
        if (d === 93) return a;
        if (d !== 44) throw new SyntaxError('array');
      }
    }
    if (s.startsWith('true', this.i)) {
      this.i += 4;
      return true;
    }
    if (s.startsWith('false', this.i)) {
      this.i += 5;
      return false;
    }
    if (s.startsWith('null', this.i)) {
      this.i += 4;
      return null;
    }
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = this.i;
    const r = m.exec(s);
    if (!r || r[0] === '') throw new SyntaxError('value');
    this.i += r[0].length;
    return numberFromText(r[0]);
  }

  private string(): string {
    const s = this.s;
    const start = this.i + 1;
    let i = start;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 34) {
        this.i = i + 1;
        return s.slice(start, i);
      }
      if (c === 92) break;
      if (c < 32) throw new SyntaxError('control character');
    }
    // Escapes: find the closing quote, let JSON.parse decode the string.
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 92) {
        i++;
        continue;
      }
      if (c === 34) break;
    }
    if (i >= s.length) throw new SyntaxError('unterminated string');
    const out = JSON.parse(s.slice(start - 1, i + 1)) as string;
    this.i = i + 1;
    return out;
  }
}
