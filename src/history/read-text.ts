import { open, type FileHandle } from 'node:fs/promises';
import { fsReason } from '../fs-words.js';
import { HistoryError } from './errors.js';

/**
 * Bounds on what faultline reads as a history, checked as the bytes arrive so that a special file
 * (/dev/zero, /dev/urandom, a pipe that never ends) is refused within the first chunk instead of
 * being read until memory runs out.
 */

/** The longest line accepted: a history has one operation per line; no operation is 64 MB. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;
/** The most `loadHistory` holds in memory: V8's longest string (~512 MB). */
export const MAX_LOAD_BYTES = 0x1fffffe8;

const CHUNK = 1 << 20;
const MB = 1024 * 1024;

/** Opens a history for reading; a HistoryError 'unreadable' in plain words when it cannot be. */
export async function openHistory(file: string): Promise<FileHandle> {
  try {
    return await open(file, 'r');
  } catch (e) {
    throw unreadable(file, e);
  }
}

export function unreadable(file: string, e: unknown): HistoryError {
  return new HistoryError(`cannot read history: ${fsReason(e)}`, file, undefined, 'unreadable');
}

/** Tracks the bounds over consecutive chunks: NUL bytes (not text) and the length of the current line. */
export class TextGuard {
  private offset = 0;
  private line = 1;
  private lineStart = 0;

  constructor(private readonly file: string) {}

  /** Checks the next chunk of the file; throws a HistoryError naming what is wrong and what to do. */
  take(chunk: Uint8Array): void {
    const nul = chunk.indexOf(0);
    if (nul !== -1) {
      throw new HistoryError(
        `not a text file (a NUL byte at byte ${this.offset + nul}): give a history in JSONL, JSON or EDN`,
        this.file,
        this.line + countNewlines(chunk, nul),
        'parse',
      );
    }
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) {
      this.line++;
      this.lineStart = this.offset + i + 1;
    }
    this.offset += chunk.length;
    if (this.offset - this.lineStart > MAX_LINE_BYTES) {
      throw new HistoryError(
        `line ${this.line} is longer than ${MAX_LINE_BYTES / MB} MB: faultline reads histories with one operation per line ` +
          `(JSONL, or JSON/EDN with one op per line); reformat it, e.g. jq -c '.[]' FILE > FILE.jsonl`,
        this.file,
        this.line,
        'parse',
      );
    }
  }
}

function countNewlines(chunk: Uint8Array, upTo: number): number {
  let k = 0;
  for (let i = 0; i < upTo; i++) if (chunk[i] === 10) k++;
  return k;
}

/** A whole history file as text, within the bounds above (a byte order mark is left to the parser). */
export async function readHistoryText(file: string): Promise<string> {
  const fh = await openHistory(file);
  try {
    const tooLarge = () =>
      new HistoryError(
        `larger than ${Math.floor(MAX_LOAD_BYTES / MB)} MB, more than faultline can check in memory: ` +
          'split it into smaller histories (e.g. by time or by key)',
        file,
        undefined,
        'unreadable',
      );
    let expected = 0;
    try {
      const st = await fh.stat();
      if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      if (st.isFile() && st.size > MAX_LOAD_BYTES) throw tooLarge();
      if (st.isFile()) expected = st.size;
    } catch (e) {
      if (e instanceof HistoryError) throw e;
      throw unreadable(file, e);
    }
    // One buffer, sized from stat for a regular file (one byte more, to see the end at once), grown by
    // doubling for a pipe or a file that grows: no second copy of the whole file while reading.
    const guard = new TextGuard(file);
    let buf = Buffer.allocUnsafe(Math.max(CHUNK, expected + 1));
    let size = 0;
    for (;;) {
      if (size === buf.length) {
        const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, MAX_LOAD_BYTES + 1));
        buf.copy(bigger, 0, 0, size);
        buf = bigger;
      }
      let n: number;
      try {
        ({ bytesRead: n } = await fh.read(buf, size, Math.min(CHUNK, buf.length - size), null));
      } catch (e) {
        throw unreadable(file, e);
      }
      if (n === 0) break;
      guard.take(buf.subarray(size, size + n));
      size += n;
      if (size > MAX_LOAD_BYTES) throw tooLarge();
    }
    return buf.toString('utf8', 0, size);
  } finally {
    await fh.close();
  }
}
