import { parseJsonExact } from '../history/exact.js';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { faultWords, validWord } from './describe.js';
import type { RunInfo, StoredResultsFile } from './run-files.js';

/** One stored run, as the index of runs lists it. */
export interface RunEntry {
  /** <name>/<timestamp>, relative to the store. */
  path: string;
  name: string;
  verdict: 'valid' | 'invalid' | 'unknown' | 'not checked';
  db: string;
  workload: string;
  faults: string;
  date: string;
  hasReport: boolean;
}

function tryJson<T>(file: string): T | undefined {
  try { return parseJsonExact(readFileSync(file, 'utf8')) as T; } catch { return undefined; }
}

/** The runs under a store (<store>/<name>/<timestamp>/run.json), newest first; `latest` links skipped. */
export function listRuns(store: string): RunEntry[] {
  const out: RunEntry[] = [];
  const dirs = (p: string) => (existsSync(p) ? readdirSync(p, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name) : []);
  for (const name of dirs(store)) {
    for (const ts of dirs(join(store, name))) {
      const dir = join(store, name, ts);
      const run = tryJson<RunInfo>(join(dir, 'run.json'));
      if (!run) continue;
      const results = tryJson<StoredResultsFile>(join(dir, 'results.json'));
      out.push({
        path: `${name}/${ts}`, name, verdict: results ? validWord(results.valid) : 'not checked',
        db: run.spec?.db ?? run.cluster?.database ?? '', workload: run.spec?.workload ?? '', faults: faultWords(run),
        date: run.startedAt ?? statSync(dir).mtime.toISOString(), hasReport: existsSync(join(dir, 'index.html')),
      });
    }
  }
  return out.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
}
