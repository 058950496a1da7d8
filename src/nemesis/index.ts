import type { Capability } from '../runtime/types.js';
import { UsageError } from '../errors.js';
import { partitionPackage } from './partition.js';
import { bandwidthPackage, clockPackage, lossPackage } from './net-faults.js';
import { failoverPackage, killPackage, pausePackage } from './process-faults.js';
import { halfOpenPackage, latencyPackage, resetPackage } from './proxy-faults.js';
import { healOrder } from './schedule.js';
import type { FaultAction, FaultPackage, NemesisContext, NemesisResult } from './types.js';

export { faultSchedule, finalHeal, healOrder, seededRng, type FinalHeal, type ScheduledFault } from './schedule.js';
export type { FaultAction, FaultPackage, NemesisContext, NemesisResult } from './types.js';
export { startProxies, type StartedProxies } from './proxy/start.js';

/** Every fault package by its --nemesis name. */
export const faultPackages: Record<string, () => FaultPackage> = {
  partition: () => partitionPackage(),
  kill: () => killPackage(),
  pause: () => pausePackage(),
  failover: () => failoverPackage(true),
  'split-brain': () => failoverPackage(false),
  // faultline's own unsafe choice, on purpose and by name: what it loses is not the database's fault.
  'naive-failover': () => failoverPackage(true, 1000, 'naive'),
  clock: () => clockPackage(),
  loss: () => lossPackage(),
  bandwidth: () => bandwidthPackage(),
  latency: () => latencyPackage(),
  'half-open': () => halfOpenPackage(),
  reset: () => resetPackage(),
};

/**
 * Parses `--nemesis a,b` and refuses, before any node starts, a package the runtime cannot serve or the
 * database does not support, with a sentence saying why.
 */
export function resolvePackages(spec: string, runtime: { kind: string; capabilities: ReadonlySet<Capability> }, db: string): FaultPackage[] {
  const names = spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== 'none');
  const out: FaultPackage[] = [];
  for (const name of names) {
    const make = Object.hasOwn(faultPackages, name) ? faultPackages[name] : undefined;
    if (!make) throw new UsageError(`unknown nemesis '${name}'; nemeses: ${Object.keys(faultPackages).join(', ')}, none`);
    const pkg = make();
    const missing = pkg.needs.filter((c) => !runtime.capabilities.has(c));
    if (missing.length > 0) throw new UsageError(`nemesis '${name}' needs ${missing.join(', ')}, which the ${runtime.kind} runtime cannot do`);
    const refusal = pkg.refuses?.(db);
    if (refusal) throw new UsageError(`nemesis '${name}' is not supported for ${db}: ${refusal}`);
    if (out.some((p) => p.name === pkg.name)) continue;
    out.push(pkg);
  }
  const failovers = out.filter((p) => FAILOVER_PACKAGES.includes(p.name)).map((p) => `'${p.name}'`);
  if (failovers.length > 1) {
    throw new UsageError(
      `choose one of nemesis 'failover' (fenced, safe choice), 'naive-failover' (fenced, naive choice) and 'split-brain' (unfenced); ` +
        `got ${failovers.join(' and ')}`,
    );
  }
  return out;
}

/** The packages that promote a standby (they share start-failover / stop-failover). */
export const FAILOVER_PACKAGES: readonly string[] = ['failover', 'naive-failover', 'split-brain'];

/** The composed nemesis: routes each action to its package; heal() heals every package, each its own layer. */
export class Nemesis {
  private readonly byF = new Map<string, FaultPackage>();
  constructor(
    readonly packages: readonly FaultPackage[],
    private readonly ctx: NemesisContext,
  ) {
    for (const p of packages) for (const f of p.fs) this.byF.set(f, p);
  }

  async invoke(action: FaultAction): Promise<NemesisResult> {
    const pkg = this.byF.get(action.f);
    if (!pkg) return { type: 'fail', value: action.value, error: `no nemesis handles ${action.f}` };
    return pkg.invoke(this.ctx, action);
  }

  healPackage(p: FaultPackage): Promise<void> {
    return p.heal(this.ctx);
  }

  /** Heals every package, in healOrder. */
  async heal(): Promise<string[]> {
    const errors: string[] = [];
    for (const p of healOrder(this.packages)) {
      try {
        await p.heal(this.ctx);
      } catch (e) {
        errors.push(`${p.name}: ${(e as Error).message}`);
      }
    }
    return errors;
  }
}
