import { HistoryError } from './errors.js';
import { parseJsonExact } from './exact.js';

/**
 * Reads a JSON array, keeping the 1-based start line of each element. JSON.parse gives no
 * positions, so a light scan (strings and nesting only) splits the top level and each element
 * is parsed on its own (numbers exact: parseJsonExact): an error then names the element's line.
 */
export function parseJsonArray(text: string, file: string): { values: unknown[]; lines: number[] } {
  const n = text.length;
  const values: unknown[] = [];
  const lines: number[] = [];
  let line = 1;
  let i = 0;
  const skipWs = (): void => {
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) line++;
      else if (c !== 32 && c !== 9 && c !== 13 && c !== 0xfeff) break;
    }
  };
  const fail = (message: string, at = line): HistoryError => new HistoryError(message, file, at, 'parse');

  skipWs();
  if (text[i] !== '[') throw fail(`expected a JSON array`);
  const openLine = line;
  i++;
  let expectValue = true;
  let afterComma = false;
  for (;;) {
    skipWs();
    if (i >= n) throw fail(`unterminated JSON array starting at line ${openLine}`, openLine);
    const c = text.charCodeAt(i);
    if (c === 93 /* ] */) {
      if (afterComma) throw fail(`trailing comma before ']'`);
      i++;
      break;
    }
    if (!expectValue) {
      if (c !== 44 /* , */) throw fail(`expected ',' or ']' after an element`);
      i++;
      expectValue = true;
      afterComma = true;
      continue;
    }
    const start = i;
    const startLine = line;
    let depth = 0;
    let inString = false;
    for (; i < n; i++) {
      const d = text.charCodeAt(i);
      if (inString) {
        if (d === 92) i++;
        else if (d === 34) inString = false;
        else if (d === 10) line++;
      } else if (d === 34) inString = true;
      else if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) {
        if (depth === 0) break;
        depth--;
      } else if (d === 44 && depth === 0) break;
      else if (d === 10) line++;
    }
    if (i >= n) throw fail(`unterminated JSON array starting at line ${openLine}`, openLine);
    const slice = text.slice(start, i);
    try {
      values.push(parseJsonExact(slice));
    } catch (e) {
      const msg = (e as Error).message;
      const m = /position (\d+)/.exec(msg);
      const at = m ? startLine + countNewlines(slice, Number(m[1])) : startLine;
      throw fail(`not valid JSON: ${msg}`, at);
    }
    lines.push(startLine);
    expectValue = false;
    afterComma = false;
  }
  skipWs();
  if (i < n) throw fail(`unexpected content after the JSON array`);
  return { values, lines };
}

function countNewlines(s: string, upTo: number): number {
  let k = 0;
  for (let i = 0; i < upTo && i < s.length; i++) if (s.charCodeAt(i) === 10) k++;
  return k;
}
