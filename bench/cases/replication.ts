import { join } from 'node:path';
import { checkHistoryFile } from '../../src/check.js';
import { checkerRegistry, compactReadCheckers } from '../../src/checkers/registry.js';
import { writeAppendHistory, type AppendGenOptions } from '../gen/append.js';
import type { BenchCase } from '../types.js';

// Every replication checker together on one generated append/register history with partition
// windows (see bench/gen/append.ts): load, lint and check, as `faultline check --checker ...` does.
// The 13 checkers of issue 15's table (recovery, which joined the compact path later, is not among them).
const replicationCheckers = compactReadCheckers().filter((n) => n !== 'recovery');

function appendCase(operations: number, label: string, checkers: string[] = replicationCheckers, what = 'all 13 checkers'): BenchCase {
  const o: AppendGenOptions = {
    operations,
    keys: 1000,
    registerKeys: 100,
    workers: 50,
    nodes: 5,
    appendRate: 0.4,
    writeRate: 0.3,
    infoRate: 0.01,
    faults: 10,
    seed: 20240 + operations,
  };
  return {
    name: `replication: ${what}, ${label}, 1,000 keys`,
    async prepare(dir) {
      writeAppendHistory(join(dir, 'history.jsonl'), o);
    },
    async run(dir) {
      for (const c of checkers) if (!checkerRegistry.has(c)) throw new Error(`checker ${c} is not registered`);
      const file = join(dir, 'history.jsonl');
      const req = { checkers, timeLimitMs: 120_000 };
      // The path `faultline check FILE --checker ...` takes: JSONL read in chunks, whole-list reads shared per key.
      const r = await checkHistoryFile(file, req);
      // Tally the verdicts: the append checkers should say true, the set/counter/bank ones unknown (not their shape).
      const by = { true: [] as string[], false: [] as string[], unknown: [] as string[] };
      for (const [n, v] of Object.entries(r.verdicts)) by[String(v.valid) as 'true' | 'false' | 'unknown'].push(n);
      return {
        ops: r.ops,
        note:
          `${operations.toLocaleString('en-US')} operations; true: ${by.true.length}, false: ${by.false.join(',') || 0}, unknown: ` +
          `${by.unknown.join(',') || 0}; check ${r.elapsedMs} ms`,
      };
    },
  };
}

// "ops" are history lines, as in the linearizability cases: 1,000,000 lines is 500,000 operations;
// the second case is 1,000,000 operations (2,000,000 lines).
export const cases: BenchCase[] = [
  appendCase(500_000, '1,000,000 ops'),
  // Its JSONL is ~0.6 GB, read in chunks as `faultline check` reads it, and linted.
  appendCase(1_000_000, '2,000,000 ops (1M operations)'),
  // Issue 16's checkers on the same shape (reads carry their node, partitions heal, reads follow the heal).
  appendCase(500_000, '1,000,000 ops', ['convergence', 'conflicts'], 'convergence and conflicts'),
];
