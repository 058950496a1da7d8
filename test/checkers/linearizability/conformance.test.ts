import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conformanceDir, type Expected } from '../../../bench/conformance.js';
import { checkHistoryFile } from '../../../src/check.js';

// Every Knossos history in the shared conformance set gets the verdict expected.json gives it.
const root = conformanceDir();
const expected = JSON.parse(readFileSync(join(root, 'expected.json'), 'utf8')) as Record<string, Expected>;
const knossos = Object.entries(expected).filter(([file]) => file.startsWith('knossos/'));

describe('knossos conformance histories', () => {
  it('are all listed', () => {
    expect(knossos.length).toBeGreaterThan(100);
  });
  for (const [file, exp] of knossos) {
    it(`${file} is ${exp.valid ? 'linearizable' : 'not linearizable'} under ${exp.model}`, async () => {
      const r = await checkHistoryFile(join(root, file), { model: exp.model!, timeLimitMs: 30_000 });
      expect(r.verdicts.linearizable.cause).toBeUndefined();
      expect(r.valid).toBe(exp.valid);
      if (!exp.valid) {
        const a = r.verdicts.linearizable.anomalies[0];
        expect(a.kind).toBe('nonlinearizable');
        expect(a.ops.length).toBeGreaterThan(0);
        expect(a.explanation).toMatch(/cannot be linearized/);
      }
    });
  }
});
