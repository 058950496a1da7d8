import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkHistoryFile } from '../../src/check.js';
import { checkLinearizability } from '../../src/checkers/linearizability/index.js';
import { getModel } from '../../src/checkers/linearizability/models/index.js';
import { loadHistory } from '../../src/history/load.js';
import { formatOpLine } from '../../src/history/writer.js';
import { generateHardKeyHistory, type HardKeyOptions } from '../gen/hardkey.js';
import type { BenchCase } from '../types.js';

/**
 * Issue 15's "one hard key": a cas-register with unique values, 4,000 ops, 20-30 processes whose ops
 * last 1-4 s (bench/gen/hardkey.ts). Eight linearizable histories (goal: each decided, < 1 s) and four
 * non-linearizable variants (one stale read or one cas from a value already overwritten): the
 * unique-values first pass decides them; the general search alone ran out of memory on most.
 */
const OPS = 4_000;
const LIMIT_MS = 60_000;

function spec(i: number, mutation?: HardKeyOptions['mutation']): HardKeyOptions {
  return { ops: OPS, processes: 20 + Math.floor((i * 10) / 7), seed: 1500 + i, mutation };
}

function hardCase(i: number, mutation?: HardKeyOptions['mutation']): BenchCase {
  const o = spec(i, mutation);
  const name = `hard key ${mutation ? `${mutation} ` : ''}#${i + 1}: cas-register, unique values, ${OPS.toLocaleString('en-US')} ops, ${o.processes} processes, ops of 1-4 s`;
  return {
    name,
    async prepare(dir) {
      const h = generateHardKeyHistory(o);
      writeFileSync(join(dir, 'history.jsonl'), h.ops.map(formatOpLine).join(''));
    },
    async run(dir) {
      const r = await checkHistoryFile(join(dir, 'history.jsonl'), { model: 'cas-register', timeLimitMs: LIMIT_MS });
      const lin = r.verdicts.linearizable;
      const expected = !mutation;
      const decided = lin.valid === expected ? 'decided, right' : lin.valid === 'unknown' ? 'UNDECIDED' : 'WRONG';
      const rule = lin.anomalies[0]?.data?.rule;
      return {
        ops: r.ops,
        note:
          `verdict ${String(lin.valid)} (expected ${String(expected)}: ${decided}${rule ? `, rule ${String(rule)}` : ''}), ` +
          `check ${lin.stats?.elapsedMs} ms of ${r.elapsedMs} ms, first pass decided ${String(lin.stats?.uniqueDecided)}, ` +
          `goal < 1 s each` +
          (lin.cause ? `; ${lin.cause}` : ''),
      };
    },
  };
}

/** The general search alone on history #1 (the figure before the first pass), 1 GB ceiling, 60 s. */
const searchAlone: BenchCase = {
  name: `hard key #1, general search alone (no first pass): ${OPS.toLocaleString('en-US')} ops, ${spec(0).processes} processes`,
  async prepare(dir) {
    writeFileSync(join(dir, 'history.jsonl'), generateHardKeyHistory(spec(0)).ops.map(formatOpLine).join(''));
  },
  async run(dir) {
    const h = await loadHistory(join(dir, 'history.jsonl'));
    const v = checkLinearizability(h.ops, { model: getModel('cas-register')!, timeLimitMs: LIMIT_MS, uniqueFirstPass: false });
    return { ops: h.ops.length, note: `verdict ${String(v.valid)}, check ${v.stats.elapsedMs} ms${v.cause ? `; ${v.cause}` : ''}` };
  },
};

export const cases: BenchCase[] = [
  ...Array.from({ length: 8 }, (_, i) => hardCase(i)),
  hardCase(0, 'stale-read'),
  hardCase(1, 'stale-read'),
  hardCase(2, 'stale-cas'),
  hardCase(3, 'stale-cas'),
  searchAlone,
];
