import { parseJsonExact, stringifyExact } from '../history/exact.js';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Where runs are stored: <root>/<name>/<timestamp>/ with history.jsonl, run.json, results.json and
 * logs/, and <root>/<name>/latest pointing at the newest. A run directory is created before the
 * cluster starts, so a crash leaves at least run.json and the history written so far.
 */
export interface RunDir {
  dir: string;
  history: string;
  runJson: string;
  results: string;
  logs: string;
}

export function stamp(d = new Date()): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

export function runPaths(dir: string): RunDir {
  return { dir, history: join(dir, 'history.jsonl'), runJson: join(dir, 'run.json'), results: join(dir, 'results.json'), logs: join(dir, 'logs') };
}

export function createRunDir(root: string, name: string, now = new Date()): RunDir {
  const base = join(resolve(root), name);
  mkdirSync(base, { recursive: true });
  // Marks the store as faultline's: `faultline report` writes the index of runs only into a store.
  const marker = join(resolve(root), '.faultline-store');
  if (!existsSync(marker)) writeFileSync(marker, 'faultline keeps runs here: <name>/<timestamp>/run.json; the index of runs is index.html\n');
  let ts = stamp(now);
  for (let i = 2; existsSync(join(base, ts)); i++) ts = `${stamp(now)}-${i}`;
  const dir = join(base, ts);
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const latest = join(base, 'latest');
  const tmp = `${latest}.tmp-${process.pid}`;
  rmSync(tmp, { force: true });
  symlinkSync(ts, tmp);
  renameSync(tmp, latest);
  return runPaths(dir);
}

/** Writes JSON atomically (temp file, then rename), so a crash never leaves half a file. */
export function writeJson(file: string, value: unknown): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, stringifyExact(value, 2) + '\n'); // big integers as exact JSON numbers
  renameSync(tmp, file);
}

export function readJson<T>(file: string): T {
  return parseJsonExact(readFileSync(file, 'utf8')) as T;
}
