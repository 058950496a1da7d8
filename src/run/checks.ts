import { checkHistoryFile, type CheckRequest, type FileResult } from '../check.js';
import type { TxnCheckOptions } from '../checkers/types.js';
import { TXN_WORKLOADS } from '../generators/workloads/index.js';
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
  // Elle's checkers; the models they check come from the run (checksFor's txn: run.json's txnCheck).
  'list-append': { checkers: ['list-append', 'stats'] },
  'txn-register': { checkers: ['rw-register', 'stats'] },
};

/**
 * Multi-leader and leaderless runs end with every node's own reads (issue 16), so they are also checked for
 * convergence, and writes with unique values (append) for conflicts: writes conflict resolution discarded.
 * A multi-leader run is judged by those alone: reads and writes through different leaders of an asynchronous
 * multi-leader cluster promise no session guarantee, and failing it for one would blame it for our routing.
 */
function withTopology(req: CheckRequest, workload: string, topology: string): CheckRequest {
  if (topology === 'single-leader' || workload === 'set') return req;
  const extra = workload === 'append' ? ['convergence', 'conflicts'] : ['convergence'];
  const base = topology === 'multi-leader' ? ['stats'] : (req.checkers ?? []);
  const at = base.includes('stats') ? base.indexOf('stats') : base.length;
  return { ...req, checkers: [...base.slice(0, at), ...extra, ...base.slice(at)] };
}

/**
 * The checkers for a run. With faults, recovery joins them (after the final heal the cluster serves
 * again within the bound). Without faults, availability is left out: it measures behaviour around fault
 * windows, and a run that injected none does not claim to test it (its unknown would hide the rest).
 */
export function checksFor(workload: string, nemesis = 'none', txn?: TxnCheckOptions, topology: string = 'single-leader'): CheckRequest {
  const found = WORKLOAD_CHECKS[workload];
  if (!found) throw new UsageError(`unknown workload '${workload}'; workloads: ${Object.keys(WORKLOAD_CHECKS).join(', ')}`);
  const req: CheckRequest = txn ? { ...found, txn } : withTopology(found, workload, topology);
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
  const convergeS = run.spec?.convergeWithinS;
  // A transactional run is checked against the models it stored (the level's documented one, and those asked for).
  const models = run.txnCheck?.consistency;
  if (TXN_WORKLOADS.has(workload) && (!Array.isArray(models) || models.length === 0 || !models.every((m) => typeof m === 'string')))
    throw new InputError('a transactional run names no consistency models (txnCheck.consistency): cannot tell what to check it against', p.runJson);
  const r = await checkHistoryFile(p.history, {
    ...checksFor(workload, run.spec?.nemesis, TXN_WORKLOADS.has(workload) ? { consistency: models as string[] } : undefined, run.spec?.topology),
    ...(typeof convergeS === 'number' && Number.isFinite(convergeS) ? { convergeWithinMs: convergeS * 1000 } : {}),
    ...(typeof recoveryS === 'number' && Number.isFinite(recoveryS) ? { recoveryTimeoutMs: recoveryS * 1000 } : {}),
    timeLimitMs: opts.timeLimitMs ?? 300_000,
    onProgress: opts.onProgress,
  });
  const { file: _file, ...rest } = r;
  const out: StoredResults = { ...rest, history: 'history.jsonl', checkedAt: new Date().toISOString() };
  writeJson(p.results, out);
  return out;
}
