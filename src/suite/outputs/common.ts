import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { EntryResult, Expectation, RunRecord, SuiteResult } from '../types.js';

/** Counts over a suite, for the summaries' headline and suite-summary.json. */
export interface SuiteTotals {
  entries: number;
  asExpected: number;
  contradictions: number;
  unknown: number;
  runs: number;
  /** Repetitions that failed to run (no verdicts). */
  runErrors: number;
}

export function suiteTotals(r: SuiteResult): SuiteTotals {
  const n = (o: EntryResult['outcome']) => r.entries.filter((e) => e.outcome === o).length;
  const runs = r.entries.flatMap((e) => e.runs);
  return {
    entries: r.entries.length,
    asExpected: n('as-expected'),
    contradictions: n('contradiction'),
    unknown: n('unknown'),
    runs: runs.length,
    runErrors: runs.filter((x) => x.error !== undefined).length,
  };
}

export function expectationText(x: Expectation): string {
  if (x.kind === 'valid') return 'valid';
  if (x.kind === 'any') return 'any';
  return `anomalies: ${x.anomalies.join(', ')}`;
}

export function validityWord(v: boolean | 'unknown'): string {
  return v === true ? 'valid' : v === false ? 'invalid' : 'unknown';
}

/** "read-your-writes 2/3, lost-writes 1/3": how many repetitions found each anomaly; "none" when none did. */
export function foundText(e: EntryResult): string {
  const parts = Object.entries(e.found ?? {})
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${name} ${n}/${e.runs.length}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/** A metric over the repetitions that ran: "mean" or "mean (min-max)" with several; "-" when none ran. */
export function metricText(runs: RunRecord[], pick: (r: RunRecord) => number, digits: number): string {
  const xs = runs.filter((r) => r.error === undefined && Number.isFinite(pick(r))).map(pick);
  if (xs.length === 0) return '-';
  const f = (x: number) => x.toFixed(digits);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length === 1) return f(mean);
  return `${f(mean)} (${f(Math.min(...xs))}–${f(Math.max(...xs))})`;
}

/** A run's heading: "repetition 1 (seed 43)". */
export function runLabel(r: RunRecord): string {
  return `repetition ${r.repetition} (seed ${r.seed})`;
}

/** The total time of an entry: its repetitions' durations. */
export function entryDurationS(e: EntryResult): number {
  return e.runs.reduce((a, r) => a + (Number.isFinite(r.durationS) ? r.durationS : 0), 0);
}

/**
 * A path for a relative link (Markdown or HTML): each segment percent-encoded, so spaces, parentheses,
 * `#`, `?` and a `:` (which would start a scheme such as javascript:) cannot change what the link means.
 */
export function linkPath(p: string): string {
  return p
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

/**
 * The PNG charts in a run's report folder (charts/<id>.png, as src/report/png.ts writes them), as paths
 * relative to the suite's folder; none when the folder or the renderer's output is absent.
 */
export function runCharts(suiteDir: string, r: RunRecord): string[] {
  const runDir = isAbsolute(r.dir) ? r.dir : join(suiteDir, r.dir);
  const charts = join(runDir, 'charts');
  if (!existsSync(charts)) return [];
  try {
    return readdirSync(charts)
      .filter((f) => f.endsWith('.png'))
      .sort()
      .map((f) => `${r.dir.replace(/\/+$/, '')}/charts/${f}`);
  } catch {
    return [];
  }
}

/** Every anomaly sentence of a run, "checker: sentence", checkers in the order the run has them. */
export function runSentences(r: RunRecord): string[] {
  return Object.entries(r.sentences ?? {}).flatMap(([name, ss]) => ss.map((s) => `${name}: ${s}`));
}
