import { Command, InvalidArgumentError } from 'commander';
import { join } from 'node:path';
import { EXIT } from '../errors.js';
import { termSafe } from '../terminal.js';
import { loadSuite } from '../suite/file.js';
import { runSuite } from '../suite/run.js';
import type { SuiteEntry } from '../suite/types.js';
import { stringifyExact } from '../history/exact.js';
import { readBaseline } from '../suite/outputs/index.js';

interface SuiteFlags {
  out?: string;
  parallel: number;
  json?: boolean;
  baseline?: string;
  dryRun?: boolean;
}

function parallelCount(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('expected a whole number from 1 to 64');
  return n;
}

const expectWords = (e: SuiteEntry['expect']) => (e.kind === 'anomalies' ? `anomalies: ${e.anomalies.join(', ')}` : e.kind);

export function suiteCommand(): Command {
  return new Command('suite')
    .description(
      'run a suite of runs from a file (JSON or YAML: a matrix and/or entries, each with what it expects) and judge each against it (docs/suites.md)',
    )
    .argument('<file>', 'the suite file (schemas/suite.schema.json)')
    .option('--out <dir>', "the suite's folder (default suites/<name>/<timestamp>/, with suites/<name>/latest)")
    .option(
      '--parallel <n>',
      "runs at once (default 1); parallel runs share the machine's cores, so timing-sensitive anomalies (replication lag) may come and go",
      parallelCount,
      1,
    )
    .option('--json', 'print suite.json on stdout instead of the summary')
    .option('--baseline <dir>', "an earlier suite's folder (its suite.json): the outputs show what changed against it")
    .option('--dry-run', 'validate the file and list its entries without running anything')
    .addHelpText(
      'after',
      '\nExit codes: 0 every entry as expected, 1 a contradiction (an entry did what its expectation rules out), 2 unknown (a run failed or a verdict was unknown, nothing contradicted), 64 usage error, 65 a bad suite file.',
    )
    .action(async (file: string, flags: SuiteFlags) => {
      const suite = await loadSuite(file);
      if (flags.dryRun) {
        if (flags.json) console.log(stringifyExact(suite, 2));
        else {
          const runs = suite.entries.reduce((n, e) => n + e.repeat, 0);
          console.log(`suite ${suite.name}: ${suite.entries.length} entries, ${runs} runs`);
          for (const e of suite.entries) console.log(`  ${e.id}  x${e.repeat}  ${e.timeLimitS} s  seed ${e.seed}  expect ${expectWords(e.expect)}`);
        }
        process.exitCode = EXIT.valid;
        return;
      }
      // A bad baseline is refused now (65), not after a night of runs.
      if (flags.baseline !== undefined) readBaseline(flags.baseline);
      const { result, dir, stopped } = await runSuite(suite, {
        ...(flags.out !== undefined ? { out: flags.out } : {}),
        parallel: flags.parallel,
        ...(flags.baseline !== undefined ? { baseline: flags.baseline } : {}),
        log: (l) => console.error(termSafe(l)),
      });
      if (flags.json) console.log(stringifyExact(result, 2));
      else {
        const mark = { 'as-expected': 'ok          ', contradiction: 'CONTRADICTS ', unknown: 'unknown     ' } as const;
        for (const e of result.entries) console.log(`${mark[e.outcome]}${e.entry.id}: ${e.why}`);
        console.log(`suite ${result.name}: ${result.outcome}${stopped ? ' (stopped before every run had its turn)' : ''}; ${join(dir, 'suite.json')}`);
      }
      process.exitCode = result.outcome === 'as-expected' ? EXIT.valid : result.outcome === 'contradiction' ? EXIT.invalid : EXIT.unknown;
    });
}
