import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateRegisterHistory } from '../../../bench/gen/register.js';
import { checkHistory, checkHistoryFile } from '../../../src/check.js';
import type { Op } from '../../../src/history/op.js';
import { formatOpLine } from '../../../src/history/writer.js';

// checkHistoryFile with a model alone prepares the ops into columns and lets the loaded history go
// before the search; checkHistory keeps it. Both must give the same verdict, stats and witness.
const dir = mkdtempSync(join(tmpdir(), 'faultline-lin-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function both(name: string, ops: Op[]) {
  const file = join(dir, `${name}.jsonl`);
  writeFileSync(file, ops.map(formatOpLine).join(''));
  return Promise.all([checkHistoryFile(file, { model: 'register' }), checkHistory(ops, { model: 'register' })]);
}

describe('linearizability from a file (history released) and from memory', () => {
  const ops = generateRegisterHistory({ events: 4000, processes: 8, keys: 5, infoRate: 0.05, seed: 11 });

  it('agree on a valid keyed history with info ops', async () => {
    const [f, m] = await both('valid', ops);
    expect(f.valid).toBe(true);
    const strip = (s: Record<string, unknown> | undefined) => ({ ...s, elapsedMs: 0 });
    expect(strip(f.verdicts.linearizable!.stats)).toEqual(strip(m.verdicts.linearizable!.stats));
    expect(f.verdicts.linearizable!.stats).toMatchObject({ keyed: true, partitions: 5, unresolved: [] });
  });

  it('agree on the witness of an invalid one', async () => {
    // A read of a value nobody wrote to its key: not linearizable, with a witness naming that read.
    const bad = ops.map((o) => ({ ...o }));
    const read = bad.findIndex((o) => o.type === 'ok' && o.f === 'read' && Array.isArray(o.value) && o.value[1] !== null);
    const [key] = bad[read]!.value as [number, unknown];
    bad[read] = { ...bad[read]!, value: [key, 99] };
    const [f, m] = await both('invalid', bad);
    expect(f.valid).toBe(false);
    const fl = f.verdicts.linearizable as typeof f.verdicts.linearizable & { witness?: unknown };
    const ml = m.verdicts.linearizable as typeof m.verdicts.linearizable & { witness?: unknown };
    expect(fl.anomalies).toEqual(ml.anomalies);
    expect(fl.witness).toEqual(ml.witness);
    expect(fl.anomalies[0]!.ops).toContain(bad[read]!.index);
  });
});
