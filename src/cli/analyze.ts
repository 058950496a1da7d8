import { Command } from 'commander';
import { EXIT } from '../errors.js';
import { analyzeRun } from '../run/checks.js';
import { formatFileResult } from './format.js';
import { parseSeconds, progressLine } from './options.js';
import { printResults, resultsDocument } from './results-json.js';

export function analyzeCommand(): Command {
  return new Command('analyze')
    .description("re-check a stored run's history with the current checkers and rewrite its results.json")
    .argument('<run-dir>', 'a run directory (reports/<name>/<timestamp> or reports/<name>/latest)')
    .option('--time-limit <seconds>', 'budget for searching checkers', parseSeconds, 300)
    .option('--json', 'print the verdicts as JSON (schema faultline.results/1, as `check --json`), nothing else on stdout')
    .action(async (dir: string, flags: { timeLimit: number; json?: boolean }) => {
      const progress = progressLine(dir);
      const r = await analyzeRun(dir, { timeLimitMs: flags.timeLimit * 1000, onProgress: progress.update });
      progress.clear();
      if (flags.json) printResults(resultsDocument([{ file: dir, ...r }]));
      else console.log(formatFileResult({ ...r, file: dir, warnings: [] }).join('\n'));
      process.exitCode = r.valid === true ? EXIT.valid : r.valid === false ? EXIT.invalid : EXIT.unknown;
    });
}
