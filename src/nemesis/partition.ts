import { SHAPES, bridge, describeGrudge, fromGroups, isolate, ring, shuffle, type Grudge, type Shape } from './grudge.js';
import { errorText, pick, type FaultPackage, type NemesisContext } from './types.js';

/** The partition value in the history: the shape, and for random shapes the choice the seed made. */
export interface PartitionSpec {
  shape: Shape;
  node?: string;
  order?: string[];
}

function grudgeFor(ctx: NemesisContext, spec: PartitionSpec): Grudge {
  const names = ctx.cluster.nodes.map((n) => n.name);
  switch (spec.shape) {
    case 'one':
      return isolate(names, spec.node ?? names[0]!);
    case 'primary':
      return isolate(names, ctx.db.primary().name);
    case 'halves': {
      const order = spec.order ?? names;
      const cut = Math.floor(order.length / 2);
      return fromGroups(names, [order.slice(0, cut), order.slice(cut)]);
    }
    case 'ring':
      return ring(names);
    case 'bridge':
      return bridge(names, spec.order ?? names);
  }
}

/**
 * Network partitions between nodes, cut with iptables in each node's partition chain (its own layer: a
 * stop ends this package's cut only, never a loss or a failover's isolation). Clients still reach every node.
 */
export function partitionPackage(shapes: readonly Shape[] = SHAPES): FaultPackage {
  return {
    name: 'partition',
    needs: ['partition'],
    fs: ['start-partition', 'stop-partition'],
    final: { f: 'stop-partition', value: null },
    cycle(rng, nodes) {
      const shape = pick(rng, shapes);
      const spec: PartitionSpec = { shape };
      if (shape === 'one') spec.node = pick(rng, nodes);
      if (shape === 'halves' || shape === 'bridge') spec.order = shuffle(rng, nodes);
      return [
        { f: 'start-partition', value: spec },
        { f: 'stop-partition', value: null },
      ];
    },
    async invoke(ctx, action) {
      if (action.f === 'stop-partition') {
        await Promise.all(ctx.cluster.nodes.map((n) => n.healPartition()));
        return { type: 'info', value: 'healed' };
      }
      const spec = action.value as PartitionSpec;
      if (!SHAPES.includes(spec?.shape)) return { type: 'fail', value: spec, error: `unknown partition shape ${JSON.stringify(spec?.shape)}` };
      try {
        const g = grudgeFor(ctx, spec);
        const ip = new Map(ctx.cluster.nodes.map((n) => [n.name, n.ip]));
        await Promise.all(
          ctx.cluster.nodes.map((n) => {
            const peers = [...(g.get(n.name) ?? [])].map((p) => ip.get(p)!);
            return peers.length > 0 ? n.partition(peers) : Promise.resolve();
          }),
        );
        return { type: 'info', value: { ...spec, cut: describeGrudge(g) } };
      } catch (e) {
        return { type: 'info', value: spec, error: `partition may be partly applied: ${errorText(e)}` };
      }
    },
    async heal(ctx) {
      await Promise.all(ctx.cluster.nodes.map((n) => n.healPartition()));
    },
  };
}
