// Child process of the bench harness: `node case.js prepare|run INDEX DIR`. Prints one JSON line.
import { allCases } from './cases/index.js';

const [mode, index, dir] = process.argv.slice(2);
const c = (await allCases())[Number(index)];
if (mode === 'prepare') {
  await c.prepare?.(dir);
  console.log(JSON.stringify({ ok: true }));
} else {
  const t0 = performance.now();
  const r = await c.run(dir);
  const wallMs = performance.now() - t0;
  const maxRssMB = r.rssMB ?? process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ ops: r.ops, note: r.note, wallMs, maxRssMB }));
}
