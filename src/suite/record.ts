import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadHistory } from '../history/load.js';
import { pairOps } from '../history/pairs.js';
import { quantiles } from '../checkers/replication/quantiles.js';
import type { StoredResults } from '../run/checks.js';
import { readJson, runPaths } from '../run/store.js';
import type { RunRecord } from './types.js';

/** How many anomaly sentences a record keeps per checker (the run's results.json has them all). */
const SENTENCES = 3;

/** A path relative to the suite's folder when inside it, else as it is. */
export function relativeTo(outDir: string, p: string): string {
  const r = relative(outDir, p);
  return r.startsWith('..') || r === '' ? p : r;
}

/** Completed client ops per second over the time limit, and the latency of ok client ops (ms). */
export async function historyStats(history: string, timeLimitS: number): Promise<RunRecord['stats']> {
  const h = await loadHistory(history);
  const pairs = pairOps(h.ops);
  const lat: number[] = [];
  for (const p of pairs) if (p.type === 'ok' && p.complete) lat.push(p.complete.time - p.invoke.time);
  const q = quantiles(lat, 1e-6);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { okPerS: round(lat.length / Math.max(timeLimitS, 1e-9)), p50Ms: round(q.p50), p99Ms: round(q.p99), ops: pairs.length };
}

/** A repetition's record from its run folder (results.json, and the history for the stats). */
export async function recordOf(
  outDir: string,
  dir: string | undefined,
  rep: { repetition: number; seed: number; durationS: number; timeLimitS: number; error?: string },
): Promise<RunRecord> {
  const base: RunRecord = {
    repetition: rep.repetition,
    seed: rep.seed,
    dir: dir === undefined ? '' : relativeTo(outDir, dir),
    valid: 'unknown',
    verdicts: {},
    sentences: {},
    stats: { okPerS: 0, p50Ms: 0, p99Ms: 0, ops: 0 },
    durationS: Math.round(rep.durationS * 10) / 10,
    ...(rep.error !== undefined ? { error: rep.error } : {}),
  };
  if (dir === undefined) return base; // the run failed before its folder was made
  const p = runPaths(dir);
  if (existsSync(join(dir, 'index.html'))) base.report = relativeTo(outDir, join(dir, 'index.html'));
  if (existsSync(p.results)) {
    const r = readJson<StoredResults>(p.results);
    base.valid = r.valid;
    for (const [name, v] of Object.entries(r.verdicts)) {
      base.verdicts[name] = v.valid;
      const s = v.anomalies.slice(0, SENTENCES).map((a) => a.explanation);
      if (s.length > 0) base.sentences[name] = s;
    }
  }
  if (existsSync(p.history)) {
    try {
      base.stats = await historyStats(p.history, rep.timeLimitS);
    } catch {
      /* a history cut short by a crash: the verdicts (if any) still stand, the stats stay zero */
    }
  }
  return base;
}
