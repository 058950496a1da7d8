import { errorText, nodeByName, pick, type FaultPackage } from './types.js';

/** Packet loss on one node (iptables statistic; there is no netem on these machines), in its loss layer. */
export function lossPackage(probability = 0.3): FaultPackage {
  return {
    name: 'loss',
    needs: ['loss'],
    fs: ['start-loss', 'stop-loss'],
    final: { f: 'stop-loss', value: null },
    cycle(rng, nodes) {
      return [
        { f: 'start-loss', value: { node: pick(rng, nodes), probability } },
        { f: 'stop-loss', value: null },
      ];
    },
    async invoke(ctx, action) {
      if (action.f === 'stop-loss') {
        await Promise.all(ctx.cluster.nodes.map((n) => n.healLoss()));
        return { type: 'info', value: 'healed' };
      }
      const v = action.value as { node: string; probability: number };
      try {
        await nodeByName(ctx, v.node).loss(v.probability);
        return { type: 'info', value: v };
      } catch (e) {
        return { type: 'fail', value: v, error: errorText(e) };
      }
    },
    async heal(ctx) {
      await Promise.all(ctx.cluster.nodes.map((n) => n.healLoss()));
    },
  };
}

/** A bandwidth cap on one node's outgoing traffic (tbf, which the bandwidth layer owns alone). */
export function bandwidthPackage(kbit = 256): FaultPackage {
  return {
    name: 'bandwidth',
    needs: ['bandwidth'],
    fs: ['start-bandwidth', 'stop-bandwidth'],
    final: { f: 'stop-bandwidth', value: null },
    cycle(rng, nodes) {
      return [
        { f: 'start-bandwidth', value: { node: pick(rng, nodes), kbit } },
        { f: 'stop-bandwidth', value: null },
      ];
    },
    async invoke(ctx, action) {
      if (action.f === 'stop-bandwidth') {
        await Promise.all(ctx.cluster.nodes.map((n) => n.healBandwidth()));
        return { type: 'info', value: 'healed' };
      }
      const v = action.value as { node: string; kbit: number };
      try {
        await nodeByName(ctx, v.node).bandwidth(v.kbit);
        return { type: 'info', value: v };
      } catch (e) {
        return { type: 'fail', value: v, error: errorText(e) };
      }
    },
    async heal(ctx) {
      await Promise.all(ctx.cluster.nodes.map((n) => n.healBandwidth()));
    },
  };
}

/**
 * Clock skew through libfaketime (never the machine's clock): `bump` shifts one node by a fixed offset;
 * `strobe` flips it between the offset and 0 every second for 5 s, then leaves the offset. stop-clock resets every node.
 */
export function clockPackage(): FaultPackage {
  return {
    name: 'clock',
    needs: ['clock'],
    abilities: ['clock'],
    fs: ['start-clock', 'stop-clock'],
    final: { f: 'stop-clock', value: null },
    cycle(rng, nodes) {
      const seconds = pick(rng, [-60, -5, 5, 60, 300]);
      const mode = rng() < 0.7 ? 'bump' : 'strobe';
      return [
        { f: 'start-clock', value: { node: pick(rng, nodes), mode, seconds } },
        { f: 'stop-clock', value: null },
      ];
    },
    async invoke(ctx, action) {
      if (action.f === 'stop-clock') {
        await Promise.all(ctx.cluster.nodes.map((n) => n.setClockOffset(0)));
        return { type: 'info', value: 'reset' };
      }
      const v = action.value as { node: string; mode: 'bump' | 'strobe'; seconds: number };
      const node = nodeByName(ctx, v.node);
      try {
        if (v.mode === 'bump') await node.setClockOffset(v.seconds);
        else {
          // Strobe for 5 s, flipping each second: libfaketime re-reads its offset file once per
          // wall-clock second (FAKETIME_CACHE_DURATION=0), so faster flips would not be seen.
          for (let t = 0; t < 5000; t += 1000) {
            await node.setClockOffset((t / 1000) % 2 === 0 ? v.seconds : 0);
            await new Promise((r) => setTimeout(r, 1000));
          }
          await node.setClockOffset(v.seconds);
        }
        return { type: 'info', value: v };
      } catch (e) {
        return { type: 'fail', value: v, error: errorText(e) };
      }
    },
    async heal(ctx) {
      await Promise.all(ctx.cluster.nodes.map((n) => n.setClockOffset(0)));
    },
  };
}
