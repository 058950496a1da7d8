import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Op } from '../../src/history/op.js';
import { pairOps } from '../../src/history/pairs.js';
import type { RunSpec } from '../../src/run/run.js';
import { requireRuntime, runChecked } from './support.js';

/**
 * The client-path latency check shared by proxy-mysql and proxy-redis (proxy-postgres has its own):
 * a run under the latency package; every op on the faulted node inside a client-path window takes at
 * least the injected latency, ops outside the windows are not delayed, and nothing is left behind.
 * Behaviour, not speed: each bound is a latency the run injected (how fast ops are is the bench's).
 */
/**
 * The store of a proxy test file's runs: beforeAll requires the runtime (failing, never skipping), makes the
 * folder and builds the replication proxy (it runs as a compiled program inside the standbys' nodes);
 * afterAll removes the folder. Returns the folder's getter.
 */
export function proxyStore(unavailable: () => Promise<string | undefined>): () => string {
  let store = '';
  beforeAll(async () => {
    await requireRuntime(unavailable);
    store = mkdtempSync(join(tmpdir(), 'fl-proxy-test-'));
    // The replication proxies run as a compiled program inside the replicas' namespaces: build just it.
    execFileSync(
      'npx',
      [
        'tsc',
        '--outDir',
        'dist',
        '--rootDir',
        '.',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2022',
        '--skipLibCheck',
        'src/nemesis/proxy/main.ts',
      ],
      { stdio: 'ignore' },
    );
  }, 120_000);
  afterAll(() => {
    if (store) rmSync(store, { recursive: true, force: true });
  });
  return () => store;
}

export function latencyCheck(unavailable: () => Promise<string | undefined>, runtime = 'local') {
  const store = proxyStore(unavailable);
  return async (over: Partial<RunSpec> & Pick<RunSpec, 'db'>) => {
    const spec: RunSpec = {
      workload: 'append',
      nemesis: 'latency',
      timeLimitS: 10,
      concurrency: 6,
      rate: 150,
      nodes: 3,
      replication: 'async',
      reads: 'any',
      keys: 20,
      seed: 12,
      runtime,
      opTimeoutMs: 3000,
      nemesisIntervalS: 2,
      store: store(),
      argv: ['faultline', 'run', '(test)'],
      ...over,
    };
    const r = await runChecked(spec);
    // Each replica streamed through a proxy in its own namespace (its log is kept with the run's logs).
    const logs = join(r.dir, 'logs');
    const proxyLogs = readdirSync(logs, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('proxy.log'));
    expect(proxyLogs.length).toBe(spec.nodes - 1);
    for (const f of proxyLogs) expect(readFileSync(join(logs, f), 'utf8')).toMatch(/proxy 127\.0\.0\.1:15432 -> /);
    const ws = windows(r.history, 'latency').filter((w) => (w.value.applied as string[]).includes('client'));
    expect(ws.length).toBeGreaterThan(0);
    // Outside every window an op is not delayed: faster than the least latency the run injected.
    const least = Math.min(...ws.map((w) => w.value.latencyMs as number));
    let inside = 0;
    let outside = 0;
    let outsideFast = 0;
    for (const p of pairOps(r.history).filter((x) => x.complete && x.complete.node)) {
      const ms = (p.complete!.time - p.invoke.time) / 1e6;
      const on = ws.filter((x) => x.value.node === p.complete!.node);
      const w = on.find((x) => p.invoke.time >= x.from && p.complete!.time <= x.to);
      if (w) {
        inside++;
        // Each direction is delayed by latency ± jitter (jitter <= latency / 4): a round trip >= latency.
        expect(ms, `op ${p.invoke.index} on ${p.complete!.node}`).toBeGreaterThanOrEqual(w.value.latencyMs as number);
      } else if (!on.some((x) => p.complete!.time >= x.from && p.invoke.time <= x.to)) {
        outside++;
        if (ms < least) outsideFast++;
      }
    }
    expect(inside).toBeGreaterThan(20);
    expect(outsideFast / outside).toBeGreaterThan(0.9);
    return { ...r, inside, outside, outsideFast, windows: ws.map((w) => ({ node: w.value.node, latencyMs: w.value.latencyMs })) };
  };
}

/** Fault windows of one package: from the start's completion to the stop's invocation, with its value. */
export function windows(ops: readonly Op[], name: string) {
  const out: { from: number; to: number; value: Record<string, unknown> }[] = [];
  let open: { from: number; value: Record<string, unknown> } | undefined;
  for (const o of ops) {
    if (o.process !== 'nemesis') continue;
    if (o.f === `start-${name}` && o.type === 'info' && !o.error) open = { from: o.time, value: o.value as Record<string, unknown> };
    if (o.f === `stop-${name}` && o.type === 'invoke' && open) {
      out.push({ ...open, to: o.time });
      open = undefined;
    }
  }
  return out;
}
