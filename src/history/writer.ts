import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import type { Op } from './op.js';

export interface HistoryWriterOptions {
  /** fsync the file on close, so the history survives a machine crash, not only a process crash. */
  fsync?: boolean;
}

/** One op as one JSONL line, keys in the order index, time, type, process, f, value, error, node, session. */
export function formatOpLine(op: Op): string {
  const o: Record<string, unknown> = {
    index: op.index, time: op.time, type: op.type, process: op.process, f: op.f,
    value: op.value === undefined ? null : op.value,
  };
  if (op.error !== undefined) o.error = op.error;
  if (op.node !== undefined) o.node = op.node;
  if (op.session !== undefined) o.session = op.session;
  return JSON.stringify(o) + '\n';
}

/**
 * Appends ops to a JSONL history as they happen. Each op is one line handed to the kernel by one
 * synchronous write, so when the writing process dies everything appended so far is in the file,
 * at worst followed by nothing (the loader skips a torn last line anyway).
 */
export class HistoryWriter {
  private fd: number | undefined;
  private count = 0;

  constructor(readonly file: string, private readonly opts: HistoryWriterOptions = {}) {
    this.fd = openSync(file, 'a');
    // Appending after a torn line (an earlier writer crashed mid-line) would glue our first op to
    // it and lose both; start on a fresh line instead, so the damage stays one bad line.
    const size = fstatSync(this.fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      const rfd = openSync(file, 'r');
      try { readSync(rfd, last, 0, 1, size - 1); } finally { closeSync(rfd); }
      if (last[0] !== 10) writeAll(this.fd, Buffer.from('\n'));
    }
  }

  /** Ops appended by this writer. */
  get written(): number {
    return this.count;
  }

  append(op: Op): void {
    if (this.fd === undefined) throw new Error(`history writer for ${this.file} is closed`);
    // Serialize first: a value that cannot be written (a cycle, a BigInt) throws before any byte is.
    writeAll(this.fd, Buffer.from(formatOpLine(op)));
    this.count++;
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
