// `npm run bench`: runs every case in its own child process (so peak RSS is the case's own) and prints
// ops, wall time and peak RSS per case. A benchmark, not a timed test: nothing here asserts a figure.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allCases } from './cases/index.js';

const filter = process.argv[2];
const caseJs = fileURLToPath(new URL('./case.js', import.meta.url));
const cases = await allCases();
const pad = (s: string, n: number) => s.padEnd(n);
console.log(`faultline bench on Node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
console.log(`${pad('case', 62)} ${'ops'.padStart(11)} ${'wall'.padStart(9)} ${'peak RSS'.padStart(9)}  note`);
for (const [i, c] of cases.entries()) {
  if (filter && !c.name.includes(filter)) continue;
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-'));
  try {
    const child = (mode: string) =>
      execFileSync(process.execPath, ['--max-old-space-size=4096', caseJs, mode, String(i), dir], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 1 << 24,
      });
    if (c.prepare) child('prepare');
    const r = JSON.parse(child('run').trim().split('\n').pop()!) as { ops: number; note?: string; wallMs: number; maxRssMB: number };
    const wall = r.wallMs < 1000 ? `${r.wallMs.toFixed(0)} ms` : `${(r.wallMs / 1000).toFixed(2)} s`;
    console.log(
      `${pad(c.name, 62)} ${r.ops.toLocaleString('en-US').padStart(11)} ${wall.padStart(9)} ${`${r.maxRssMB.toFixed(0)} MB`.padStart(9)}  ${r.note ?? ''}`,
    );
  } catch (e) {
    console.log(`${pad(c.name, 62)} FAILED: ${(e as Error).message.split('\n')[0]}`);
    process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
