import type { Op } from '../../history/op.js';
import type { Anomaly, Verdict } from '../types.js';
import type { Model } from './model.js';
import { linOp, prepare, type Partition, type Prepared } from './prepare.js';
import { PartitionSearch } from './search.js';
import { decideUnique } from './unique.js';
import { explainStuck } from './witness.js';

export { ModelUsageError, prepare as prepareLinearizability, type Prepared as PreparedLinearizability } from './prepare.js';
export type { Model, ModelOp } from './model.js';

export interface LinearizabilityOptions {
  model: Model;
  /** Wall-clock budget in ms for the whole history (all partitions share it). 0 or absent: none. */
  timeLimitMs?: number;
  /** Ceiling in bytes on the memo of all partitions together. Default 1 GiB. */
  memoryLimitBytes?: number;
  /** Jepsen's independent-key convention: detect (default), force or refuse. */
  keyed?: 'auto' | boolean;
  /**
   * The polynomial pass for registers with unique values (unique.ts) before the general search.
   * Default true; false runs the search alone (tests compare the two).
   */
  uniqueFirstPass?: boolean;
  /** Called now and then with progress, for long checks. */
  onProgress?: (p: { done: number; total: number; elapsedMs: number }) => void;
}

export interface LinearizabilityStats extends Record<string, unknown> {
  clientOps: number;
  checkedOps: number;
  droppedOps: number;
  partitions: number;
  keyed: boolean;
  steps: number;
  /** Keys decided by the unique-values pass (unique.ts) without a search. */
  uniqueDecided: number;
  elapsedMs: number;
  /** Keys (or '' for an unkeyed history) the budget ran out on. */
  unresolved: string[];
}

export interface LinearizabilityVerdict extends Verdict {
  stats: LinearizabilityStats;
  /** For an invalid history: the witness of the first illegal partition found. */
  witness?: LinWitness;
}

export interface LinWitness {
  key?: string;
  /** History index of the invocation of the op that cannot be linearized. */
  op: number;
  /** History indices of the invocations of the longest linearizable prefix found, in order. */
  prefix: number[];
  /** Model states (described) reachable just before the op. */
  states: string[];
}

const DEFAULT_MEMORY = 1024 * 1024 * 1024;
/** Steps a partition gets in the first pass, per op; most partitions finish within it. */
const FIRST_PASS_STEPS_PER_OP = 64;
const SLICE_STEPS = 4096;
/** Steps the search gets to find the witness of a key the unique-values pass found illegal. */
const WITNESS_MIN_STEPS = 100_000;

/**
 * Checks a history for linearizability against a model: P-compositional split by key, then per key
 * the unique-values pass (unique.ts, registers only) and, when it is unsure, a just-in-time Wing-Gong search. Never throws on a legal history; returns unknown with its
 * cause when the time or memory budget runs out; the first illegal key ends the check with false.
 */
export function checkLinearizability(history: readonly Op[], opts: LinearizabilityOptions): LinearizabilityVerdict {
  const t0 = performance.now();
  return checkPrepared(prepare(history, opts.model, opts.keyed ?? 'auto'), opts, t0);
}

/**
 * checkLinearizability on ops already prepared (prepareLinearizability with the same model and keyed
 * option): the caller can let the history go before the search. `t0`: when the check started, for stats.
 */
export function checkPrepared(prepared: Prepared, opts: LinearizabilityOptions, t0 = performance.now()): LinearizabilityVerdict {
  const model = opts.model;
  const cols = prepared.columns;
  const memLimit = opts.memoryLimitBytes ?? DEFAULT_MEMORY;
  const deadline = opts.timeLimitMs ? t0 + opts.timeLimitMs : Infinity;
  const parts = [...prepared.partitions].sort((a, b) => a.ids.length - b.ids.length);
  const stats: LinearizabilityStats = {
    clientOps: prepared.clientOps,
    checkedOps: parts.reduce((n, p) => n + p.ids.length, 0),
    droppedOps: prepared.dropped,
    partitions: parts.length,
    keyed: prepared.keyed,
    steps: 0,
    uniqueDecided: 0,
    elapsedMs: 0,
    unresolved: [],
  };
  const finish = (v: Omit<LinearizabilityVerdict, 'stats'>): LinearizabilityVerdict => {
    stats.elapsedMs = Math.round(performance.now() - t0);
    return { ...v, stats };
  };

  const live: { part: Partition; search: PartitionSearch }[] = [];
  let liveBytes = 0;
  let done = 0;
  let lastProgress = t0;
  const unknownCauses: string[] = [];

  const invalid = (part: Partition, search: PartitionSearch): LinearizabilityVerdict => {
    const { anomaly, witness } = explainStuck(model, part, search);
    return finish({ valid: false, anomalies: [anomaly], witness });
  };

  // Runs one slice of a search; returns false when the budget is gone.
  const slice = (part: Partition, search: PartitionSearch, steps: number): 'valid' | 'invalid' | 'running' => {
    const before = search.steps;
    const status = search.run(steps);
    stats.steps += search.steps - before;
    return status;
  };

  const progress = () => {
    const now = performance.now();
    if (opts.onProgress && now - lastProgress > 1000) {
      lastProgress = now;
      opts.onProgress({ done, total: parts.length, elapsedMs: now - t0 });
    }
  };

  const abandonLargest = () => {
    let worst = 0;
    for (let i = 1; i < live.length; i++) if (live[i].search.memoryBytes() > live[worst].search.memoryBytes()) worst = i;
    const [{ part, search }] = live.splice(worst, 1);
    liveBytes -= search.memoryBytes();
    search.release();
    stats.unresolved.push(part.key ?? '');
    unknownCauses.push(`the memory ceiling of ${mb(memLimit)} was reached while searching ${keyName(part)} (${part.ids.length} ops)`);
    done++;
  };

  // First pass: every partition gets a quota proportional to its size, smallest first.
  let started = 0;
  const firstPass = opts.uniqueFirstPass !== false;
  for (const part of parts) {
    started++;
    if (firstPass) {
      const quick = decideUnique(model, { key: part.key, ops: Array.from(part.ids, (id) => linOp(cols, id)) });
      if (quick.verdict !== 'unsure') stats.uniqueDecided++;
      if (quick.verdict === false) {
        // The search's witness (longest linearizable prefix, stuck op, states) when it finds one within
        // a first-pass quota; otherwise the zone witness: the ops of the violated rule.
        const search = new PartitionSearch(model, cols, part.ids);
        const quota = Math.max(WITNESS_MIN_STEPS, part.ids.length * FIRST_PASS_STEPS_PER_OP);
        let status: 'valid' | 'invalid' | 'running' = 'running';
        for (let used = 0; used < quota && status === 'running' && search.memoryBytes() < memLimit / 4; used += SLICE_STEPS) {
          status = slice(part, search, SLICE_STEPS);
        }
        if (status === 'invalid') return invalid(part, search);
        search.release();
        if (status === 'running') return finish({ valid: false, anomalies: [quick.anomaly], witness: quick.witness });
        // The search is complete: were it ever to find the key valid, its verdict would stand.
        stats.uniqueDecided--;
      }
      if (quick.verdict !== 'unsure') {
        done++;
        progress();
        continue;
      }
    }
    const search = new PartitionSearch(model, cols, part.ids);
    const quota = Math.max(10_000, part.ids.length * FIRST_PASS_STEPS_PER_OP);
    let status: 'valid' | 'invalid' | 'running' = 'running';
    for (let used = 0; used < quota && status === 'running'; used += SLICE_STEPS) {
      status = slice(part, search, Math.min(SLICE_STEPS, quota - used));
      if (performance.now() > deadline) break;
      if (liveBytes + search.memoryBytes() > memLimit) break;
    }
    if (status === 'invalid') return invalid(part, search);
    if (status === 'valid') {
      done++;
      search.release();
      progress();
      continue;
    }
    live.push({ part, search });
    liveBytes += search.memoryBytes();
    while (liveBytes > memLimit && live.length > 0) abandonLargest();
    if (performance.now() > deadline) break;
    progress();
  }

  // Then the hard partitions share what is left, round robin with growing slices.
  let sliceSteps = SLICE_STEPS;
  while (live.length > 0 && performance.now() <= deadline) {
    for (let i = 0; i < live.length;) {
      const { part, search } = live[i];
      const before = search.memoryBytes();
      const status = slice(part, search, sliceSteps);
      liveBytes += search.memoryBytes() - before;
      if (status === 'invalid') return invalid(part, search);
      if (status === 'valid') {
        liveBytes -= search.memoryBytes();
        search.release();
        live.splice(i, 1);
        done++;
        continue;
      }
      i++;
      if (performance.now() > deadline) break;
    }
    while (liveBytes > memLimit && live.length > 0) abandonLargest();
    sliceSteps = Math.min(sliceSteps * 2, 2_000_000);
    progress();
  }

  // Partitions the first pass never reached count as unresolved with the ones still searching.
  const open = [...live.map((l) => l.part), ...parts.slice(started)];
  if (open.length > 0) {
    for (const part of open) stats.unresolved.push(part.key ?? '');
    const secs = ((opts.timeLimitMs ?? 0) / 1000).toFixed(0);
    const names = open.slice(0, 5).map(keyName).join(', ');
    unknownCauses.unshift(
      `the time limit of ${secs} s ran out with ${open.length} of ${parts.length} ${parts.length === 1 ? 'history' : 'keys'} unresolved ` +
        `(${names}${open.length > 5 ? ', ...' : ''})`,
    );
  }
  if (unknownCauses.length > 0) {
    return finish({ valid: 'unknown', anomalies: [], cause: `Linearizability is unknown: ${unknownCauses.join('; ')}.` });
  }
  return finish({ valid: true, anomalies: [] });
}

function mb(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

function keyName(part: Partition): string {
  return part.key === undefined ? 'the history' : `key ${part.key}`;
}

export type { Anomaly };
