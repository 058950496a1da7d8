import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkHistoryFile } from '../../src/check.js';
import { formatOpLine } from '../../src/history/writer.js';
import { conformanceDir, type Expected } from '../conformance.js';
import { generateRegisterHistory } from '../gen/register.js';
import type { BenchCase } from '../types.js';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const knossos: BenchCase = {
  name: 'knossos conformance set (all files, expected verdicts)',
  async run() {
    const root = conformanceDir();
    const expected = JSON.parse(readFileSync(join(root, 'expected.json'), 'utf8')) as Record<string, Expected>;
    let ops = 0;
    let slowest = { file: '', ms: 0 };
    let wrong = 0;
    const files = walk(join(root, 'knossos')).sort();
    for (const file of files) {
      const rel = relative(root, file);
      const t = performance.now();
      const r = await checkHistoryFile(file, { model: expected[rel].model, timeLimitMs: 60_000 });
      const ms = performance.now() - t;
      if (ms > slowest.ms) slowest = { file: rel, ms };
      if (r.valid !== expected[rel].valid) wrong++;
      ops += r.ops;
    }
    return { ops, note: `${files.length} files, ${wrong} wrong verdicts, slowest ${slowest.file} ${slowest.ms.toFixed(0)} ms` };
  },
};

function registerCase(processes: number, events: number, infoRate: number): BenchCase {
  const name = `register ${processes} processes, 100 keys, ${events.toLocaleString('en-US')} ops${infoRate ? `, ${infoRate * 100}% info` : ''}`;
  return {
    name,
    async prepare(dir) {
      const h = generateRegisterHistory({ events, processes, keys: 100, infoRate, seed: processes * 7 + events });
      writeFileSync(join(dir, 'history.jsonl'), h.map(formatOpLine).join(''));
    },
    async run(dir) {
      const r = await checkHistoryFile(join(dir, 'history.jsonl'), { model: 'register', timeLimitMs: 120_000 });
      const lin = r.verdicts.linearizable;
      return { ops: r.ops, note: `verdict ${String(r.valid)}${lin.cause ? ` (${lin.cause})` : ''}, check ${lin.stats?.elapsedMs} ms of ${r.elapsedMs} ms` };
    },
  };
}

export const cases: BenchCase[] = [knossos];
for (const info of [0, 0.01]) {
  for (const p of [10, 50, 100]) {
    for (const events of [100_000, 1_000_000]) cases.push(registerCase(p, events, info));
  }
}
// "ops" above are history lines (an invocation and its completion are two); this case has 1,000,000 operations.
cases.push(registerCase(100, 2_000_000, 0.01));
