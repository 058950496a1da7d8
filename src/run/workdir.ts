import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { alive } from '../runtime/local/state.js';

/**
 * A run's work folder in the system temp dir: the nodes' data dirs, sockets and logs until the logs are
 * copied into the run's store. Removed at the end of every run; after a kill -9, `faultline cleanup` finds
 * it by its name and the mark inside it, and removes it once the process that made it is gone. A folder
 * without our name and a mark that agrees with it is never touched.
 */
export const WORKDIR_MARK = '.faultline-run.json';
const NAME_RE = /^faultline-([0-9a-f]{6})-[A-Za-z0-9]{6}$/;

export interface WorkDirMark {
  runId: string;
  pid: number;
  created: string;
}

/** Creates the work folder of run `runId` (6 hex digits) under `base`, marked with this process's pid. */
export function createWorkDir(runId: string, base = tmpdir()): string {
  if (!/^[0-9a-f]{6}$/.test(runId)) throw new Error(`a work folder needs a 6-hex-digit run id, got '${runId}'`);
  const dir = mkdtempSync(join(base, `faultline-${runId}-`));
  const mark: WorkDirMark = { runId, pid: process.pid, created: new Date().toISOString() };
  writeFileSync(join(dir, WORKDIR_MARK), JSON.stringify(mark) + '\n');
  return dir;
}

/** The mark of a folder faultline made (its name and mark agree), or undefined for anything else. */
export function readWorkDirMark(dir: string): WorkDirMark | undefined {
  const m = NAME_RE.exec(basename(dir));
  if (!m) return undefined;
  try {
    const mark = JSON.parse(readFileSync(join(dir, WORKDIR_MARK), 'utf8')) as Partial<WorkDirMark>;
    if (mark.runId !== m[1] || !Number.isInteger(mark.pid)) return undefined;
    return mark as WorkDirMark;
  } catch {
    return undefined;
  }
}

export interface LeftoverOptions {
  /** Only this run's folder, whether or not its process still runs (you asked for it). */
  runId?: string;
  /** Folders to look at besides base's entries: the `dir` of the local runtime's records. */
  also?: readonly string[];
  /** Where runs make their folders (default: the system temp dir). */
  base?: string;
}

/** Work folders left by runs whose process is gone (or of runId), found by name and mark. */
export function leftoverWorkDirs(opts: LeftoverOptions = {}): string[] {
  const base = opts.base ?? tmpdir();
  let names: string[] = [];
  try {
    names = readdirSync(base).filter((n) => NAME_RE.test(n));
  } catch {
    /* no temp dir: nothing to find */
  }
  const candidates = new Set([...names.map((n) => join(base, n)), ...(opts.also ?? [])]);
  return [...candidates].filter((dir) => {
    const mark = readWorkDirMark(dir);
    if (!mark) return false;
    return opts.runId !== undefined ? mark.runId === opts.runId : mark.pid !== process.pid && !alive(mark.pid);
  });
}

/** Removes those folders; returns what it removed ("data dir <path>"). */
export function removeLeftoverWorkDirs(opts: LeftoverOptions = {}): string[] {
  const removed: string[] = [];
  for (const dir of leftoverWorkDirs(opts)) {
    rmSync(dir, { recursive: true, force: true });
    removed.push(`data dir ${dir}`);
  }
  return removed;
}
