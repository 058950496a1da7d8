import { checkHistoryFile, type CheckRequest, type FileResult } from '../check.js';
import { InputError, UsageError } from '../errors.js';
import { existsSync } from 'node:fs';
import { readStoredJson, type RunInfo } from '../report/run-files.js';
import { runProblem } from '../report/validate.js';
import { runPaths, writeJson } from './store.js';

/** Which checkers judge each workload's history. */
export const WORKLOAD_CHECKS: Record<string, CheckRequest> = {
  register: { model: 'cas-register', checkers: ['linearizable', 'stats'] },
  'rw-register': { model: 'register', checkers: ['linearizable', 'stats'] },
  append: {
    checkers: [
      'read-your-writes',
      'monotonic-reads',
      'monotonic-writes',
      'writes-follow-reads',
      'consistent-prefix',
      'lost-writes',
      'staleness',
      'availability',
      'stats',
    ],
  },
  set: { checkers: ['set', 'stats'] },
};

/**
 * The checkers for a run. With faults, recovery joins them (after the final heal the cluster serves
 * again within the bound). Without faults, availability is left out: it measures behaviour around fault
 * windows, and a run that injected none does not claim to test it (its unknown would hide the rest).
 */
export function checksFor(workload: string, nemesis = 'none'): CheckRequest {
  const req = WORKLOAD_CHECKS[workload];
  if (!req) throw new UsageError(`unknown workload '${workload}'; workloads: ${Object.keys(WORKLOAD_CHECKS).join(', ')}`);
  const faults = nemesis
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && s !== 'none');
  if (faults.length > 0) {
    const names = req.checkers ?? [];
    const at = names.includes('stats') ? names.indexOf('stats') : names.length;
    return { ...req, checkers: [...names.slice(0, at), 'recovery', ...names.slice(at)] };
  }
  return { ...req, checkers: req.checkers?.filter((c) => c !== 'availability') };
}

export interface StoredResults extends Omit<FileResult, 'file'> {
  history: string;
  checkedAt: string;
}

/** Checks a stored run's history with the current checkers and (re)writes its results.json. */
export async function analyzeRun(dir: string, opts: { timeLimitMs?: number; onProgress?: (m: string) => void } = {}): Promise<StoredResults> {
  const p = runPaths(dir);
  // Missing or malformed run files are unreadable input (65), as for `check` and `report`.
  // results.json is not read: analyze rewrites it, so a broken one is what analyze repairs.
  if (!existsSync(dir)) throw new InputError('cannot read run: does not exist', dir);
  if (!existsSync(p.runJson)) throw new InputError('not a faultline run directory (no run.json)', dir);
  if (!existsSync(p.history)) throw new InputError('not a complete run: it has no history.jsonl', dir);
  const run = readStoredJson<RunInfo>(p.runJson, runProblem);
  const workload = run.spec?.workload;
  if (!workload) throw new InputError('names no workload (spec.workload): cannot tell which checkers judge it', p.runJson);
  if (!WORKLOAD_CHECKS[workload])
    throw new InputError(`names an unknown workload '${workload}'; workloads: ${Object.keys(WORKLOAD_CHECKS).join(', ')}`, p.runJson);
  const recoveryS = run.spec?.recoveryTimeoutS;
  const r = await checkHistoryFile(p.history, {
    ...checksFor(workload, run.spec?.nemesis),
    ...(typeof recoveryS === 'number' && Number.isFinite(recoveryS) ? { recoveryTimeoutMs: recoveryS * 1000 } : {}),
    timeLimitMs: opts.timeLimitMs ?? 300_000,
    onProgress: opts.onProgress,
  });
  const { file: _file, ...rest } = r;
  const out: StoredResults = { ...rest, history: 'history.jsonl', checkedAt: new Date().toISOString() };
  writeJson(p.results, out);
  return out;
}
