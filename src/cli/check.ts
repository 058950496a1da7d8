import { stringifyExact } from '../history/exact.js';
import { Command, Option } from 'commander';
import { checkHistoryFile, validateRequest, LintFailure, type CheckRequest, type FileResult } from '../check.js';
import { EXIT, UsageError } from '../errors.js';
import { HistoryError } from '../history/errors.js';
import { models } from '../checkers/linearizability/models/index.js';
import { checkerRegistry } from '../checkers/registry.js';
import { formatFileResult } from './format.js';
import { parseSeconds, parseMegabytes, progressLine } from './options.js';

interface CheckFlags {
  model?: string;
  checker?: string;
  timeLimit: number;
  memoryLimit: number;
  json?: boolean;
  keyed: 'auto' | 'yes' | 'no';
}

export function checkCommand(): Command {
  const modelList = Object.values(models).map((m) => `  ${m.name.padEnd(16)} ${m.doc}`).join('\n');
  const checkerList = [...checkerRegistry.values()].map((c) => `  ${c.name.padEnd(20)} ${c.doc}`).join('\n');
  return new Command('check')
    .description('check recorded histories (JSONL, Jepsen EDN or JSON) for linearizability and replication anomalies')
    .argument('<file...>', 'history files')
    .option('-m, --model <name>', 'linearizability model (runs the linearizable checker)')
    .option('-c, --checker <names>', 'comma-separated checkers to run')
    .option('--time-limit <seconds>', 'budget for searching checkers per file; 0 = none; verdict unknown when it runs out', parseSeconds, 300)
    .option('--memory-limit <MB>', 'ceiling on the search memo per file; verdict unknown when reached', parseMegabytes, 1024)
    .addOption(new Option('--keyed <mode>', "Jepsen's independent-key convention value=[key, v]").choices(['auto', 'yes', 'no']).default('auto'))
    .option('--json', 'print the verdicts as JSON')
    .addHelpText('after', `\nModels:\n${modelList}\n\nCheckers:\n  ${'linearizable'.padEnd(20)} linearizability under --model\n${checkerList}\n\nExit codes: 0 all valid, 1 some invalid, 2 some unknown (none invalid), 64 usage error, 65 unreadable input.`)
    .action(async (files: string[], flags: CheckFlags) => {
      process.exitCode = await runCheck(files, flags);
    });
}

async function runCheck(files: string[], flags: CheckFlags): Promise<number> {
  const checkers = flags.checker ? flags.checker.split(',').map((s) => s.trim()).filter(Boolean) : [];
  const req: CheckRequest = {
    model: flags.model,
    checkers,
    timeLimitMs: flags.timeLimit * 1000,
    memoryLimitBytes: flags.memoryLimit * 1024 * 1024,
    keyed: flags.keyed === 'auto' ? 'auto' : flags.keyed === 'yes',
  };
  validateRequest(req);
  const results: FileResult[] = [];
  const failures: { file: string; errors: string[] }[] = [];
  for (const file of files) {
    const progress = progressLine(file);
    try {
      const r = await checkHistoryFile(file, { ...req, onProgress: progress.update });
      progress.clear();
      results.push(r);
      if (!flags.json) console.log(formatFileResult(r).join('\n'));
    } catch (e) {
      progress.clear();
      if (e instanceof UsageError) throw new UsageError(`${file}: ${e.message}`);
      if (!(e instanceof HistoryError)) throw e;
      const errors = e instanceof LintFailure ? e.problems.map(String) : [String(e)];
      failures.push({ file, errors });
      if (!flags.json) for (const line of errors) console.error(`faultline: ${line}`);
    }
  }
  const count = (v: unknown) => results.filter((r) => r.valid === v).length;
  const summary = { files: files.length, valid: count(true), invalid: count(false), unknown: count('unknown'), unreadable: failures.length };
  if (flags.json) {
    console.log(stringifyExact({ summary, results, unreadable: failures }, 2));
  } else if (files.length > 1) {
    console.log(`${summary.files} histories: ${summary.valid} valid, ${summary.invalid} invalid, ${summary.unknown} unknown, ${summary.unreadable} unreadable`);
  }
  if (failures.length > 0) return EXIT.unreadable;
  if (summary.invalid > 0) return EXIT.invalid;
  if (summary.unknown > 0) return EXIT.unknown;
  return EXIT.valid;
}
