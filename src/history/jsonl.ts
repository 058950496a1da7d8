import { HistoryError, type HistoryWarning } from './errors.js';
import type { Op } from './op.js';
import { parseJsonExact } from './exact.js';
import { parseOpLineFast } from './fastline.js';
import { normalizeOp, type NormalizeNotes } from './normalize.js';
import type { ReadCompactor } from './prefix-list.js';

/** Where a JSONL scan stands: lines consumed so far and ops produced so far. */
export interface JsonlCursor {
  line: number;
  position: number;
}

/**
 * Parses the complete lines of `text` (one JSON op per line; blank lines skipped), pushing each op
 * and its 1-based line. A last segment without a newline is the end of the file: when it does not
 * parse it is a line torn by a writer that crashed mid-write, skipped with a warning. A bad line
 * that ends in a newline is a parse error, wherever it is.
 */
export function scanJsonl(
  text: string,
  file: string,
  cur: JsonlCursor,
  ops: Op[],
  lines: number[],
  warnings: HistoryWarning[],
  notes?: NormalizeNotes,
  shared?: ReadCompactor,
): void {
  const n = text.length;
  let pos = 0;
  let line = cur.line;
  let position = cur.position;
  while (pos < n) {
    line++;
    const nl = text.indexOf('\n', pos);
    const torn = nl === -1;
    const end = torn ? n : nl;
    const stop = end > pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    if (stop > pos) {
      const fast = parseOpLineFast(text, pos, stop, shared);
      if (fast !== undefined) {
        ops.push(fast);
        lines.push(line);
        position++;
        pos = end + 1;
        continue;
      }
      const s = text.slice(pos, stop);
      let raw: unknown;
      try {
        raw = parseJsonExact(s);
      } catch (e) {
        if (s.trim() === '') {
          pos = end + 1;
          continue;
        }
        if (torn) {
          warnings.push({ file, line, message: `skipped an incomplete last line (${s.length} characters, no newline): the writer probably stopped mid-write` });
          break;
        }
        throw new HistoryError(`not valid JSON: ${(e as Error).message}`, file, line, 'parse');
      }
      ops.push(normalizeOp(raw, file, line, position++, notes));
      lines.push(line);
    }
    pos = end + 1;
  }
  cur.line = line;
  cur.position = position;
}
