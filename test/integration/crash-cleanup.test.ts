import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisAdapter } from '../../src/adapters/redis/index.js';
import { runtimeByName } from '../../src/runtime/index.js';
import { leftoversOf, requireRuntime, RUNTIMES } from './support.js';

// kill -9 of faultline in the middle of a run, with a partition on: nothing can heal or tear down, so the
// cluster stays (namespaces and processes, or containers and a network). `faultline cleanup`, run as a
// user would, must then remove every trace of it, on every runtime.

const root = join(import.meta.dirname, '..', '..');
const main = join(root, 'dist', 'src', 'cli', 'main.js');
let store: string;

beforeAll(async () => {
  for (const name of RUNTIMES) {
    const rt = runtimeByName(name);
    await requireRuntime(async () => (await rt.unavailable('redis')) ?? (await redisAdapter.unavailable(rt.probe('redis'))));
  }
  store = mkdtempSync(join(tmpdir(), 'faultline-crash-'));
});
afterAll(() => {
  if (store) rmSync(store, { recursive: true, force: true });
});

describe.each(RUNTIMES)('kill -9 of faultline, then faultline cleanup, on %s', (runtime) => {
  it('removes everything the crashed run left', async () => {
    expect(existsSync(main)).toBe(true);
    const name = `crash-${runtime}`;
    const argv = [main, 'run', '--db', 'redis', '--runtime', runtime, '--nemesis', 'partition', '--nemesis-interval', '1', '--time-limit', '60'];
    const child = spawn(process.execPath, [...argv, '--seed', '5', '--store', store, '--name', name], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_c, sig) => res(sig)));
    // Until a partition is on (its info completion is in the history).
    const hist = join(store, name, 'latest', 'history.jsonl');
    const deadline = Date.now() + 90_000;
    let on = false;
    while (!on && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      on = existsSync(hist) && /"f":"start-partition".*"type":"info"|"type":"info".*"f":"start-partition"/.test(readFileSync(hist, 'utf8'));
    }
    expect(on, err.slice(-2000)).toBe(true);
    const runId = /faultline run ([0-9a-f]+):/.exec(err)?.[1];
    expect(runId).toBeDefined();
    child.kill('SIGKILL'); // our own child, by its handle
    expect(await exited).toBe('SIGKILL');
    // The crash left the cluster behind: this test is not vacuous.
    expect((await leftoversOf(runtime, runId!)).length).toBeGreaterThan(0);

    const c = spawnSync(process.execPath, [main, 'cleanup', '--run', runId!], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(c.status, c.stderr).toBe(0);
    expect(await leftoversOf(runtime, runId!, { workDir: true })).toEqual([]);
    // The history written before the crash is kept.
    expect(readFileSync(hist, 'utf8')).toMatch(/"f":"start-partition"/);
  }, 180_000);
});
