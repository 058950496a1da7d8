import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postgresAdapter } from '../../src/adapters/postgres/index.js';
import { pairOps } from '../../src/history/pairs.js';
import type { RunSpec } from '../../src/run/run.js';
import { runtimeByName } from '../../src/runtime/index.js';
import { proxyStore, windows } from './proxy-latency.js';
import { runChecked, RUNTIMES } from './support.js';

// Faults in the client path: a TCP proxy per node in faultline's process sits between the clients
// and each node's port 5432; the latency, half-open and reset packages act on it.
describe.each(RUNTIMES)('proxy faults in the client path: postgres on %s', (runtime) => {
  const store = proxyStore(async () => {
    const rt = runtimeByName(runtime);
    return (await rt.unavailable('postgres')) ?? (await postgresAdapter.unavailable(rt.probe('postgres')));
  });
  const base = (over: Partial<RunSpec>): RunSpec => ({
    db: 'postgres',
    workload: 'append',
    nemesis: 'latency',
    timeLimitS: 10,
    concurrency: 6,
    rate: 150,
    nodes: 3,
    replication: 'async',
    reads: 'any',
    keys: 20,
    seed: 7,
    runtime,
    opTimeoutMs: 3000,
    nemesisIntervalS: 2,
    store: store(),
    argv: ['faultline', 'run', '(test)'],
    ...over,
  });

  const run = (over: Partial<RunSpec>) => runChecked(base(over));

  it('latency: every op on the faulted node inside a window takes at least the injected latency', async () => {
    const r = await run({ seed: 12 }); // seed 12: client-path latency on the primary, then on n3
    const ws = windows(r.history, 'latency');
    expect(ws.filter((w) => (w.value.applied as string[]).includes('client')).length).toBeGreaterThan(0);
    // Outside every window an op is not delayed: faster than the least latency the run injected.
    const least = Math.min(...ws.map((w) => w.value.latencyMs as number));
    const pairs = pairOps(r.history).filter((p) => p.complete && p.complete.node);
    let inside = 0;
    let outsideFast = 0;
    let outside = 0;
    for (const p of pairs) {
      const ms = (p.complete!.time - p.invoke.time) / 1e6;
      const onClients = ws.filter((x) => (x.value.applied as string[]).includes('client') && x.value.node === p.complete!.node);
      const w = onClients.find((x) => p.invoke.time >= x.from && p.complete!.time <= x.to);
      const during = onClients.some((x) => p.complete!.time >= x.from && p.invoke.time <= x.to);
      if (w) {
        inside++;
        // Each direction is delayed by latency ± jitter (jitter <= latency / 4): a round trip >= latency.
        expect(ms, `op ${p.invoke.index} on ${p.complete!.node}`).toBeGreaterThanOrEqual(w.value.latencyMs as number);
      } else if (!during) {
        outside++;
        if (ms < least) outsideFast++;
      }
    }
    expect(inside).toBeGreaterThan(20);
    // Not vacuous: outside the windows (and on other nodes) ops are not delayed.
    expect(outsideFast / outside).toBeGreaterThan(0.9);
  }, 120_000);

  it('half-open and reset: ops on the faulted node time out or fail, start and heal cleanly', async () => {
    const r = await run({ nemesis: 'half-open,reset', seed: 11, timeLimitS: 12 });
    const nem = r.history.filter((o) => o.process === 'nemesis' && o.type === 'info');
    for (const f of ['start-half-open', 'stop-half-open', 'start-reset', 'stop-reset']) expect(nem.map((o) => o.f)).toContain(f);
    expect(nem.filter((o) => o.error)).toEqual([]);
    const ws = windows(r.history, 'half-open');
    const stuck = pairOps(r.history).filter((p) => p.type === 'info' && ws.some((w) => p.invoke.time >= w.from && p.invoke.time <= w.to));
    expect(stuck.length).toBeGreaterThan(0);
    // After the final heal the final reads go through: the run ends with ok reads.
    expect(r.history.filter((o) => o.type === 'ok' && o.f === 'read').length).toBeGreaterThan(0);
  }, 120_000);

  it('replication link: standbys stream through a proxy in their namespace; half-open on it stalls remote-apply commits', async () => {
    const r = await run({ nemesis: 'half-open', replication: 'remote-apply', reads: 'primary', seed: 9, timeLimitS: 12, opTimeoutMs: 1500 });
    // Each standby's proxy ran (its log is kept with the run's logs).
    const logs = join(r.dir, 'logs');
    const proxyLogs = readdirSync(logs, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('proxy.log'));
    expect(proxyLogs.length).toBe(2);
    for (const f of proxyLogs) expect(readFileSync(join(logs, f), 'utf8')).toMatch(/proxy 127\.0\.0\.1:15432 -> /);
    const ws = windows(r.history, 'half-open').filter((w) => (w.value.applied as string[]).includes('replication'));
    expect(ws.length).toBeGreaterThan(0);
    // remote-apply waits for every standby: with one standby's stream silent, writes time out (info).
    const writes = pairOps(r.history).filter((p) => p.f === 'append' && ws.some((w) => p.invoke.time >= w.from + 2e8 && p.invoke.time <= w.to));
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.filter((p) => p.type === 'info').length / writes.length).toBeGreaterThan(0.5);
  }, 120_000);
});
