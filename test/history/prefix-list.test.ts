import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadHistory } from '../../src/history/load.js';
import { PrefixList } from '../../src/history/prefix-list.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-prefix-list-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Ok reads of [key, list], one per line, through the JSONL loader with compactReads on and off. */
async function load(reads: string[]) {
  const lines = reads.flatMap((v, i) => [
    `{"index":${2 * i},"time":${2 * i},"type":"invoke","process":0,"f":"read","value":[${v.split(',')[0]!.slice(1)},null]}`,
    `{"index":${2 * i + 1},"time":${2 * i + 1},"type":"ok","process":0,"f":"read","value":${v}}`,
  ]);
  const file = join(dir, `h${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(file, lines.join('\n') + '\n');
  const on = await loadHistory(file, { compactReads: true });
  const off = await loadHistory(file);
  return { on: on.ops.filter((o) => o.type === 'ok').map((o) => (o.value as unknown[])[1]), off: off.ops.filter((o) => o.type === 'ok') };
}

describe('whole-list reads share their key’s list while loading', () => {
  it('prefixes and extensions become (list, n); the same values when serialised', async () => {
    const { on, off } = await load(['[1,[1,2]]', '[1,[1]]', '[1,[1,2,3]]', '["a",["x","y"]]', '["a",["x"]]', '[1,[1,2,3,4]]']);
    expect(on.every((x) => x instanceof PrefixList)).toBe(true);
    expect((on[0] as PrefixList).base).toBe((on[5] as PrefixList).base);
    expect(JSON.stringify(on)).toBe(JSON.stringify(off.map((o) => (o.value as unknown[])[1])));
  });

  it('a divergent read, -0 and nested elements keep their own array; a float (general path) extends the list', async () => {
    const { on } = await load(['[1,[1,2,3]]', '[1,[1,3]]', '[1,[1,2,-0]]', '[1,[1,2,3,[4]]]', '[1,[1,2,3,4.5]]', '[1,[1,2,3,4]]', '[1,[]]']);
    expect(on.map((x) => (x instanceof PrefixList ? `shared ${x.n}` : `own ${JSON.stringify(x)}`))).toEqual([
      'shared 3',
      'own [1,3]',
      'own [1,2,0]',
      'own [1,2,3,[4]]',
      'shared 4',
      'own [1,2,3,4]',
      'own []',
    ]);
    expect(Object.is((on[2] as unknown[])[2], -0)).toBe(true);
  });

  it('reads compared as text: prefixes, extensions, near misses, and long strings that end the text', async () => {
    const { on, off } = await load([
      '[7,[10,20]]',
      '[7,[10,20,30]]', // extends: the text, then 30
      '[7,[10,20]]', // a prefix of the text
      '[7,[10,2]]', // "10,2" begins the text but ends inside an element: own list
      '[7,[10,20,3]]', // same length as a prefix, different element: own list
      '[7,[10,20,30,"a-long-string-1"]]', // extends with a string the text does not hold
      '[7,[10,20,30,"a-long-string-1",40]]', // element by element from here on
      '[7,[10,20,30]]',
      '[7,[10,20,30,"a-long-string-2"]]', // divergent after the text ended
    ]);
    expect(on.map((x) => (x instanceof PrefixList ? `shared ${x.n}` : `own ${JSON.stringify(x)}`))).toEqual([
      'shared 2',
      'shared 3',
      'shared 2',
      'own [10,2]',
      'own [10,20,3]',
      'shared 4',
      'shared 5',
      'shared 3',
      'own [10,20,30,"a-long-string-2"]',
    ]);
    expect(JSON.stringify(on)).toBe(JSON.stringify(off.map((o) => (o.value as unknown[])[1])));
  });
});
