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

  /** A safe integer's digits (-0 as 0, as String does). */
  private int(n: number): void {
    const buf = this.buf;
    if (n < 0) {
      buf[this.off++] = 45; // -
      n = -n;
    }
    let end = this.off;
    for (let m = n; m >= 10; m = Math.floor(m / 10)) end++;
    let i = end;
    do {
      const q = Math.floor(n / 10);
      buf[i--] = 48 + (n - q * 10);
      n = q;
    } while (n > 0);
    this.off = end + 1;
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
