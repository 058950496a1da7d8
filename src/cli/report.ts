import { Command } from 'commander';
import { buildReport } from '../report/index.js';
import { termSafe } from '../terminal.js';

export function reportCommand(): Command {
  return new Command('report')
    .description("(re)build a stored run's HTML report: <run-dir>/index.html (self-contained, opens offline), charts/*.png, and the index of runs")
    .argument('<run-dir>', 'a run directory (reports/<name>/<timestamp> or reports/<name>/latest)')
    .action(async (dir: string) => {
      const r = await buildReport(dir);
      console.log(termSafe(r.html));
      for (const p of r.pngs) console.log(termSafe(p));
      if (r.index) console.log(termSafe(r.index));
      for (const n of r.notes) console.error(termSafe(`faultline: note: ${n}`));
    });
}
