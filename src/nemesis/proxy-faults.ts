import type { LinkKind } from './proxy/fabric.js';
import type { ProxyFaults } from './proxy/faults.js';
import { errorText, nodeByName, pick, type FaultPackage } from './types.js';

/**
 * A fault on one node's proxy links (its clients' connections, its incoming replication stream, or
 * both: src/nemesis/proxy), drawn by `draw` from the seeded rng. Each package owns one layer of the link's faults, so packages overlap cleanly.
 */
function proxyPackage(name: string, draw: (rng: () => number) => ProxyFaults): FaultPackage {
  const layer = name;
  return {
    name,
    needs: [],
    proxy: true,
    fs: [`start-${name}`, `stop-${name}`],
    final: { f: `stop-${name}`, value: null },
    cycle(rng, nodes) {
      const node = rng() < 0.5 ? 'primary' : pick(rng, nodes);
      const link = pick<LinkKind>(rng, ['client', 'replication', 'both']);
      return [
        { f: `start-${name}`, value: { node, link, ...draw(rng) } },
        { f: `stop-${name}`, value: null },
      ];
    },
    async invoke(ctx, action) {
      const links = ctx.proxies;
      if (action.f === `stop-${name}`) {
        try {
          await links?.clear(layer);
        } catch (e) {
          return { type: 'info', value: 'may not be healed', error: errorText(e) };
        }
        return { type: 'info', value: 'healed' };
      }
      const { node, link, ...faults } = action.value as { node: string; link?: LinkKind } & ProxyFaults;
      if (!links) return { type: 'fail', value: action.value, error: 'this run has no proxy links' };
      try {
        // 'primary' is resolved now; the completion names the node the fault is on.
        const target = nodeByName(ctx, node).name;
        // `applied`: the links it is on (a primary has no replication link of its own).
        const applied = await links.set(target, layer, faults, link);
        return { type: 'info', value: { node: target, link: link ?? 'client', ...faults, applied } };
      } catch (e) {
        return { type: 'fail', value: action.value, error: errorText(e) };
      }
    },
    async heal(ctx) {
      await ctx.proxies?.clear(layer);
    },
  };
}

/** Latency with jitter on every chunk, both directions, of one node's client connections. */
export function latencyPackage(): FaultPackage {
  return proxyPackage('latency', (rng) => {
    const latencyMs = pick(rng, [50, 100, 200, 400]);
    return { latencyMs, jitterMs: pick(rng, [0, latencyMs / 10, latencyMs / 4]) };
  });
}

/** Connections stay open but carry nothing, both directions (a peer that vanished without a FIN). */
export function halfOpenPackage(): FaultPackage {
  return proxyPackage('half-open', () => ({ halfOpen: true }));
}

/** Every connection to one node is reset (RST) at once; half the time new ones are refused until the stop. */
export function resetPackage(): FaultPackage {
  return proxyPackage('reset', (rng) => ({ reset: true, refuse: rng() < 0.5 }));
}
