import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conformanceDir, type Expected } from '../../../bench/conformance.js';
import { checkerRegistry, runCheckers } from '../../../src/checkers/registry.js';
import { loadHistory } from '../../../src/history/load.js';

// Jepsen's set, counter and bank histories get the verdicts expected.json gives them, read where they are.
const root = conformanceDir();
const expected = JSON.parse(readFileSync(join(root, 'expected.json'), 'utf8')) as Record<string, Expected>;
const jepsen = Object.entries(expected).filter(([file]) => file.startsWith('jepsen/'));

describe('jepsen conformance histories', () => {
  it('are set, counter and bank', () => {
    expect(jepsen.map(([f, e]) => [f, e.checker]).sort()).toEqual([
      ['jepsen/bank.edn', 'bank'],
      ['jepsen/counter.edn', 'counter'],
      ['jepsen/set.edn', 'set'],
    ]);
  });
  for (const [file, exp] of jepsen) {
    it(`${file} is ${exp.valid ? 'valid' : 'invalid'} under ${exp.checker}`, async () => {
      expect(checkerRegistry.has(exp.checker!)).toBe(true);
      const { ops } = await loadHistory(join(root, file));
      const r = await runCheckers([exp.checker!], ops, {});
      const v = r[exp.checker!]!;
      expect(v.anomalies).toEqual([]);
      expect(v.valid).toBe(exp.valid);
    });
  }

  it('set.edn: the three adds are in the final read', async () => {
    const { ops } = await loadHistory(join(root, 'jepsen/set.edn'));
    const v = await runCheckers(['set', 'set-full'], ops, {});
    expect(v.set!.stats).toMatchObject({ ok: 3, lost: 0, unexpected: 0, finalRead: 6 });
    expect(v['set-full']!.valid).toBe(true);
    expect(v['set-full']!.stats).toMatchObject({ stable: 3, lost: 0 });
  });

  it('counter.edn: 287 acknowledged adds and no read; the stats checker says the run checked nothing', async () => {
    const { ops } = await loadHistory(join(root, 'jepsen/counter.edn'));
    const v = await runCheckers(['counter', 'stats'], ops, {});
    expect(v.counter!.stats).toMatchObject({ reads: 0, adds: { ok: 287, fail: 0, info: 0 }, lowerBound: 287, upperBound: 287 });
    expect(v.stats!.valid).toBe('unknown');
    expect(v.stats!.cause).toMatch(/no read completed/);
  });

  it('bank.edn: every read totals 100; its pause windows are found and the last never healed', async () => {
    const { ops } = await loadHistory(join(root, 'jepsen/bank.edn'));
    const v = await runCheckers(['bank', 'stats', 'availability'], ops, {});
    expect(v.bank!.stats).toMatchObject({ total: 100 });
    expect((v.bank!.stats as { reads: number }).reads).toBeGreaterThan(100);
    const windows = (v.availability!.stats as { windows: { window: { kind: string; healed: boolean } }[] }).windows;
    expect(windows.length).toBe(10);
    expect(windows.every((w) => w.window.kind === 'pause')).toBe(true);
    expect(windows.at(-1)!.window.healed).toBe(false);
    expect(v.stats!.valid).toBe('unknown');
    expect(v.stats!.cause).toMatch(/never closed/);
  });
});
