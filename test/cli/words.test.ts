import { describe, expect, it } from 'vitest';
import { fsReason } from '../../src/fs-words.js';
import { termSafe } from '../../src/terminal.js';

describe('plain words for file errors', () => {
  it('maps the errno codes users meet to words, never the code', () => {
    const e = (code: string) => Object.assign(new Error(`${code}: something, open 'x'`), { code });
    expect(fsReason(e('EISDIR'))).toBe('is a directory');
    expect(fsReason(e('ELOOP'))).toMatch(/^too many symlinks/);
    expect(fsReason(e('EACCES'))).toBe('permission denied');
    expect(fsReason(e('ENOENT'))).toBe('does not exist');
    expect(fsReason(e('EWHATEVER'))).toBe('something'); // an unknown code: Node's words, without the code
  });
});

describe('terminal-safe values', () => {
  it('escapes C0, C1 and DEL controls, keeps printable text', () => {
    expect(termSafe('a\u001b[2Jb\rc\nd\u009be\u007f')).toBe('a\\x1b[2Jb\\rc\\nd\\x9be\\x7f');
    expect(termSafe('process 3 read "κ" ✓')).toBe('process 3 read "κ" ✓');
  });
});
