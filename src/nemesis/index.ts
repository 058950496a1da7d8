import type { Capability } from '../runtime/types.js';
import { UsageError } from '../errors.js';
import { refusal, type DescribedDb } from './abilities.js';
import { partitionPackage } from './partition.js';
import { bandwidthPackage, clockPackage, lossPackage } from './net-faults.js';
import { failoverPackage, killPackage, pausePackage } from './process-faults.js';
import { halfOpenPackage, latencyPackage, resetPackage } from './proxy-faults.js';
import type { FaultAction, FaultPackage, NemesisContext, NemesisResult } from './types.js';

export { faultSchedule, finalHeal, healOrder, seededRng, type FinalHeal, type ScheduledFault } from './schedule.js';
export type { FaultAction, FaultPackage, NemesisContext, NemesisResult } from './types.js';
export { refusal, type DescribedDb } from './abilities.js';
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
 * database lacks an ability for (its adapter's description), with a sentence saying why.
 */
export function resolvePackages(spec: string, runtime: { kind: string; capabilities: ReadonlySet<Capability> }, db: DescribedDb): FaultPackage[] {
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
    const why = refusal(pkg, db);
    if (why) throw new UsageError(`nemesis '${name}' is not supported for ${db.name}: ${why}`);
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

/**
 * The composed nemesis: routes each action to its package. One call at a time: an op the interpreter
 * timed out keeps running (a rebuild, a restart), and the next op (a heal included) waits for it to
 * settle rather than race it on the same nodes: a rebuild started while another still streamed into
 * the same data dir failed, and its slot stayed busy.
 */
export class Nemesis {
  private readonly byF = new Map<string, FaultPackage>();
  /** The last call, settled or not; never rejects. */
  private last: Promise<unknown> = Promise.resolve();
  constructor(
    readonly packages: readonly FaultPackage[],
    private readonly ctx: NemesisContext,
  ) {
    for (const p of packages) for (const f of p.fs) this.byF.set(f, p);
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.last.then(work);
    this.last = run.catch(() => undefined);
    return run;
  }

  invoke(action: FaultAction): Promise<NemesisResult> {
    const pkg = this.byF.get(action.f);
    if (!pkg) return Promise.resolve({ type: 'fail', value: action.value, error: `no nemesis handles ${action.f}` });
    return this.serial(() => pkg.invoke(this.ctx, action));
  }

  /** Heals one package (each its own layer; the run heals them in healOrder). */
  healPackage(p: FaultPackage): Promise<void> {
    return this.serial(() => p.heal(this.ctx));
  }
}
