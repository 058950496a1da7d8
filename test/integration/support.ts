import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { loadHistory } from '../../src/history/load.js';
import { lintHistory } from '../../src/history/lint.js';
import { runTest, type RunSpec } from '../../src/run/run.js';
import { readJson } from '../../src/run/store.js';
import type { Cluster } from '../../src/runtime/types.js';
// leftovers() lives in the runtime so `npm run soak` (bench/soak.ts) reports exactly what the tests refuse.
import { leftovers } from '../../src/runtime/local/leftovers.js';
export { leftovers };

/**
 * Tears down what a test started, on every path: the database, then the cluster (also when the
 * database's teardown throws), then its folder; then asserts the run left nothing on the machine.
 */
export async function tearDown(s: { cluster: Cluster; db?: { teardown(): Promise<void> }; dir: string }): Promise<void> {
  try {
    if (s.db) await s.db.teardown();
  } finally {
    await s.cluster.down();
    rmSync(s.dir, { recursive: true, force: true });
    expect(leftovers(s.cluster.runId)).toEqual([]);
  }
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
  expect(leftovers(run.runId)).toEqual([]);
  const h = await loadHistory(join(r.dir, 'history.jsonl'));
  expect(lintHistory(h)).toEqual([]);
  return { ...r, runId: run.runId, history: h.ops };
}

export type CheckedRun = Awaited<ReturnType<typeof runChecked>>;

/** One checker's verdict of a run. */
export const verdict = (r: CheckedRun, name: string) => r.results.verdicts[name]!;
