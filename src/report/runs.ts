import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError } from '../errors.js';
import { fsReason } from '../fs-words.js';
import { termSafe } from '../terminal.js';
import { faultWords, validWord } from './describe.js';
import { readStoredJson, type RunInfo, type StoredResultsFile } from './run-files.js';
import { resultsProblem, runProblem } from './validate.js';

/** One stored run, as the index of runs lists it. */
export interface RunEntry {
  /** <name>/<timestamp>, relative to the store. */
  path: string;
  name: string;
  verdict: 'valid' | 'invalid' | 'unknown' | 'not checked' | 'unreadable';
  db: string;
  workload: string;
  faults: string;
  date: string;
  hasReport: boolean;
  /** Why a run is 'unreadable' (a malformed run.json, a folder that cannot be read). */
  problem?: string;
}

/** The runs under a store (<store>/<name>/<timestamp>/run.json), newest first; `latest` links skipped. */
export function listRuns(store: string): RunEntry[] {
  const out: RunEntry[] = [];
  const dirs = (p: string) =>
    readdirSync(p, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  // One bad run (or one folder that cannot be read) is listed as unreadable with its cause; it never
  // takes the index of every other run down with it.
  const unreadable = (path: string, name: string, dir: string, problem: string): RunEntry => ({
    path,
    name,
    verdict: 'unreadable',
    db: '',
    workload: '',
    faults: '',
    date: mtime(dir),
    hasReport: false,
    problem,
  });
  for (const name of dirs(store)) {
    let stamps: string[];
    try {
      stamps = dirs(join(store, name));
    } catch (e) {
      out.push(unreadable(name, name, join(store, name), `cannot list: ${fsReason(e)}`));
      continue;
    }
    for (const ts of stamps) {
      const dir = join(store, name, ts);
      if (!existsSync(join(dir, 'run.json'))) continue; // not a run (logs, a stray folder)
      const path = `${name}/${ts}`;
      let run: RunInfo;
      let results: StoredResultsFile | undefined;
      try {
        run = readStoredJson<RunInfo>(join(dir, 'run.json'), runProblem);
        results = existsSync(join(dir, 'results.json')) ? readStoredJson<StoredResultsFile>(join(dir, 'results.json'), resultsProblem) : undefined;
      } catch (e) {
        out.push(unreadable(path, name, dir, termSafe(e instanceof InputError ? `${basename(e.file ?? '')}: ${e.message}` : String(e))));
        continue;
      }
      out.push({
        path,
        name,
        verdict: results ? validWord(results.valid) : 'not checked',
        db: run.spec?.db ?? run.cluster?.database ?? '',
        workload: run.spec?.workload ?? '',
        faults: faultWords(run),
        date: run.startedAt ?? mtime(dir),
        hasReport: existsSync(join(dir, 'index.html')),
      });
    }
  }
  return out.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
}

function mtime(dir: string): string {
  try {
    return statSync(dir).mtime.toISOString();
  } catch {
    return '';
  }
}
