import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shortId } from '../../src/runtime/local/names.js';
import { WORKDIR_MARK } from '../../src/run/workdir.js';
import { requireRuntime } from '../integration/support.js';

// `faultline cleanup --run ID` after a kill -9, through the built CLI: a dead run's record (a claim
// whose pid no longer exists) names its data folder; cleanup removes exactly that folder and the record,
// and leaves another dead run's folder alone. The state dir and the temp dir are this test's own
// (FAULTLINE_STATE_DIR, TMPDIR). Only --run: a cleanup without it would act on every run of this machine.
// cleanup needs root (it lists namespaces and iptables rules), as `faultline cleanup` does.

const root = join(import.meta.dirname, '..', '..');
const main = join(root, 'dist', 'src', 'cli', 'main.js');
let t: string;

beforeAll(() => {
  const t0 = Date.now();
  try {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], { cwd: root, stdio: 'pipe' });
  } catch (e) {
    void e; // type errors elsewhere still emit; a stale CLI is caught below
  }
  if (statSync(main).mtimeMs < t0 - 2000) throw new Error(`tsc did not emit ${main}`);
  t = mkdtempSync(join(tmpdir(), 'faultline-cleanup-cli-'));
});
afterAll(() => {
  if (t) rmSync(t, { recursive: true, force: true });
});

const deadPid = (): number => spawnSync('true').pid!;

/** A dead run's data folder as `faultline run` makes it (name, mark, node data). */
function deadRunDir(parent: string, runId: string): string {
  const dir = join(parent, `faultline-${runId}-Q1w2E3`);
  mkdirSync(join(dir, 'n1', 'data'), { recursive: true });
  writeFileSync(join(dir, 'n1', 'data', 'PG_VERSION'), '15\n');
  writeFileSync(join(dir, WORKDIR_MARK), JSON.stringify({ runId, pid: deadPid(), created: new Date().toISOString() }));
  return dir;
}

describe('faultline cleanup after a kill -9 (root)', () => {
  // Root is what `faultline cleanup` needs; a machine without it fails here, never a silent skip.
  beforeAll(() => requireRuntime(async () => (process.getuid?.() === 0 ? undefined : 'not root')));

  it("removes the dead run's data folder named by its record, and nothing else", async () => {
    const state = join(t, 'state'),
      tmp = join(t, 'tmp'),
      elsewhere = join(t, 'elsewhere');
    for (const d of [state, tmp, elsewhere]) mkdirSync(d);
    const runId = 'c0ffee';
    const id = shortId(runId);
    const dir = deadRunDir(elsewhere, runId); // outside the temp dir: only the record leads to it
    writeFileSync(
      join(state, `${id}.json`),
      JSON.stringify({ runId, id, pid: deadPid(), subnet: '10.250.0', nodes: ['n1'], dir, created: new Date().toISOString() }) + '\n',
    );
    const otherDead = deadRunDir(tmp, 'bada55');
    const unrelated = join(elsewhere, 'keep-me');
    mkdirSync(unrelated);

    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [main, 'cleanup', '--run', runId],
        { env: { ...process.env, FAULTLINE_STATE_DIR: state, TMPDIR: tmp } },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
      );
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').sort()).toEqual([`removed data dir ${dir}`, `removed state record ${id}`]);
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(elsewhere)).toEqual(['keep-me']);
    expect(existsSync(otherDead)).toBe(true);
    expect(readdirSync(state)).toEqual([]);
  });
});
