// `node dist/bench/engine-cpu.js [concurrency] [reps]`: the run engine's CPU per op over a fake client
// that answers each op on the next check phase, with no raw loop: the minimum over several runs of
// 300,000 ops in one process, for quick A/B of engine changes on a shared machine (the fake's own
// cost, ~0.3 us per op, is included).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Completion } from '../src/adapters/types.js';
import { limit, WORKLOADS } from '../src/generators/index.js';
import { HistoryWriter } from '../src/history/writer.js';
import { timeEngine } from './cases/engine-common.js';

const concurrency = Number(process.argv[2] ?? 10);
const reps = Number(process.argv[3] ?? 7);
const OPS = 300_000;
const dir = mkdtempSync(join(tmpdir(), 'fl-engine-cpu-'));
const figures: number[] = [];
try {
  for (let rep = 0; rep < reps; rep++) {
    const writer = new HistoryWriter(join(dir, `h${rep}.jsonl`));
    const { r, cpu } = await timeEngine(
      limit(OPS, WORKLOADS.register!().generator),
      async () => ({
        invoke: (_f: string, value: unknown) => new Promise<Completion>((res) => setImmediate(() => res({ type: 'ok', value, node: 'n1' }))),
        close: async () => {},
      }),
      concurrency,
      writer,
    );
    writer.close();
    figures.push(cpu / r.invoked);
    rmSync(join(dir, `h${rep}.jsonl`));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const sorted = figures.slice().sort((a, b) => a - b);
console.log(
  `concurrency ${concurrency}: engine CPU per op (fake client included) min ${sorted[0]!.toFixed(3)} us, median ${sorted[sorted.length >> 1]!.toFixed(3)} us over ${reps} runs of ${OPS} ops`,
);
