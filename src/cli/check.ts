import { Command, InvalidArgumentError, Option } from 'commander';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { checkHistoryFile, validateRequest, type CheckRequest, type FileResult } from '../check.js';
import { EXIT, UsageError } from '../errors.js';
import { termSafe } from '../terminal.js';
import { fileFailure, type FileFailure } from './check-failure.js';
import { checkFilesOnThreads } from './check-pool.js';
import { models } from '../checkers/linearizability/models/index.js';
import { checkerRegistry } from '../checkers/registry.js';
import { validateTxnOptions } from '../checkers/txn/models.js';
import type { TxnCheckOptions } from '../checkers/types.js';
import { formatFileResult } from './format.js';
import { printResults, resultsDocument } from './results-json.js';
import { parseSeconds, parseMegabytes, progressLine } from './options.js';

interface CheckFlags {
  model?: string;
  checker?: string;
  timeLimit: number;
  memoryLimit: number;
  convergeWithin?: number;
  json?: boolean;
  keyed: 'auto' | 'yes' | 'no';
  consistency?: string;
  anomalies?: string;
  linearizableKeys?: boolean;
  sequentialKeys?: boolean;
  wfrKeys?: boolean;
  threads?: number;
}

export type { FileFailure } from './check-failure.js';

/**
 * Below this many bytes of history in all, files are checked in this thread: a worker thread costs its
 * start and its own module loading (~40-80 ms on the 2-core machine), more than it saves on small files.
 */
const THREADS_MIN_BYTES = 2 * 1024 * 1024;

function parseThreads(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number of threads >= 0 (0: one per core)');
  return n;
}

export function checkCommand(): Command {
  const modelList = Object.values(models)
    .map((m) => `  ${m.name.padEnd(16)} ${m.doc}`)
    .join('\n');
  const checkerList = [...checkerRegistry.values()].map((c) => `  ${c.name.padEnd(20)} ${c.doc}`).join('\n');
  return new Command('check')
    .description('check recorded histories (JSONL, Jepsen EDN or JSON) for linearizability and replication anomalies')
    .argument('<file...>', 'history files')
    .option('-m, --model <name>', 'linearizability model (runs the linearizable checker)')
    .option('-c, --checker <names>', 'comma-separated checkers to run')
    .option('--time-limit <seconds>', 'budget for searching checkers per file; 0 = none; verdict unknown when it runs out', parseSeconds, 300)
    .option('--memory-limit <MB>', 'ceiling on the search memo per file; verdict unknown when reached', parseMegabytes, 1024)
    .addOption(new Option('--keyed <mode>', "Jepsen's independent-key convention value=[key, v]").choices(['auto', 'yes', 'no']).default('auto'))
    .option(
      '--consistency <models>',
      "list-append, rw-register: models the history must obey (Elle's names; default strict-serializable; none = only --anomalies)",
    )
    .addOption(new Option('--consistency-models <models>', "elle-cli's spelling of --consistency").hideHelp())
    .option('--anomalies <names>', 'list-append, rw-register: anomalies to look for besides those the models rule out (G2-item, lost-update, ...)')
    .option('--linearizable-keys', 'rw-register: assume each key is linearizable (real-time order of writes orders versions)')
    .option('--sequential-keys', "rw-register: assume each key is sequentially consistent (a process's order of writes orders versions)")
    .option('--wfr-keys', 'rw-register: assume writes follow reads within a transaction')
    .option(
      '--converge-within <seconds>',
      "convergence: how long after the final heal (or a key's last write) the nodes' final reads may take to agree (default 10)",
      parseSeconds,
    )
    .option('--json', 'print the verdicts as JSON')
    .addOption(
      new Option('--threads <n>', 'worker threads for several files (0: one per core when the files are large enough; 1: none)')
        .argParser(parseThreads)
        .default(0),
    )
    .addHelpText(
      'after',
      `\nModels:\n${modelList}\n\nCheckers:\n  ${'linearizable'.padEnd(20)} linearizability under --model\n${checkerList}\n\nExit codes: 0 all valid, ` +
        `1 some invalid, 2 some unknown (none invalid), 64 usage error (or a history that does not fit --model), 65 unreadable or malformed input; ` +
        `with several files the worst decides.`,
    )
    .action(async (files: string[], flags: CheckFlags) => {
      process.exitCode = await runCheck(files, flags);
    });
}

async function runCheck(files: string[], flags: CheckFlags): Promise<number> {
  const checkers = flags.checker
    ? flags.checker
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
  const req: CheckRequest = {
    model: flags.model,
    checkers,
    timeLimitMs: flags.timeLimit * 1000,
    memoryLimitBytes: flags.memoryLimit * 1024 * 1024,
    keyed: flags.keyed === 'auto' ? 'auto' : flags.keyed === 'yes',
    ...(flags.convergeWithin !== undefined ? { convergeWithinMs: flags.convergeWithin * 1000 } : {}),
    ...txnRequest(flags, checkers),
  };
  validateRequest(req);
  // One entry per file, in the order given: a verdict, or the error that stopped that file. A bad
  // file never hides the others' verdicts (nor, with --json, the JSON).
  const entries: (FileResult | FileFailure)[] = [];
  const show = (e: FileResult | FileFailure) => {
    entries.push(e);
    if (flags.json) return;
    if ('error' in e) for (const line of e.error.messages) console.error(`faultline: ${termSafe(line)}`);
    else console.log(formatFileResult(e).join('\n'));
  };
  const threads = await threadCount(files, flags.threads ?? 0);
  if (threads > 1) {
    // Several files on worker threads; results still print in the order given (check-pool.ts).
    let progress = progressLine('');
    await checkFilesOnThreads(files, req, threads, {
      done: (_i, e) => {
        progress.clear();
        show(e);
      },
      progress: (file, msg) => {
        progress = progressLine(file);
        progress.update(msg);
      },
    });
    progress.clear();
  } else {
    for (const file of files) {
      const progress = progressLine(file);
      try {
        const r = await checkHistoryFile(file, { ...req, onProgress: progress.update });
        progress.clear();
        show(r);
      } catch (e) {
        progress.clear();
        show(fileFailure(file, e));
      }
    }
  }
  // The same document as `run --json` and `analyze --json` (schema faultline.results/1, docs/json.md).
  const doc = resultsDocument(entries);
  const summary = doc.summary;
  if (flags.json) {
    printResults(doc);
  } else if (files.length > 1) {
    console.log(`${summary.files} histories: ${summary.valid} valid, ${summary.invalid} invalid, ${summary.unknown} unknown, ${summary.failed} not checked`);
  }
  return combinedExit(entries);
}

const TXN_CHECKERS = ['list-append', 'rw-register'];

/** elle-cli's flags as CheckRequest.txn; refused when no transactional checker runs or a name is unknown. */
function txnRequest(flags: CheckFlags & { consistencyModels?: string }, checkers: string[]): Pick<CheckRequest, 'txn'> {
  const consistency = flags.consistency ?? flags.consistencyModels;
  const given = [
    consistency !== undefined && '--consistency',
    flags.anomalies !== undefined && '--anomalies',
    flags.linearizableKeys && '--linearizable-keys',
    flags.sequentialKeys && '--sequential-keys',
    flags.wfrKeys && '--wfr-keys',
  ].filter((x): x is string => typeof x === 'string');
  if (!checkers.some((c) => TXN_CHECKERS.includes(c))) {
    if (given.length > 0) throw new UsageError(`${given.join(', ')}: only for --checker ${TXN_CHECKERS.join(' or ')}`);
    return {};
  }
  const list = (s: string | undefined): string[] | undefined =>
    s === undefined
      ? undefined
      : s
          .split(',')
          .map((x) => x.trim().replace(/^:/, ''))
          .filter((x) => x && x !== 'none');
  const txn: TxnCheckOptions = {
    ...(consistency !== undefined ? { consistency: list(consistency) } : {}),
    ...(flags.anomalies !== undefined ? { anomalies: list(flags.anomalies) } : {}),
    ...(flags.linearizableKeys ? { linearizableKeys: true } : {}),
    ...(flags.sequentialKeys ? { sequentialKeys: true } : {}),
    ...(flags.wfrKeys ? { wfrKeys: true } : {}),
  };
  const problems = validateTxnOptions(txn);
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return { txn };
}

/**
 * The exit code over all files: the worst file decides. An internal error (70) over a history that
 * does not fit the model (64) over unreadable, malformed or lint-failing input (65) over invalid (1)
 * over unknown (2) over valid (0).
 */
function combinedExit(entries: (FileResult | FileFailure)[]): number {
  const kinds = new Set(entries.map((r) => ('error' in r ? r.error.kind : r.valid)));
  if (kinds.has('internal')) return EXIT.internal;
  if (kinds.has('model')) return EXIT.usage;
  if (kinds.has('unreadable') || kinds.has('malformed') || kinds.has('lint')) return EXIT.unreadable;
  if (kinds.has(false)) return EXIT.invalid;
  if (kinds.has('unknown')) return EXIT.unknown;
  return EXIT.valid;
}

/** Threads to use: asked for (1 = none), or with 0 one per core when there are several files and enough bytes to pay for them. */
async function threadCount(files: string[], asked: number): Promise<number> {
  if (files.length < 2) return 1;
  if (asked > 0) return Math.min(asked, files.length);
  const cores = availableParallelism();
  if (cores < 2) return 1;
  let bytes = 0;
  for (const f of files)
    bytes += await stat(f).then(
      (s) => (s.isFile() ? s.size : 0),
      () => 0,
    );
  return bytes >= THREADS_MIN_BYTES ? Math.min(cores, files.length) : 1;
}
