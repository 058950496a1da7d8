import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { loadHistory } from '../../src/history/load.js';
import { lintHistory } from '../../src/history/lint.js';
import type { Adapter } from '../../src/adapters/types.js';
import { runTest, type RunSpec } from '../../src/run/run.js';
import { readJson } from '../../src/run/store.js';
import { leftovers as dockerLeftovers } from '../../src/runtime/docker/index.js';
import { runtimeByName } from '../../src/runtime/index.js';
import type { Cluster } from '../../src/runtime/types.js';
// leftovers() lives in the runtime so `npm run soak` (bench/soak.ts) reports exactly what the tests refuse.
import { leftovers } from '../../src/runtime/local/leftovers.js';
export { leftovers };

/**
 * The runtimes every parameterised integration suite runs on (describe.each(RUNTIMES)): a new runtime is
 * one folder under src/runtime and one entry here. FAULTLINE_TEST_RUNTIMES=local (comma-separated) narrows
 * it for a quick local loop; CI runs them all.
 */
export const RUNTIMES: readonly string[] = (process.env.FAULTLINE_TEST_RUNTIMES ?? 'local,docker').split(',').filter(Boolean);

/** What a run left on the machine in its runtime: namespaces, links, rules, processes (local); containers, networks and processes (docker); with `workDir`, its work folder. */
export async function leftoversOf(runtime: string, runId: string, opts: { workDir?: boolean } = {}): Promise<string[]> {
  // leftovers() also lists processes naming the run's folders: a container's processes show in the host's ps too.
  return runtime === 'docker' ? [...(await dockerLeftovers(runId)), ...leftovers(runId, opts)] : leftovers(runId, opts);
}

/**
 * Tears down what a test started, on every path: the database, then the cluster (also when the
 * database's teardown throws), then its folder; then asserts the run left nothing on the machine.
 */
export async function tearDown(s: { cluster: Cluster; db?: { teardown(): Promise<void> }; dir: string; runtime?: string }): Promise<void> {
  try {
    if (s.db) await s.db.teardown();
  } finally {
    await s.cluster.down();
    rmSync(s.dir, { recursive: true, force: true });
    expect(await leftoversOf(s.runtime ?? 'local', s.cluster.runId)).toEqual([]);
  }
}

export interface Started<D> {
  cluster: Cluster;
  db: D;
  dir: string;
  runtime: string;
}

/**
 * One real cluster per test. Call at the top of a test file; the returned start(setup) brings up a
 * 3-node cluster (opts.nodes to change that) in a fresh folder (runs named `<prefix>-<pid>-<n>`) and the database on it, and an
 * afterEach tears both down on every path and asserts nothing was left (tearDown). A setup that throws
 * takes its cluster and folder down before the error reaches the test.
 */
export function clusterPerTest(prefix: string, opts: { runtime?: string; image?: string; nodes?: number } = {}) {
  const runtime = opts.runtime ?? 'local';
  let live: Started<{ teardown(): Promise<void> }> | undefined;
  let seq = 0;
  afterEach(async () => {
    if (!live) return;
    const started = live;
    live = undefined;
    await tearDown(started);
  });
  return async function start<D extends { teardown(): Promise<void> }>(setup: (cluster: Cluster) => Promise<D>): Promise<Started<D>> {
    const dir = mkdtempSync(join(tmpdir(), `fl-${prefix}-`));
    chmodSync(dir, 0o755);
    const cluster = await runtimeByName(runtime).up({ runId: `${prefix}-${process.pid}-${seq++}`, dir, nodes: opts.nodes ?? 3, image: opts.image });
    try {
      const started = { cluster, db: await setup(cluster), dir, runtime };
      live = started;
      return started;
    } catch (e) {
      await cluster.down();
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  };
}

/** Fails (never skips) when the machine cannot run integration tests: CI must run them. */
export async function requireRuntime(check: () => Promise<string | undefined>): Promise<void> {
  const why = await check();
  if (why) throw new Error(`integration tests cannot run here: ${why}. Run \`npm test\` as root on Debian (scripts/setup.sh installs what they need).`);
}

/**
 * `faultline run` through the programmatic API, then what every end-to-end test asserts first: the
 * run left nothing on the machine and wrote a well-formed history. Returns the result with its run id
 * and the history's ops; the checkers' verdicts are in `results` (see `verdict`).
 */
export async function runChecked(spec: RunSpec) {
  const r = await runTest(spec, { log: () => {} });
  const run = readJson<{ runId: string }>(join(r.dir, 'run.json'));
  expect(await leftoversOf(spec.runtime, run.runId)).toEqual([]);
  const h = await loadHistory(join(r.dir, 'history.jsonl'));
  expect(lintHistory(h)).toEqual([]);
  return { ...r, runId: run.runId, history: h.ops };
}

export type CheckedRun = Awaited<ReturnType<typeof runChecked>>;

/** One checker's verdict of a run. */
export const verdict = (r: CheckedRun, name: string) => r.results.verdicts[name]!;

/**
 * The end-to-end runs of one database's test file. Call at the top of the file: beforeAll requires the
 * runtime and the adapter (failing, never skipping) and makes a store folder for the file's runs, afterAll
 * removes it. run(over) is runChecked of a short default spec with the file's defaults and `over` on top;
 * spec(over) is that spec alone; store() is the folder (for runs started as a child process).
 */
export function runsOf(adapter: Adapter, defaults: Partial<RunSpec> = {}) {
  let store = '';
  beforeAll(async () => {
    const runtime = runtimeByName(defaults.runtime ?? 'local');
    await requireRuntime(async () => (await runtime.unavailable(adapter.name)) ?? (await adapter.unavailable(runtime.probe(adapter.name))));
    store = mkdtempSync(join(tmpdir(), `fl-run-${adapter.name}-`));
  });
  afterAll(() => {
    if (store) rmSync(store, { recursive: true, force: true });
  });
  const spec = (over: Partial<RunSpec>): RunSpec => ({
    db: adapter.name,
    workload: 'append',
    nemesis: 'none',
    timeLimitS: 8,
    concurrency: 10,
    rate: 300,
    nodes: 3,
    replication: 'async',
    reads: 'primary',
    keys: 20,
    seed: 7,
    runtime: 'local',
    opTimeoutMs: 3000,
    nemesisIntervalS: 3,
    ...defaults,
    store,
    argv: ['faultline', 'run', '(test)'],
    ...over,
  });
  return { run: (over: Partial<RunSpec>) => runChecked(spec(over)), spec, store: () => store };
}

/** The repository and its built CLI. */
export const repoRoot = join(import.meta.dirname, '..', '..');
const main = join(repoRoot, 'dist', 'src', 'cli', 'main.js');

export interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * The built CLI as a child process (cwd: the repository), as a user runs it, killed (our own child, by its
 * handle) past boundMs so a hung command fails its test instead of the CI job. With closeOutputOnRunId, our end of both pipes is closed once the run id was printed: the reader went away. */
export function runCli(argv: string[], boundMs: number, closeOutputOnRunId = false): Promise<Ended> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [main, ...argv], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (closeOutputOnRunId && /faultline run [0-9a-f]+:/.test(stderr)) {
        child.stdout.destroy();
        child.stderr.destroy();
      }
    });
    // Past the bound the command is hung: kill it (our own child, by its handle) and fail below.
    const timer = setTimeout(() => child.kill('SIGKILL'), boundMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}
