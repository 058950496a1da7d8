import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../errors.js';
import { readStoredJson } from '../../report/run-files.js';
import { SUITE_SCHEMA, type EntryResult, type EntryTrend, type SuiteResult } from '../types.js';

/**
 * The noise rule. A nightly's throughput and p99 move from night to night without anything having
 * changed (another job on the runner, the page cache, where the fault schedule happened to fall), so a
 * change is reported only when it is larger than what the repetitions themselves show:
 *
 * - the value of a side is the mean over its repetitions that ran (a repetition with `error` has no stats);
 * - the spread of a side is max - min of those repetitions' values (0 with one repetition);
 * - a change counts when |after - before| exceeds BOTH the relative threshold (|after - before| / before)
 *   AND the larger of the two spreads: a difference the repetitions of one night already show is noise.
 * - The relative threshold is 20% when both sides have 2 or more repetitions, and 50% when either side has
 *   just one: a single run shows no spread of its own, so it must move a lot before it means anything.
 * - A side whose value is 0 (nothing completed, or no repetition ran) is not compared: there is no ratio.
 *
 * This is a filter against obvious noise, not a statistical test: with 3 repetitions the spread is a
 * rough estimate, and a real 15% regression will not be reported. Run more repetitions to see smaller changes.
 */
export const NOISE = { relative: 0.2, relativeSingleRun: 0.5 } as const;

type Metric = 'okPerS' | 'p99Ms';

function values(e: EntryResult, m: Metric): number[] {
  return e.runs.filter((r) => r.error === undefined && Number.isFinite(r.stats?.[m])).map((r) => r.stats[m]);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const spread = (xs: number[]) => (xs.length === 0 ? 0 : Math.max(...xs) - Math.min(...xs));

/** The change of one metric between two sides when it is beyond noise (see NOISE), else undefined. */
export function changeBeyondNoise(before: number[], after: number[]): { before: number; after: number; change: number } | undefined {
  if (before.length === 0 || after.length === 0) return undefined;
  const b = mean(before),
    a = mean(after);
  if (!(b > 0) || !(a >= 0)) return undefined;
  const change = (a - b) / b;
  const threshold = before.length >= 2 && after.length >= 2 ? NOISE.relative : NOISE.relativeSingleRun;
  if (Math.abs(change) <= threshold) return undefined;
  if (Math.abs(a - b) <= Math.max(spread(before), spread(after))) return undefined;
  return { before: b, after: a, change };
}

/** Checker names whose anomaly some repetition found. */
function anomalies(e: EntryResult): Set<string> {
  const out = new Set<string>();
  for (const [name, n] of Object.entries(e.found ?? {})) if (n > 0) out.add(name);
  // Also from the runs themselves, should `found` lack a checker a run judged invalid.
  for (const r of e.runs) for (const [name, v] of Object.entries(r.verdicts ?? {})) if (v === false) out.add(name);
  return out;
}

/** Each entry both suites have, compared; entries only one has are listed as added or removed. */
export function compareSuites(before: SuiteResult, after: SuiteResult, dir: string): NonNullable<SuiteResult['baseline']> {
  const old = new Map(before.entries.map((e) => [e.entry.id, e]));
  const now = new Set(after.entries.map((e) => e.entry.id));
  const trends: EntryTrend[] = [];
  const added: string[] = [];
  for (const e of after.entries) {
    const b = old.get(e.entry.id);
    if (!b) {
      added.push(e.entry.id);
      continue;
    }
    const was = anomalies(b),
      is = anomalies(e);
    const t: EntryTrend = {
      id: e.entry.id,
      newAnomalies: [...is].filter((n) => !was.has(n)).sort(),
      disappeared: [...was].filter((n) => !is.has(n)).sort(),
    };
    const throughput = changeBeyondNoise(values(b, 'okPerS'), values(e, 'okPerS'));
    const p99 = changeBeyondNoise(values(b, 'p99Ms'), values(e, 'p99Ms'));
    if (throughput) t.throughput = throughput;
    if (p99) t.p99 = p99;
    trends.push(t);
  }
  const removed = before.entries.map((e) => e.entry.id).filter((id) => !now.has(id));
  return { dir, trends, added, removed };
}

/** True when a trend says anything (an anomaly came or went, or a metric moved beyond noise). */
export function trendChanged(t: EntryTrend): boolean {
  return t.newAnomalies.length > 0 || t.disappeared.length > 0 || t.throughput !== undefined || t.p99 !== undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a baseline's suite.json must have for the comparison to read it; the first problem, or undefined. */
export function suiteProblem(v: unknown): string | undefined {
  if (!isObject(v)) return 'suite.json should be an object';
  if (v.schema !== SUITE_SCHEMA) {
    return `suite.json has schema ${JSON.stringify(v.schema ?? null)}, not ${JSON.stringify(SUITE_SCHEMA)} (a suite from another faultline version, or not a suite result)`;
  }
  if (!Array.isArray(v.entries)) return 'suite.json.entries should be an array';
  for (let i = 0; i < v.entries.length; i++) {
    const e: unknown = v.entries[i];
    const at = `suite.json.entries[${i}]`;
    if (!isObject(e) || !isObject(e.entry) || typeof e.entry.id !== 'string') return `${at}.entry.id should be a string`;
    if (!Array.isArray(e.runs)) return `${at}.runs should be an array`;
    if (e.found !== undefined && !isObject(e.found)) return `${at}.found should be an object`;
    for (let j = 0; j < e.runs.length; j++) {
      const r: unknown = e.runs[j];
      if (!isObject(r)) return `${at}.runs[${j}] should be an object`;
      if (r.error === undefined && !isObject(r.stats)) return `${at}.runs[${j}].stats should be an object`;
      if (r.verdicts !== undefined && !isObject(r.verdicts)) return `${at}.runs[${j}].verdicts should be an object`;
    }
  }
  return undefined;
}

/**
 * Reads a baseline: a suite's folder (its suite.json) or the suite.json itself. Missing, unreadable, not
 * JSON, or not a suite result of this schema: an InputError naming the file (exit 65). The suite runner
 * can call this before it starts, so a mistyped --baseline fails in a second rather than after the night.
 */
export function readBaseline(dir: string): SuiteResult {
  if (!existsSync(dir)) throw new InputError('cannot read the baseline: does not exist', dir);
  const file = statSync(dir).isDirectory() ? join(dir, 'suite.json') : dir;
  if (!existsSync(file)) throw new InputError('not a suite folder: it has no suite.json (give the folder a suite wrote, e.g. suite-out/latest)', dir);
  return readStoredJson<SuiteResult>(file, suiteProblem);
}
