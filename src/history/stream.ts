import { HistoryError, type HistoryWarning } from './errors.js';
import { scanJsonl, type JsonlCursor } from './jsonl.js';
import { openHistory, TextGuard, unreadable } from './read-text.js';
import { notesWarning, type NormalizeNotes } from './normalize.js';
import type { Op } from './op.js';
import type { ReadCompactor } from './prefix-list.js';

const CHUNK = 1 << 20;

/** Ops of a JSONL history as they are read; `warnings` fills in as reading goes (torn last line). */
export interface HistoryStream extends AsyncIterable<{ op: Op; line: number }> {
  readonly warnings: HistoryWarning[];
}

/**
 * Streams a JSONL history in 1 MiB chunks, so memory stays bounded whatever the file size.
 * Same rules as loadHistory: blank lines skipped, a torn last line skipped with a warning, a bad
 * line elsewhere a HistoryError with its line; NUL bytes and lines over 64 MB are refused as they arrive. JSONL only: EDN and JSON arrays need loadHistory.
 */
export function readHistory(file: string, shared?: ReadCompactor): HistoryStream {
  const warnings: HistoryWarning[] = [];
  return {
    warnings,
    [Symbol.asyncIterator]: () => read(file, warnings, shared)[Symbol.asyncIterator](),
  };
}

async function* read(file: string, warnings: HistoryWarning[], shared?: ReadCompactor): AsyncGenerator<{ op: Op; line: number }> {
  for await (const { ops, lines } of readBatches(file, warnings, shared)) {
    for (let k = 0; k < ops.length; k++) yield { op: ops[k]!, line: lines[k]! };
  }
}

/**
 * The ops of a JSONL history one chunk at a time (readHistory's rules), each with its 1-based line:
 * for a loader that keeps them all, one step of an async generator per op cost more than parsing it.
 */
export async function* readBatches(file: string, warnings: HistoryWarning[], shared?: ReadCompactor): AsyncGenerator<{ ops: Op[]; lines: number[] }> {
  const fh = await openHistory(file);
  const guard = new TextGuard(file);
  try {
    const cur: JsonlCursor = { line: 0, position: 0 };
    const notes: NormalizeNotes = { inferredTxn: 0 };
    const buf = Buffer.allocUnsafe(CHUNK);
    let carry: Buffer | undefined;
    let first = true;
    for (;;) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await fh.read(buf, 0, CHUNK, null));
      } catch (e) {
        throw unreadable(file, e);
      }
      if (bytesRead === 0) break;
      guard.take(buf.subarray(0, bytesRead));
      let data = carry ? Buffer.concat([carry, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
      if (first) {
        if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) data = data.subarray(3); // byte order mark
        checkJsonl(data, file);
        first = false;
      }
      // Split at the last newline: a newline byte never occurs inside a UTF-8 sequence.
      const cut = data.lastIndexOf(10) + 1;
      carry = cut < data.length ? Buffer.from(data.subarray(cut)) : undefined; // copied: buf is reused
      if (cut === 0) continue;
      const ops: Op[] = [];
      const lines: number[] = [];
      scanJsonl(data.toString('utf8', 0, cut), file, cur, ops, lines, warnings, notes, shared);
      yield { ops, lines };
    }
    if (carry) {
      const ops: Op[] = [];
      const lines: number[] = [];
      scanJsonl(carry.toString('utf8'), file, cur, ops, lines, warnings, notes, shared);
      yield { ops, lines };
    }
    const w = notesWarning(notes, file);
    if (w) warnings.push(w);
  } finally {
    await fh.close();
  }
}

/** A first significant byte other than '{' means EDN or a JSON array: say so, not "bad JSON". */
function checkJsonl(data: Buffer, file: string): void {
  let line = 1;
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    if (c === 10) {
      line++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) continue;
    let j = i + 1;
    while (j < data.length && (data[j] === 32 || data[j] === 9)) j++;
    if (c === 123 && (j >= data.length || data[j] === 34 || data[j] === 125)) return;
    throw new HistoryError(
      `not faultline JSONL (it looks like EDN or a JSON array): convert it first with faultline convert FILE OUT.jsonl`,
      file,
      line,
      'parse',
    );
  }
}
