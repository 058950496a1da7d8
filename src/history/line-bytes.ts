import type { Op } from './op.js';

/**
 * formatOpLine's text written straight into a reusable byte buffer (the interpreter's batches): the
 * common op (numbers, short strings, values that are small integer arrays) without building a string
 * per piece and without the UTF-8 conversion of the joined text. Anything else is formatOpLine's own
 * string, encoded in place, so the bytes are always exactly formatOpLine's (a test compares them).
 */
export class LineBytes {
  buf: Buffer = Buffer.allocUnsafe(1 << 16);
  off = 0;

  constructor(private readonly format: (op: Op) => string) {}

  /** Appends one op's line; throws (having appended nothing) when formatOpLine would throw. */
  op(op: Op): void {
    const start = this.off;
    if (!this.fast(op)) {
      this.off = start;
      this.text(this.format(op));
    }
  }

  private fast(op: Op): boolean {
    const { index, time, type, process, f, value, error, node, session } = op;
    if (typeof index !== 'number' || typeof time !== 'number' || typeof type !== 'string' || typeof f !== 'string') return false;
    if (typeof process !== 'number' && typeof process !== 'string') return false;
    if ((error !== undefined && typeof error !== 'string') || (node !== undefined && typeof node !== 'string')) return false;
    if (session !== undefined && typeof session !== 'string' && typeof session !== 'number') return false;
    if (value !== undefined && value !== null && !Array.isArray(value)) return false;
    this.bytes(INDEX);
    this.num(index);
    this.bytes(TIME);
    this.num(time);
    this.bytes(TYPE);
    this.str(type);
    this.bytes(PROCESS);
    if (typeof process === 'number') this.num(process);
    else this.str(process);
    this.bytes(F);
    this.str(f);
    this.bytes(VALUE);
    if (value === undefined || value === null) this.bytes(NULL);
    else if (!this.array(value as readonly unknown[], 0)) return false;
    if (error !== undefined) {
      this.bytes(ERROR);
      this.str(error);
    }
    if (node !== undefined) {
      this.bytes(NODE);
      this.str(node);
    }
    if (session !== undefined) {
      this.bytes(SESSION);
      if (typeof session === 'number') this.num(session);
      else this.str(session);
    }
    this.ensure(2);
    this.buf[this.off++] = 125; // }
    this.buf[this.off++] = 10;
    return true;
  }

  /** An array of 32-bit integers, nulls and such arrays, up to three levels (formatOpLine's smallArrayJson); false for anything else. */
  private array(a: readonly unknown[], depth: number): boolean {
    if ((a as { toJSON?: unknown }).toJSON !== undefined) return false;
    this.ensure(1);
    this.buf[this.off++] = 91; // [
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      this.ensure(16);
      if (i > 0) this.buf[this.off++] = 44; // ,
      if (typeof x === 'number' && (x | 0) === x) this.int(x);
      else if (x === null) this.bytes(NULL);
      else if (depth < 2 && Array.isArray(x)) {
        if (!this.array(x, depth + 1)) return false;
      } else return false;
    }
    this.ensure(1);
    this.buf[this.off++] = 93; // ]
    return true;
  }

  /** num() of formatOpLine: safe integers digit by digit, anything else its text. */
  private num(n: number): void {
    if (Number.isSafeInteger(n)) {
      this.ensure(17);
      this.int(n);
    } else this.text(n !== n || n === Infinity || n === -Infinity ? 'null' : String(n));
  }

  /**
   * A safe integer's digits (-0 as 0, as String does). Written in 32-bit halves of eight digits, two
   * digits a step: op times are nanoseconds (beyond 32 bits), where dividing the double by 10 a digit
   * at a time was the slowest part of a line.
   */
  private int(n: number): void {
    const buf = this.buf;
    if (n < 0) {
      buf[this.off++] = 45; // -
      n = -n;
    }
    if (n < 1e8) {
      this.off = digits(buf, this.off, n);
      return;
    }
    // A safe integer is below 2^53 < 1e16: hi has at most eight digits, lo exactly eight.
    const hi = Math.floor(n / 1e8);
    const lo = n - hi * 1e8;
    const o = digits(buf, this.off, hi);
    eight(buf, o, lo);
    this.off = o + 8;
  }

  /** A string as its JSON, the UTF-8 of the first few hundred remembered. */
  private str(s: string): void {
    let b = QUOTED.get(s);
    if (b === undefined) {
      b = Buffer.from(JSON.stringify(s));
      if (QUOTED.size < 512) QUOTED.set(s, b);
    }
    this.bytes(b);
  }

  private bytes(b: Uint8Array): void {
    const n = b.length;
    this.ensure(n);
    const buf = this.buf;
    let o = this.off;
    if (n <= 24) for (let i = 0; i < n; i++) buf[o++] = b[i]!;
    else {
      buf.set(b, o);
      o += n;
    }
    this.off = o;
  }

  private text(s: string): void {
    this.ensure(s.length * 3);
    this.off += this.buf.write(s, this.off);
  }

  private ensure(n: number): void {
    if (this.off + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.off + n));
    this.buf.copy(bigger, 0, 0, this.off);
    this.buf = bigger;
  }
}

/** "00", "01", ... "99" as ASCII pairs. */
const PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  PAIRS[2 * i] = 48 + Math.floor(i / 10);
  PAIRS[2 * i + 1] = 48 + (i % 10);
}

/** The digits of 0 <= n < 1e8 at buf[o..]; returns the offset after them. */
function digits(buf: Uint8Array, o: number, n: number): number {
  const len = n < 10 ? 1 : n < 100 ? 2 : n < 1e3 ? 3 : n < 1e4 ? 4 : n < 1e5 ? 5 : n < 1e6 ? 6 : n < 1e7 ? 7 : 8;
  let i = o + len - 1;
  while (n >= 100) {
    const q = (n / 100) | 0;
    const r = (n - q * 100) << 1;
    buf[i--] = PAIRS[r + 1]!;
    buf[i--] = PAIRS[r]!;
    n = q;
  }
  if (n >= 10) {
    buf[i--] = PAIRS[(n << 1) + 1]!;
    buf[i] = PAIRS[n << 1]!;
  } else buf[i] = 48 + n;
  return o + len;
}

/** 0 <= n < 1e8 as exactly eight digits (leading zeros) at buf[o..]. */
function eight(buf: Uint8Array, o: number, n: number): void {
  for (let i = o + 6; i >= o; i -= 2) {
    const q = (n / 100) | 0;
    const r = (n - q * 100) << 1;
    buf[i] = PAIRS[r]!;
    buf[i + 1] = PAIRS[r + 1]!;
    n = q;
  }
}

const QUOTED = new Map<string, Buffer>();
const INDEX = Buffer.from('{"index":');
const TIME = Buffer.from(',"time":');
const TYPE = Buffer.from(',"type":');
const PROCESS = Buffer.from(',"process":');
const F = Buffer.from(',"f":');
const VALUE = Buffer.from(',"value":');
const ERROR = Buffer.from(',"error":');
const NODE = Buffer.from(',"node":');
const SESSION = Buffer.from(',"session":');
const NULL = Buffer.from('null');
