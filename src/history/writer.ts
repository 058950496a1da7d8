import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { stringifyExact } from './exact.js';
import { LineBytes } from './line-bytes.js';
import type { Op } from './op.js';

/** A batch buffer grown beyond this (a huge batch) is not kept for the next one. */
const MAX_KEPT_BUFFER = 4 << 20;

export interface HistoryWriterOptions {
  /** fsync the file on close, so the history survives a machine crash, not only a process crash. */
  fsync?: boolean;
}

/** One op as one JSONL line, keys in the order index, time, type, process, f, value, error, node, session. */
export function formatOpLine(op: Op): string {
  // Concatenated by hand: the same text as JSON.stringify of the ordered object, about twice as fast
  // (the interpreter formats two lines per op).
  // type, process and f come from a handful of strings (and numbers): their JSON is remembered.
  const type = typeof op.type === 'string' ? quoted(op.type) : `${JSON.stringify(op.type)}`;
  const process =
    typeof op.process === 'number' && Number.isFinite(op.process)
      ? num(op.process)
      : typeof op.process === 'string'
        ? quoted(op.process)
        : (JSON.stringify(op.process) ?? 'null');
  const f = typeof op.f === 'string' ? quoted(op.f) : (JSON.stringify(op.f) ?? 'null');
  const v = op.value;
  let line =
    '{"index":' +
    num(op.index) +
    ',"time":' +
    num(op.time) +
    ',"type":' +
    type +
    ',"process":' +
    process +
    ',"f":' +
    f +
    ',"value":' +
    (v === undefined || v === null ? 'null' : (Array.isArray(v) && smallArrayJson(v, 0)) || json(v));
  if (op.error !== undefined) line = optional(line, 'error', op.error);
  if (op.node !== undefined) line = optional(line, 'node', op.node);
  if (op.session !== undefined) line = optional(line, 'session', op.session);
  return line + '}\n';
}

function optional(line: string, key: string, v: unknown): string {
  const s = typeof v === 'string' ? quoted(v) : stringifyExact(v);
  return s === undefined ? line : `${line},"${key}":${s}`;
}

const QUOTED = new Map<string, string>();

/** JSON.stringify of a string, remembered for the first few hundred strings seen. */
function quoted(s: string): string {
  let q = QUOTED.get(s);
  if (q === undefined) {
    q = JSON.stringify(s);
    if (QUOTED.size < 512) QUOTED.set(s, q);
  }
  return q;
}

/** "", "0", "00", ... "00000000": zeros that pad a number below 1e9 to nine digits. */
const ZEROS = Array.from({ length: 9 }, (_, i) => '0'.repeat(i));

/**
 * JSON of a number. Op times are nanoseconds, beyond 32 bits, where String() takes V8's slow double
 * path (~200 ns); a positive safe integer is printed as two small-integer halves instead (same text).
 */
function num(n: number): string {
  if ((n | 0) === n) return '' + n;
  if (n > 0 && n <= Number.MAX_SAFE_INTEGER && Math.floor(n) === n) {
    const hi = Math.floor(n / 1e9);
    const lo = '' + (n - hi * 1e9);
    return hi === 0 ? lo : hi + ZEROS[9 - lo.length]! + lo;
  }
  return typeof n === 'number' && Number.isFinite(n) ? String(n) : (JSON.stringify(n) ?? 'null');
}

/**
 * JSON of the values most ops carry (an array, up to three levels deep, of 32-bit integers and nulls:
 * [k, null], [k, v], [k, [v, w]]) without JSON.stringify; '' for anything else, which goes the general way.
 */
function smallArrayJson(a: readonly unknown[], depth: number): string {
  if ((a as { toJSON?: unknown }).toJSON !== undefined) return '';
  let s = '[';
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (i > 0) s += ',';
    if (typeof x === 'number' && (x | 0) === x) s += x;
    else if (x === null) s += 'null';
    else if (depth < 2 && Array.isArray(x)) {
      const t = smallArrayJson(x, depth + 1);
      if (t === '') return '';
      s += t;
    } else return '';
  }
  return s + ']';
}

/** JSON of a value (a function, which it drops, as null); a bigint as its exact digits; a cycle throws. */
function json(v: unknown): string {
  return stringifyExact(v) ?? 'null';
}

/**
 * Appends ops to a JSONL history as they happen. Each op is one line handed to the kernel by one
 * synchronous write, so when the writing process dies everything appended so far is in the file,
 * at worst followed by nothing (the loader skips a torn last line anyway).
 */
export class HistoryWriter {
  private fd: number | undefined;
  private count = 0;
  /** appendAll's byte buffer, kept between batches. */
  private lines: LineBytes | undefined;

  constructor(
    readonly file: string,
    private readonly opts: HistoryWriterOptions = {},
  ) {
    this.fd = openSync(file, 'a');
    // Appending after a torn line (an earlier writer crashed mid-line) would glue our first op to
    // it and lose both; start on a fresh line instead, so the damage stays one bad line.
    const size = fstatSync(this.fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      const rfd = openSync(file, 'r');
      try {
        readSync(rfd, last, 0, 1, size - 1);
      } finally {
        closeSync(rfd);
      }
      if (last[0] !== 10) writeAll(this.fd, Buffer.from('\n'));
    }
  }

  /** Ops appended by this writer. */
  get written(): number {
    return this.count;
  }

  append(op: Op): void {
    if (this.fd === undefined) throw new Error(`history writer for ${this.file} is closed`);
    // Serialize first: a value that cannot be written (a cycle) throws before any byte is.
    writeAll(this.fd, Buffer.from(formatOpLine(op)));
    this.count++;
  }

  /**
   * Several ops with one write (the interpreter's batch of one event-loop turn): a crash loses at
   * most this batch, and the loader skips a torn last line as for append.
   */
  appendAll(ops: readonly Op[]): void {
    if (this.fd === undefined) throw new Error(`history writer for ${this.file} is closed`);
    if (ops.length === 0) return;
    // Encoded whole before the write: an op that cannot be written throws before any byte is.
    const lines = (this.lines ??= new LineBytes(formatOpLine));
    lines.off = 0;
    for (const op of ops) lines.op(op);
    writeAll(this.fd, lines.buf.subarray(0, lines.off));
    this.count += ops.length;
    if (lines.buf.length > MAX_KEPT_BUFFER) this.lines = undefined;
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      if (this.opts.fsync) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

/** One writeSync; a regular file takes it whole, the loop is only for the rare short write. */
function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}
