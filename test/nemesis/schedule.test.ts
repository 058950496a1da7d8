import { describe, expect, it } from 'vitest';
import { cassandraAdapter } from '../../src/adapters/cassandra/index.js';
import { postgresAdapter } from '../../src/adapters/postgres/index.js';
import { redisAdapter } from '../../src/adapters/redis/index.js';
import { bridge, describeGrudge, isolate, ring } from '../../src/nemesis/grudge.js';
import { faultPackages, faultSchedule, resolvePackages } from '../../src/nemesis/index.js';
import { UsageError } from '../../src/errors.js';

const nodes = ['n1', 'n2', 'n3'];
const five = ['n1', 'n2', 'n3', 'n4', 'n5'];
const local = { kind: 'local', capabilities: new Set(['partition', 'kill', 'pause', 'clock', 'loss', 'bandwidth'] as const) };

describe('partition shapes', () => {
  it('isolates one node from all others, symmetrically', () => {
    expect(describeGrudge(isolate(nodes, 'n2'))).toEqual({ n1: ['n2'], n2: ['n1', 'n3'], n3: ['n2'] });
  });

  it('majorities ring: every node sees a majority, and the majorities differ', () => {
    for (const ns of [nodes, five, ['a', 'b', 'c', 'd']]) {
      const g = ring(ns);
      const seen = ns.map((n) =>
        ns
          .filter((m) => !g.get(n)!.has(m))
          .sort()
          .join(','),
      );
      for (const s of seen) expect(s.split(',').length).toBeGreaterThan(ns.length / 2);
      expect(new Set(seen).size).toBeGreaterThan(1);
    }
    expect(describeGrudge(ring(five))).toEqual({ n1: ['n3', 'n4'], n2: ['n4', 'n5'], n3: ['n1', 'n5'], n4: ['n1', 'n2'], n5: ['n2', 'n3'] });
  });

  it('bridge: the middle node keeps both halves, the halves are cut from each other', () => {
    expect(describeGrudge(bridge(five, ['n4', 'n1', 'n3', 'n5', 'n2']))).toEqual({ n1: ['n2', 'n5'], n2: ['n1', 'n4'], n4: ['n2', 'n5'], n5: ['n1', 'n4'] });
  });
});

describe('fault schedule', () => {
  const pk = () => resolvePackages('partition,kill,pause', local, postgresAdapter);
  const opts = { nodes, seed: 42, intervalNs: 5e9, durationNs: 60e9 };

  it('is a pure function of the seed', () => {
    const a = faultSchedule({ ...opts, packages: pk() });
    expect(faultSchedule({ ...opts, packages: pk() })).toEqual(a);
    expect(faultSchedule({ ...opts, seed: 43, packages: pk() })).not.toEqual(a);
  });

  it('closes every window it opens before the end, and faults of different packages overlap', () => {
    const s = faultSchedule({ ...opts, packages: pk() });
    expect(s.length).toBeGreaterThan(6);
    const open = new Map<string, number>();
    let overlapped = false;
    for (const a of s) {
      expect(a.at).toBeLessThan(opts.durationNs);
      if (['start-partition', 'start-kill', 'pause'].includes(a.f)) {
        expect(open.has(a.package)).toBe(false);
        if (open.size > 0) overlapped = true;
        open.set(a.package, a.at);
      } else open.delete(a.package);
    }
    expect(open.size).toBe(0);
    expect(overlapped).toBe(true);
  });
});

describe('resolvePackages', () => {
  it('refuses unknown names, missing capabilities and clock on redis with a sentence', () => {
    expect(() => resolvePackages('partition,bogus', local, postgresAdapter)).toThrow(/unknown nemesis 'bogus'/);
    expect(() => resolvePackages('clock', { kind: 'docker', capabilities: new Set(['partition'] as const) }, postgresAdapter)).toThrow(/needs clock/);
    expect(() => resolvePackages('clock', local, redisAdapter)).toThrow(UsageError);
    expect(() => resolvePackages('failover,split-brain', local, postgresAdapter)).toThrow(/choose one/);
    expect(resolvePackages('none', local, postgresAdapter)).toEqual([]);
    expect(Object.keys(faultPackages)).toContain('partition');
  });

  it('naive-failover is its own package, named for its policy, and excludes the other failovers', () => {
    const [p] = resolvePackages('naive-failover', local, postgresAdapter);
    expect(p!.name).toBe('naive-failover');
    expect(p!.cycle(() => 0, ['n1'])[0]).toEqual({ f: 'start-failover', value: { fence: true, isolateMs: 1000, policy: 'naive' } });
    expect(resolvePackages('failover', local, postgresAdapter)[0]!.cycle(() => 0, ['n1'])[0].value).toMatchObject({ policy: 'safe' });
    expect(() => resolvePackages('failover,naive-failover', local, postgresAdapter)).toThrow(/choose one/);
    expect(() => resolvePackages('naive-failover', local, cassandraAdapter)).toThrow(/masterless/);
  });
});
