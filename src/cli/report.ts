import { Command } from 'commander';
import { buildReport } from '../report/index.js';

export function reportCommand(): Command {
  return new Command('report')
    .description("(re)build a stored run's HTML report: <run-dir>/index.html (self-contained, opens offline), charts/*.png, and the index of runs")
    .argument('<run-dir>', 'a run directory (reports/<name>/<timestamp> or reports/<name>/latest)')
    .action(async (dir: string) => {
      const r = await buildReport(dir);
      console.log(r.html);
      for (const p of r.pngs) console.log(p);
      if (r.note) console.error(`faultline report: ${r.note}`);
    });
}
