import type { FaultAction, FaultPackage } from './types.js';

export interface ScheduledFault extends FaultAction {
  /** When to invoke it, ns since the start of the run. */
  at: number;
  package: string;
}

export interface ScheduleOptions {
  packages: readonly FaultPackage[];
  nodes: string[];
  seed: number;
  /** Mean time a fault stays on, and mean quiet time between faults of one package, in ns. */
  intervalNs: number;
  /** Faults start only before this time (the workload's time limit), in ns. */
  durationNs: number;
}

/** A package's final heal: its stop action, tagged with the package, in heal order. */
export interface FinalHeal extends FaultAction {
  package: string;
}

/**
 * Resume first (a paused primary blocks every restart and rebuild), then the network and the clock, then
 * restarts and rebuilds, which need the network: a fenced node rebuilt by the final stop-kill while the
 * partition still cut it from the primary timed out, and the failed heal left the run unknown (soak,
 * Postgres sync seed 303). A node's network faults live in its namespace, so healing them needs no process.
 */
export function healOrder(packages: readonly FaultPackage[]): FaultPackage[] {
  const order = ['pause', 'partition', 'loss', 'bandwidth', 'latency', 'half-open', 'reset', 'clock', 'kill', 'failover', 'naive-failover', 'split-brain'];
  const rank = (p: FaultPackage) => {
    const i = order.indexOf(p.name);
    return i < 0 ? order.length : i;
  };
  return [...packages].sort((a, b) => rank(a) - rank(b));
}

/**
 * What the end of the run invokes after the schedule: each package's own final heal, one nemesis op per
 * package (so the history closes each package's window with its own stop), in heal order. No stop
 * heals another package's layer, so the order is only about what a stop needs (see healOrder).
 */
export function finalHeal(packages: readonly FaultPackage[]): FinalHeal[] {
  return healOrder(packages).map((p) => ({ f: p.final.f, value: p.final.value, package: p.name }));
}

/** A small seeded PRNG (mulberry32): the schedule is a pure function of the seed. */
export function seededRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The fault schedule of a run: each package cycles start, stop on its own timeline (so faults of
 * different packages overlap, as in Jepsen's composed nemeses), with durations drawn around the
 * interval (0.5x to 1.5x). Every start before the end is followed by its stop before the end, so the
 * history shows every window closed. Pure: the same options give the same schedule.
 */
export function faultSchedule(o: ScheduleOptions): ScheduledFault[] {
  const out: ScheduledFault[] = [];
  for (const [i, pkg] of o.packages.entries()) {
    const rng = seededRng((o.seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
    const jitter = () => o.intervalNs * (0.5 + rng());
    // Quiet first, so the workload has a baseline before the first fault.
    let t = jitter();
    while (true) {
      const on = jitter();
      if (t + on >= o.durationNs) break;
      const [start, stop] = pkg.cycle(rng, o.nodes);
      out.push({ ...start, at: Math.round(t), package: pkg.name });
      out.push({ ...stop, at: Math.round(t + on), package: pkg.name });
      t += on + jitter();
    }
  }
  return out.sort((a, b) => a.at - b.at);
}
