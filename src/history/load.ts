import { open, type FileHandle } from 'node:fs/promises';
import { parseEdn } from './edn.js';
import type { HistoryWarning } from './errors.js';
import { parseJsonArray } from './json.js';
import { scanJsonl } from './jsonl.js';
import { readHistoryText } from './read-text.js';
import { normalizeOp, notesWarning, type NormalizeNotes } from './normalize.js';
import type { Op } from './op.js';

import { ReadCompactor } from './prefix-list.js';
import { CompletedValueSharing } from './share.js';
import { readBatches } from './stream.js';

export { readHistory, type HistoryStream } from './stream.js';

export type HistoryFormat = 'jsonl' | 'json' | 'edn';

export interface LoadedHistory {
  file: string;
  format: HistoryFormat;
  ops: Op[];
  /** 1-based source line of each op. */
  lines: number[];
  warnings: HistoryWarning[];
}

/**
 * Loads a history in any supported format, detected from the content: our JSONL, a JSON array of
 * op maps, an EDN vector (or list) of op maps, or EDN op maps one after another (one per line).
 * Unreadable file -> HistoryError 'unreadable'; bad content -> 'parse' with the line. Bounded as it
 * reads (read-text.ts): no NUL bytes, no line over 64 MB, at most ~512 MB in all for EDN and JSON
 * (JSONL is read in chunks, with no bound on its size).
 */
export async function loadHistory(file: string, opts: LoadOptions = {}): Promise<LoadedHistory> {
  if (await startsLikeJsonl(file)) return loadJsonl(file, opts);
  const text = await readHistoryText(file);
  const h = parseHistory(text, file);
  if (opts.shareCompletedValues) {
    const share = new CompletedValueSharing();
    for (const op of h.ops) share.add(op);
  }
  if (opts.compactReads) {
    const compact = new ReadCompactor();
    for (const op of h.ops) compact.add(op);
  }
  return h;
}

export interface LoadOptions {
  /** Invocations take their completion's value when it holds the same micro-ops (share.ts): for transactional checkers only. */
  shareCompletedValues?: boolean;
  /** Whole-list reads become prefixes of their key's one list (prefix-list.ts): for the replication checkers only. */
  compactReads?: boolean;
}

/**
 * JSONL is read in chunks (stream.ts), never as one string: the text of a 1,000,000-transaction
 * history is 300 MB, twice over (bytes and string) while the ops are built beside it.
 */
async function loadJsonl(file: string, opts: LoadOptions): Promise<LoadedHistory> {
  const ops: Op[] = [];
  const lines: number[] = [];
  const compact = opts.compactReads ? new ReadCompactor() : undefined;
  const warnings: HistoryWarning[] = [];
  const share = opts.shareCompletedValues ? new CompletedValueSharing() : undefined;
  for await (const batch of readBatches(file, warnings, compact)) {
    for (let k = 0; k < batch.ops.length; k++) {
      const op = batch.ops[k]!;
      ops.push(op);
      lines.push(batch.lines[k]!);
      share?.add(op);
      compact?.add(op);
    }
  }
  return { file, format: 'jsonl', ops, lines, warnings };
}

/** Whether the first 4 KB say JSONL (detectFormat on them); unreadable files go the general way, which says why. */
async function startsLikeJsonl(file: string): Promise<boolean> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(file, 'r');
    if (!(await fh.stat()).isFile()) return false;
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    let text = buf.toString('utf8', 0, bytesRead);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return bytesRead > 0 && detectFormat(text) === 'jsonl';
  } catch {
    return false;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** The same as loadHistory, on text already in memory (`file` names it in messages). */
export function parseHistory(text: string, file: string): LoadedHistory {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // byte order mark
  const format = detectFormat(text);
  const ops: Op[] = [];
  const lines: number[] = [];
  const warnings: HistoryWarning[] = [];
  const notes: NormalizeNotes = { inferredTxn: 0 };
  if (format === 'jsonl') {
    scanJsonl(text, file, { line: 0, position: 0 }, ops, lines, warnings, notes);
  } else if (format === 'json') {
    const { values, lines: at } = parseJsonArray(text, file);
    for (let k = 0; k < values.length; k++) {
      ops.push(normalizeOp(values[k], file, at[k]!, k, notes));
      lines.push(at[k]!);
    }
  } else {
    const tags = new Map<string, { line: number; count: number }>();
    const forms = parseEdn(text, file, (tag, line) => {
      const t = tags.get(tag);
      if (t) t.count++;
      else tags.set(tag, { line, count: 1 });
    });
    for (const [tag, t] of tags) {
      warnings.push({
        file,
        line: t.line,
        message: `unknown EDN tag #${tag}${t.count > 1 ? ` (${t.count} times, first here)` : ''}: read as its plain value, the tag dropped`,
      });
    }
    const only = forms.length === 1 ? forms[0]! : undefined;
    if (only?.itemLines && Array.isArray(only.value)) {
      // One vector (or list) holding the ops: Knossos' shape.
      const items = only.value;
      for (let k = 0; k < items.length; k++) {
        ops.push(normalizeOp(items[k], file, only.itemLines[k]!, k, notes));
        lines.push(only.itemLines[k]!);
      }
    } else {
      // Op maps one after another: Jepsen's history.edn shape.
      for (let k = 0; k < forms.length; k++) {
        const form = forms[k]!;
        ops.push(normalizeOp(form.value, file, form.line, k, notes));
        lines.push(form.line);
      }
    }
  }
  const w = notesWarning(notes, file);
  if (w) warnings.push(w);
  return { file, format, ops, lines, warnings };
}

/**
 * Decides the format from the first significant characters. `{` followed by a string key (or `}`)
 * is JSON, by anything else (a keyword) EDN; `[` is looked into the same way; anything else is EDN.
 * An empty file is JSONL with no ops.
 */
export function detectFormat(text: string): HistoryFormat {
  let i = skipWs(text, 0);
  if (i >= text.length) return 'jsonl';
  const c = text.charCodeAt(i);
  if (c === 123 /* { */) return jsonKeyFollows(text, i + 1) ? 'jsonl' : 'edn';
  if (c === 91 /* [ */) {
    i = skipWs(text, i + 1);
    const d = text.charCodeAt(i);
    if (d === 93 /* ] */) return 'json';
    if (d === 123) return jsonKeyFollows(text, i + 1) ? 'json' : 'edn';
    return 'edn';
  }
  return 'edn';
}

function skipWs(text: string, i: number): number {
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9 && c !== 0xfeff) break;
  }
  return i;
}

function jsonKeyFollows(text: string, i: number): boolean {
  const j = skipWs(text, i);
  if (j >= text.length) return true; // a lone torn '{': JSONL's torn last line
  const c = text.charCodeAt(j);
  return c === 34 /* " */ || c === 125; /* } */
}
