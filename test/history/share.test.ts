import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadHistory } from '../../src/history/load.js';

const lines = [
  {
    index: 0,
    time: 0,
    type: 'invoke',
    process: 0,
    f: 'txn',
    value: [
      ['append', 1, 1],
      ['r', 1, null],
    ],
  },
  { index: 1, time: 1, type: 'invoke', process: 1, f: 'txn', value: [['r', 2, null]] },
  {
    index: 2,
    time: 2,
    type: 'ok',
    process: 0,
    f: 'txn',
    value: [
      ['append', 1, 1],
      ['r', 1, [1]],
    ],
  },
  { index: 3, time: 3, type: 'ok', process: 1, f: 'txn', value: [['r', 3, []]] },
];

describe('loading with shareCompletedValues', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  for (const format of ['jsonl', 'edn'] as const) {
    it(`${format}: an invocation takes its completion's value only when the micro-ops match`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'fl-share-'));
      dirs.push(dir);
      const file = join(dir, `h.${format}`);
      const text =
        format === 'jsonl'
          ? lines.map((l) => JSON.stringify(l)).join('\n') + '\n'
          : lines
              .map(
                (l) =>
                  `{:index ${l.index} :type :${l.type} :process ${l.process} :f :txn :value [${l.value
                    .map((m) => `[:${m[0]} ${m[1]} ${m[2] === null ? 'nil' : Array.isArray(m[2]) ? `[${m[2].join(' ')}]` : m[2]}]`)
                    .join(' ')}]}`,
              )
              .join('\n');
      writeFileSync(file, text);
      const shared = await loadHistory(file, { shareCompletedValues: true });
      expect(shared.ops[0]!.value).toBe(shared.ops[2]!.value);
      expect(shared.ops[0]!.value).toEqual([
        ['append', 1, 1],
        ['r', 1, [1]],
      ]);
      // Key 2 was asked for, key 3 answered: not the same transaction, so nothing is shared.
      expect(shared.ops[1]!.value).toEqual([['r', 2, null]]);
      const plain = await loadHistory(file);
      expect(plain.ops[0]!.value).toEqual([
        ['append', 1, 1],
        ['r', 1, null],
      ]);
    });
  }
});
