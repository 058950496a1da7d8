import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WORKDIR_MARK, createWorkDir, leftoverWorkDirs, removeLeftoverWorkDirs } from '../../src/run/workdir.js';

// The work folders `faultline run` makes in the temp dir (node data), and what `cleanup` does with them
// after a kill -9: it removes a folder only when its name and its mark say faultline made it for a run
// whose process is gone; live runs' folders and anything else stay. All under a temp base folder.

let base: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'faultline-workdir-test-'));
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

/** A pid that existed and is gone: a child that has exited and been reaped. */
const deadPid = (): number => spawnSync('true').pid!;

/** A work folder of run `runId` whose owner is `pid` (as createWorkDir writes it, with node data inside). */
function workDir(runId: string, pid: number): string {
  const dir = createWorkDir(runId, base);
  writeFileSync(join(dir, WORKDIR_MARK), JSON.stringify({ runId, pid, created: new Date().toISOString() }));
  mkdirSync(join(dir, 'n1', 'data'), { recursive: true });
  writeFileSync(join(dir, 'n1', 'data', 'PG_VERSION'), '15\n');
  return dir;
}

describe('cleanup of run work folders', () => {
  it('removes exactly the folder of a dead run, and leaves live runs and look-alikes alone', () => {
    const dead = workDir('a1b2c3', deadPid());
    const live = workDir('d4e5f6', process.pid === 1 ? 1 : process.ppid); // our parent is alive
    const unmarked = join(base, 'faultline-0a0b0c-Xy12Zq');
    mkdirSync(unmarked);
    const forged = join(base, 'faultline-111111-Ab12Cd'); // its mark names another run
    mkdirSync(forged);
    writeFileSync(join(forged, WORKDIR_MARK), JSON.stringify({ runId: '222222', pid: deadPid() }));
    const other = join(base, 'other');
    mkdirSync(other);
    writeFileSync(join(other, WORKDIR_MARK), JSON.stringify({ runId: 'a1b2c3', pid: deadPid() }));

    expect(removeLeftoverWorkDirs({ base })).toEqual([`data dir ${dead}`]);
    expect(existsSync(dead)).toBe(false);
    expect(readdirSync(base).sort()).toEqual(['faultline-0a0b0c-Xy12Zq', 'faultline-111111-Ab12Cd', live.slice(base.length + 1), 'other'].sort());
    expect(removeLeftoverWorkDirs({ base })).toEqual([]); // nothing left the second time
  });

  it('finds a folder outside the temp dir through the records (also), and with runId only that run', () => {
    const elsewhere = mkdtempSync(join(base, 'store-'));
    const a = createWorkDir('aaaaaa', elsewhere);
    const b = workDir('bbbbbb', deadPid());
    expect(leftoverWorkDirs({ base: join(base, 'empty') })).toEqual([]);
    // Its owner (this process) is alive: only asking for the run by id removes it.
    expect(leftoverWorkDirs({ base, also: [a] })).toEqual([b]);
    expect(removeLeftoverWorkDirs({ base, also: [a], runId: 'aaaaaa' })).toEqual([`data dir ${a}`]);
    expect(existsSync(a)).toBe(false);
    expect(existsSync(b)).toBe(true);
  });

  it('refuses to make a folder for a run id that cleanup could not recognise', () => {
    expect(() => createWorkDir('../etc', base)).toThrow(/6-hex-digit run id/);
  });
});
