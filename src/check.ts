import {
  ModelUsageError,
  checkLinearizability,
  checkPrepared,
  prepareLinearizability,
  type LinearizabilityOptions,
  type LinearizabilityVerdict,
  type PreparedLinearizability,
} from './checkers/linearizability/index.js';
import { getModel, models } from './checkers/linearizability/models/index.js';
import { allRead, checkerRegistry, crashVerdict, runCheckers } from './checkers/registry.js';
import { CheckerInputError, combineValidity, type TxnCheckOptions, type Validity, type Verdict } from './checkers/types.js';
import { UsageError } from './errors.js';
import { HistoryError, type HistoryWarning } from './history/errors.js';
import { lintHistory } from './history/lint.js';
import { loadHistory, type LoadedHistory } from './history/load.js';
import type { Op } from './history/op.js';

export interface CheckRequest {
  /** A linearizability model name (register, cas-register, ...): runs the `linearizable` checker. */
  model?: string;
  /** Checker names from the registry (read-your-writes, set, ...). */
  checkers?: string[];
  timeLimitMs?: number;
  memoryLimitBytes?: number;
  keyed?: 'auto' | boolean;
  /** recovery: the bound after the final heal (ms). */
  recoveryTimeoutMs?: number;
  /** convergence: how long after the final heal the nodes may take to agree (ms). */
  convergeWithinMs?: number;
  /** list-append, rw-register: models, anomalies, key assumptions (elle-cli's flags). */
  txn?: TxnCheckOptions;
  onProgress?: (msg: string) => void;
}

export interface HistoryResult {
  valid: Validity;
  ops: number;
  verdicts: Record<string, Verdict>;
  elapsedMs: number;
}

export interface FileResult extends HistoryResult {
  file: string;
  warnings: HistoryWarning[];
}

/** Refuses a request naming nothing to check, an unknown model or an unknown checker. */
export function validateRequest(req: CheckRequest): void {
  const names = req.checkers ?? [];
  if (!req.model && names.length === 0) {
    throw new UsageError('say what to check: --model NAME (linearizability) and/or --checker NAME[,NAME...]');
  }
  if (req.model && !getModel(req.model)) {
    throw new UsageError(`unknown model '${req.model}'; models: ${Object.keys(models).join(', ')}`);
  }
  for (const n of names) {
    if (n === 'linearizable') {
      if (!req.model) throw new UsageError('the linearizable checker needs --model NAME');
      continue;
    }
    if (!checkerRegistry.has(n)) {
      throw new UsageError(`unknown checker '${n}'; checkers: linearizable, ${[...checkerRegistry.keys()].join(', ')}`);
    }
  }
}

/** Runs the requested checkers on a history already in memory (linted). */
export async function checkHistory(history: readonly Op[], req: CheckRequest): Promise<HistoryResult> {
  validateRequest(req);
  const t0 = performance.now();
  const verdicts: Record<string, Verdict> = {};
  if (req.model) verdicts.linearizable = linearizable(req, (opts) => checkLinearizability(history, opts))!;
  const names = (req.checkers ?? []).filter((n) => n !== 'linearizable');
  const run = runCheckers(names, history, {
    timeLimitMs: req.timeLimitMs,
    memoryLimitBytes: req.memoryLimitBytes,
    keyed: req.keyed ?? 'auto',
    ...(req.txn ? { txn: req.txn } : {}),
    ...(req.recoveryTimeoutMs !== undefined ? { recoveryTimeoutMs: req.recoveryTimeoutMs } : {}),
    ...(req.convergeWithinMs !== undefined ? { convergeWithinMs: req.convergeWithinMs } : {}),
  }).catch((e: unknown) => {
    throw e instanceof CheckerInputError ? new UsageError(e.message) : e;
  });
  Object.assign(verdicts, await run);
  return {
    valid: combineValidity(Object.values(verdicts).map((v) => v.valid)),
    ops: history.length,
    verdicts,
    elapsedMs: Math.round(performance.now() - t0),
  };
}

/** The linearizable verdict of `run` under the request's options; a history that does not fit the model is a usage error. */
function linearizable(req: CheckRequest, run: (opts: LinearizabilityOptions) => LinearizabilityVerdict | undefined): Verdict | undefined {
  try {
    return run({
      model: getModel(req.model!)!,
      timeLimitMs: req.timeLimitMs,
      memoryLimitBytes: req.memoryLimitBytes,
      keyed: req.keyed,
      onProgress: req.onProgress && ((p) => req.onProgress!(`linearizability: ${p.done}/${p.total} keys done, ${(p.elapsedMs / 1000).toFixed(0)} s`)),
    });
  } catch (e) {
    if (e instanceof ModelUsageError) throw new UsageError(`this history does not fit model ${req.model}: ${e.message}`);
    // A crash is faultline's bug, not a property of the history: unknown with its cause, the others still run.
    return crashVerdict('linearizable', e);
  }
}

/** Loads, lints and checks one history file. Throws HistoryError for unreadable or malformed input. */
export async function checkHistoryFile(file: string, req: CheckRequest): Promise<FileResult> {
  validateRequest(req);
  // Loader economies, when every checker asked for says it reads the history that way (CheckerEntry.reads).
  // Unkeyed checking (keyed false) reads [k, list] whole.
  const shareValues = !req.model && allRead(req.checkers ?? [], 'sharedCompletions');
  const compactReads = !req.model && req.keyed !== false && allRead(req.checkers ?? [], 'compactReads');
  let h: LoadedHistory | undefined = await loadHistory(file, { shareCompletedValues: shareValues, compactReads });
  const warnings = h.warnings;
  if (h.ops.length === 0) return { file, warnings, ...emptyResult(req) };
  const problems = lintHistory(h);
  if (problems.length > 0) throw new LintFailure(file, problems);
  if (req.model && (req.checkers ?? []).every((n) => n === 'linearizable')) {
    // Linearizability alone: the search needs only the prepared ops (columns, no object per history
    // line), so the loaded history is let go before it runs (a third of the peak memory at 2,000,000 lines).
    const t0 = performance.now();
    const ops = h.ops.length;
    let prepared: PreparedLinearizability | undefined;
    const failed = linearizable(req, (opts) => {
      prepared = prepareLinearizability(h!.ops, opts.model, opts.keyed ?? 'auto');
      return undefined;
    });
    h = undefined;
    // End this job before the search: until then a stale interpreter register can still hold the
    // history (measured: 400 MB still reachable at the search without this).
    await new Promise((resolve) => setImmediate(resolve));
    const verdict = failed ?? linearizable(req, (opts) => checkPrepared(prepared!, opts, t0))!;
    return { file, warnings, valid: combineValidity([verdict.valid]), ops, verdicts: { linearizable: verdict }, elapsedMs: Math.round(performance.now() - t0) };
  }
  const r = await checkHistory(h.ops, req);
  return { file, warnings, ...r };
}

/** An empty history tested nothing: every requested checker says unknown, with that cause. */
function emptyResult(req: CheckRequest): HistoryResult {
  const names = [...(req.model ? ['linearizable'] : []), ...(req.checkers ?? []).filter((n) => n !== 'linearizable')];
  const verdict = (): Verdict => ({ valid: 'unknown', anomalies: [], cause: 'the history has no operations: nothing was tested' });
  return { valid: 'unknown', ops: 0, verdicts: Object.fromEntries(names.map((n) => [n, verdict()])), elapsedMs: 0 };
}

/** A history that failed lint: every problem, each with file and line. */
export class LintFailure extends HistoryError {
  constructor(
    file: string,
    readonly problems: HistoryError[],
  ) {
    super(`${problems.length} problem${problems.length === 1 ? '' : 's'} in the history`, file, problems[0]?.line, 'lint');
  }
}
