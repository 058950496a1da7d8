import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One small file per live cluster under /run/faultline (tmpfs: gone after a reboot, as the namespaces are).
 * Written before anything is created and removed after everything is gone, so `cleanup` with no run id
 * can tell a crashed run's leftovers (owner dead, or no record) from another live run (owner alive).
 */
export const STATE_DIR = process.env.FAULTLINE_STATE_DIR ?? '/run/faultline';

export interface ClusterRecord {
  runId: string;
  id: string;
  pid: number;
  subnet: string;
  nodes: string[];
  dir: string;
  created: string;
}

const fileOf = (id: string): string => join(STATE_DIR, `${id}.json`);

/** Claims the short id; throws if a record for it exists (same run id brought up twice). */
export function claim(rec: ClusterRecord): void {
  mkdirSync(STATE_DIR, { recursive: true });
  try {
    writeFileSync(fileOf(rec.id), JSON.stringify(rec) + '\n', { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const old = read(rec.id);
    const who = old && alive(old.pid) ? `live process ${old.pid}` : 'a run that did not tear down (run `faultline cleanup`)';
    throw new Error(`run id '${rec.runId}' (short id ${rec.id}) is already in use by ${who}`);
  }
}

export function read(id: string): ClusterRecord | undefined {
  try {
    return JSON.parse(readFileSync(fileOf(id), 'utf8')) as ClusterRecord;
  } catch {
    return undefined;
  }
}

export function release(id: string): boolean {
  try {
    rmSync(fileOf(id));
    return true;
  } catch {
    return false;
  }
}

export function records(): ClusterRecord[] {
  let names: string[];
  try {
    names = readdirSync(STATE_DIR);
  } catch {
    return [];
  }
  return names
    .filter((n) => /^[0-9a-f]{6}\.json$/.test(n))
    .map((n) => read(n.slice(0, 6)))
    .filter((r): r is ClusterRecord => !!r);
}

/** Whether a process exists (signal 0); EPERM still means it exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
