import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/types.js';
import { failoverPackage } from '../../src/nemesis/process-faults.js';
import type { NemesisContext } from '../../src/nemesis/types.js';
import type { Cluster, RuntimeNode } from '../../src/runtime/types.js';

// A stop-failover that rebuilds fenced old primaries spends a bounded time starting rebuilds, so the op
// ends within the nemesis timeout (soak: rebuilds crawling through 30% loss held the final heal back 95 s).
// Nodes it did not reach stay fenced, are named in its error, and the next stop rebuilds them.

function cluster() {
  const node = (name: string): RuntimeNode => ({ name, healIsolation: async () => {}, isolate: async () => {} }) as unknown as RuntimeNode;
  const nodes = ['n1', 'n2', 'n3'].map(node);
  const roles = new Map<string, string>([
    ['n1', 'primary'],
    ['n2', 'standby'],
    ['n3', 'standby'],
  ]);
  let primary = 'n1';
  const restarted: string[] = [];
  const db = {
    primary: () => nodes.find((n) => n.name === primary)!,
    roles: () => roles,
    failover: async () => {
      const old = primary;
      primary = old === 'n1' ? 'n2' : 'n3';
      roles.set(old, 'fenced');
      roles.set(primary, 'primary');
      return { decision: 'promoted', old, promoted: primary };
    },
    restart: async (n: RuntimeNode) => {
      await new Promise((r) => setTimeout(r, 80));
      roles.set(n.name, 'standby');
      restarted.push(n.name);
    },
  } as unknown as Db;
  return { ctx: { cluster: { nodes } as unknown as Cluster, db } as NemesisContext, restarted };
}

describe('stop-failover: a bounded time on rebuilds', () => {
  it('stops starting rebuilds once the budget is spent, names the rest, and the next stop rebuilds them', async () => {
    const { ctx, restarted } = cluster();
    const pkg = failoverPackage(true, 0, 'safe', 0, 50);
    await pkg.invoke(ctx, { f: 'start-failover', value: null });
    await pkg.invoke(ctx, { f: 'start-failover', value: null });
    const first = await pkg.invoke(ctx, { f: 'stop-failover', value: null });
    expect(restarted).toEqual(['n1']);
    expect(first.value).toMatchObject({ primary: 'n3', rebuilt: ['n1'] });
    expect(first.error).toMatch(/^n2: not rebuilt yet \(this stop spent 0 s on rebuilds; the next stop tries again\)$/);
    const second = await pkg.invoke(ctx, { f: 'stop-failover', value: null });
    expect(restarted).toEqual(['n1', 'n2']);
    expect(second).toMatchObject({ value: { primary: 'n3', rebuilt: ['n2'] } });
    expect(second.error).toBeUndefined();
  });
});
