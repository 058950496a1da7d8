import { describe, expect, it } from 'vitest';
import { postgresAdapter } from '../../src/adapters/postgres/index.js';
import type { Db } from '../../src/adapters/types.js';
import { Nemesis, faultPackages, finalHeal, healOrder, resolvePackages } from '../../src/nemesis/index.js';
import { failoverPackage } from '../../src/nemesis/process-faults.js';
import type { Cluster, RuntimeNode } from '../../src/runtime/types.js';

// Which node methods each package's ops call, on recording nodes (the real layers are tested on
// namespaces in test/integration/fault-layers.test.ts). A stop or heal may touch only its own layer.

const local = { kind: 'local', capabilities: new Set(['partition', 'kill', 'pause', 'clock', 'loss', 'bandwidth'] as const) };

const unused = async (): Promise<never> => {
  throw new Error('not a fault package call');
};

function recording() {
  const calls: string[] = [];
  const node = (name: string, i: number): RuntimeNode => {
    const rec =
      (m: string) =>
      async (..._: unknown[]) => {
        calls.push(`${name}.${m}`);
      };
    return {
      name,
      ip: `10.0.0.${11 + i}`,
      endpoint: (port: number) => ({ host: `10.0.0.${11 + i}`, port }),
      dir: '/nonexistent',
      exec: async () => ({ code: 0, stdout: '', stderr: '' }),
      spawn: async () => {
        throw new Error('no services here');
      },
      // Files and processes are the adapters' part of the door; no fault package calls them.
      cacheDir: '/nonexistent',
      which: unused,
      readFile: unused,
      writeFile: unused,
      mkdir: unused,
      exists: unused,
      readdir: unused,
      remove: unused,
      rename: unused,
      descendants: unused,
      signal: unused,
      running: unused,
      partition: rec('partition'),
      healPartition: rec('healPartition'),
      isolate: rec('isolate'),
      healIsolation: rec('healIsolation'),
      loss: rec('loss'),
      healLoss: rec('healLoss'),
      bandwidth: rec('bandwidth'),
      healBandwidth: rec('healBandwidth'),
      healAll: rec('healAll'),
      setClockOffset: rec('setClockOffset'),
    };
  };
  const nodes = ['n1', 'n2', 'n3'].map(node);
  const cluster = {
    runId: 'r',
    nodes,
    hostIp: '10.0.0.1',
    healAll: async () => {
      calls.push('cluster.healAll');
    },
    down: async () => {},
  } as Cluster;
  const db = {
    primary: () => nodes[0]!,
    failover: async () => {
      calls.push('db.failover');
      return { promoted: 'n2', old: 'n1' };
    },
  } as unknown as Db;
  return { calls, cluster, db };
}

/** The node methods a stop or heal of this package may call: its own layer's heal, nothing else. */
const OWN: Record<string, string[]> = {
  partition: ['healPartition'],
  loss: ['healLoss'],
  bandwidth: ['healBandwidth'],
  failover: ['healIsolation'],
  'split-brain': ['healIsolation'],
  clock: ['setClockOffset'],
};

describe('each fault package heals its own layer only', () => {
  for (const name of Object.keys(OWN)) {
    it(`${name}: its stop and its heal call ${OWN[name]!.join(', ')} and nothing else`, async () => {
      const { calls, cluster, db } = recording();
      const pkg = faultPackages[name]!();
      const nem = new Nemesis([pkg], { cluster, db });
      const r = await nem.invoke(pkg.final);
      expect(r.type).toBe('info');
      await nem.healPackage(pkg);
      const methods = new Set(calls.map((c) => c.split('.')[1]));
      expect([...methods]).toEqual(OWN[name]);
    });
  }

  it('the failover isolates its old primary in the isolation layer, never the partition one, and ends it', async () => {
    const { calls, cluster, db } = recording();
    const nem = new Nemesis([failoverPackage(true, 1)], { cluster, db });
    const r = await nem.invoke({ f: 'start-failover', value: { fence: true, isolateMs: 1 } });
    expect(r.error).toBeUndefined();
    expect(calls).toEqual(['n1.isolate', 'db.failover', 'n1.healIsolation']);
  });

  it('proxy packages (latency, half-open, reset) never heal a node', async () => {
    for (const name of ['latency', 'half-open', 'reset']) {
      const { calls, cluster, db } = recording();
      const pkg = faultPackages[name]!();
      const nem = new Nemesis([pkg], { cluster, db });
      await nem.invoke(pkg.final);
      await nem.healPackage(pkg);
      expect(calls, name).toEqual([]);
    }
  });
});

describe('final heal', () => {
  it('every package states its final heal: one of its own fs, the stop that closes its window', () => {
    for (const [name, make] of Object.entries(faultPackages)) {
      const p = make();
      expect(p.fs, name).toContain(p.final.f);
      expect(p.final.f, name).not.toBe(p.fs[0]); // the first f starts the fault
      expect(p.cycle(() => 0.5, ['n1', 'n2', 'n3'])[1].f, name).toBe(p.final.f); // the schedule's own stop
    }
  });

  it('covers each package separately, one action each, in heal order, each routed to its own package', async () => {
    const packages = resolvePackages('loss,partition,bandwidth,pause,kill,latency', local, postgresAdapter);
    const fin = finalHeal(packages);
    expect(fin).toEqual([
      { f: 'resume', value: null, package: 'pause' },
      { f: 'stop-partition', value: null, package: 'partition' },
      { f: 'stop-loss', value: null, package: 'loss' },
      { f: 'stop-bandwidth', value: null, package: 'bandwidth' },
      { f: 'stop-latency', value: null, package: 'latency' },
      // Restarts and rebuilds after the network they need.
      { f: 'stop-kill', value: null, package: 'kill' },
    ]);
    expect(healOrder(packages).map((p) => p.name)).toEqual(fin.map((a) => a.package));
    // Run on recording nodes: each network stop heals its layer on every node, and no stop heals all.
    const { calls, cluster, db } = recording();
    const nem = new Nemesis(resolvePackages('loss,partition,bandwidth', local, postgresAdapter), { cluster, db });
    for (const a of finalHeal(nem.packages)) await nem.invoke(a);
    expect(calls).toEqual(['healPartition', 'healLoss', 'healBandwidth'].flatMap((m) => ['n1', 'n2', 'n3'].map((n) => `${n}.${m}`)));
  });
});
