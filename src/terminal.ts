/**
 * Values from histories are data: a message shown on a terminal must not carry terminal escape
 * sequences (or a carriage return that overwrites what came before). C0 and C1 control characters
 * and DEL become visible escapes: ESC -> \x1b, newline -> \n.
 */
export function termSafe(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}
