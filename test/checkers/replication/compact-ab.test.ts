import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeAppendHistory, type AppendGenOptions } from '../../../bench/gen/append.js';
import { checkHistoryFile } from '../../../src/check.js';
import { compactReadCheckers } from '../../../src/checkers/registry.js';

// A/B for the replication checkers' compact path: generated histories with anomalies (stale replicas,
// lost acknowledged writes, divergent reads, info writes, failovers), checked by every replication
// checker through `faultline check`'s path. The golden verdicts were recorded by the code before the
// compact representation existed (FAULTLINE_RECORD_GOLDEN=1 rewrites them); the full verdicts JSON
// (anomalies, witnesses, explanations, stats) must stay identical.
// Every checker that allows the compact reads (CheckerEntry.reads), in registry order: a checker that starts
// to allow them fails the golden comparison below until its verdicts are recorded by the old path.
const checkers = compactReadCheckers();

const base: AppendGenOptions = {
  operations: 6000,
  keys: 40,
  registerKeys: 8,
  workers: 12,
  nodes: 3,
  appendRate: 0.4,
  writeRate: 0.3,
  infoRate: 0.02,
  faults: 4,
};
const cases: Record<string, AppendGenOptions> = {
  valid: { ...base, seed: 1 },
  stale: { ...base, seed: 2, staleRate: 0.01 },
  lost: { ...base, seed: 3, lostRate: 0.01, failovers: 2 },
  divergent: { ...base, seed: 4, divergentRate: 0.005 },
  everything: {
    ...base,
    seed: 5,
    operations: 20_000,
    keys: 100,
    registerKeys: 20,
    staleRate: 0.005,
    lostRate: 0.005,
    divergentRate: 0.002,
    failovers: 3,
    infoRate: 0.05,
  },
  'one key': { ...base, seed: 6, keys: 1, registerKeys: 0, workers: 5, staleRate: 0.02, divergentRate: 0.01, lostRate: 0.01 },
};

const dir = mkdtempSync(join(tmpdir(), 'faultline-compact-ab-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('replication checkers: verdicts identical to the golden (pre-compact) ones', () => {
  for (const [name, o] of Object.entries(cases)) {
    it(
      name,
      async () => {
        const file = join(dir, `${name.replace(/ /g, '-')}.jsonl`);
        writeAppendHistory(file, o);
        const r = await checkHistoryFile(file, { checkers, timeLimitMs: 120_000 });
        const got = JSON.parse(JSON.stringify({ valid: r.valid, ops: r.ops, verdicts: r.verdicts }, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)));
        const golden = join(__dirname, 'golden', `${name.replace(/ /g, '-')}.json`);
        if (process.env.FAULTLINE_RECORD_GOLDEN === '1') writeFileSync(golden, `${JSON.stringify(got, null, 1)}\n`);
        // A missing golden is a failure, never recorded on the fly (it would compare the new path with itself).
        expect(existsSync(golden), `${golden}: record it with FAULTLINE_RECORD_GOLDEN=1 from the old path`).toBe(true);
        expect(got).toEqual(JSON.parse(readFileSync(golden, 'utf8')));
      },
      60_000,
    );
  }
});
