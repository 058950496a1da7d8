import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conformanceDir, type Expected } from '../../../bench/conformance.js';
import { checkHistoryFile } from '../../../src/check.js';

// Every Elle history in the shared conformance set gets the verdict expected.json gives it, under the
// consistency model it names.
const root = conformanceDir();
const expected = JSON.parse(readFileSync(join(root, 'expected.json'), 'utf8')) as Record<string, Expected & { consistency?: string }>;
const elle = Object.entries(expected).filter(([file]) => file.startsWith('elle/'));

describe('Elle conformance histories', () => {
  it('are all listed', () => {
    expect(elle.map(([f]) => f).sort()).toEqual(['elle/list-append-gh-30.edn', 'elle/paper-example.edn', 'elle/rw-register.edn']);
  });
  for (const [file, exp] of elle) {
    it(`${file} is ${exp.valid ? 'valid' : 'invalid'} under ${exp.consistency} (${exp.checker})`, async () => {
      const r = await checkHistoryFile(join(root, file), { checkers: [exp.checker!], txn: { consistency: [exp.consistency!] } });
      const v = r.verdicts[exp.checker!]!;
      expect(v.cause).toBeUndefined();
      expect(v.valid).toBe(exp.valid);
      if (!exp.valid) {
        // What makes it invalid is a dependency cycle, explained as a chain that ends in the model it breaks.
        const a = v.anomalies.find((x) => (x.data as { cycle?: unknown } | undefined)?.cycle);
        expect(a, JSON.stringify(v.anomalies.map((x) => x.kind))).toBeDefined();
        expect(a!.explanation).toMatch(/: a cycle, so not [a-z-]+/);
      } else {
        expect(v.anomalies).toEqual([]);
      }
    });
  }

  it('the paper example is a G-single-item, and list-append-gh-30 a G2-item, as Elle says', async () => {
    const paper = await checkHistoryFile(join(root, 'elle/paper-example.edn'), { checkers: ['list-append'] });
    expect(paper.verdicts['list-append']!.anomalies.map((a) => a.kind)).toEqual(['G-single-item']);
    expect(paper.verdicts['list-append']!.stats).toMatchObject({ not: ['consistent-view', 'repeatable-read'] });
    const gh30 = await checkHistoryFile(join(root, 'elle/list-append-gh-30.edn'), { checkers: ['list-append'], txn: { consistency: ['serializable'] } });
    expect(gh30.verdicts['list-append']!.anomalies.map((a) => a.kind)).toEqual(['G2-item']);
    expect(gh30.verdicts['list-append']!.stats).toMatchObject({
      not: ['repeatable-read'],
      alsoNot: ['serializable', 'strong-serializable', 'strong-session-serializable'],
    });
  });
});
