import type { Ability, Db } from '../adapters/types.js';
import type { Capability, Cluster } from '../runtime/types.js';
import type { ProxyLinks } from './proxy/fabric.js';

/** What a nemesis acts on: the runtime's nodes (network, clock) and the database (kill, pause, failover). */
export interface NemesisContext {
  cluster: Cluster;
  db: Db;
  /** The fault proxies in the client path, when the run started them (a package with `proxy`). */
  proxies?: ProxyLinks;
}

/** A nemesis completion: info when the fault was applied (Jepsen's convention), fail when it was not. */
export interface NemesisResult {
  type: 'info' | 'fail';
  value: unknown;
  error?: string;
}

/** One scheduled fault action: the nemesis op to invoke. */
export interface FaultAction {
  f: string;
  value: unknown;
}

/**
 * A fault package (Jepsen's shape): what it needs from the runtime, the fs it handles, how to apply
 * them, how to heal everything it did, and a pure schedule of start/stop actions.
 */
export interface FaultPackage {
  readonly name: string;
  readonly needs: readonly Capability[];
  /**
   * Acts on proxy links (ctx.proxies): the run starts the proxies only when a package says so, and
   * refuses a database whose adapter does not proxy its client link (AdapterDescription.proxiedLinks).
   */
  readonly proxy?: boolean;
  /** What it needs of the database (AdapterDescription.abilities): src/nemesis/abilities.ts refuses one lacking them. */
  readonly abilities?: readonly Ability[];
  readonly fs: readonly string[];
  /**
   * This package's final heal (Jepsen's final generator): the stop action the end of the run invokes,
   * after the schedule, as a nemesis op in the history. It ends this package's faults only.
   */
  readonly final: FaultAction;
  /** One start/stop cycle of this fault, chosen with the seeded rng: [start action, stop action]. */
  cycle(rng: () => number, nodes: string[]): [FaultAction, FaultAction];
  invoke(ctx: NemesisContext, action: FaultAction): Promise<NemesisResult>;
  /**
   * Undoes everything this package may have done, and nothing another package did (each fault owns its
   * layer). Used when a run is aborted. Idempotent; never throws for an already healthy node.
   */
  heal(ctx: NemesisContext): Promise<void>;
}

export function pick<T>(rng: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rng() * xs.length)]!;
}

export function nodeByName(ctx: NemesisContext, name: string) {
  if (name === 'primary') return ctx.db.primary();
  const n = ctx.cluster.nodes.find((x) => x.name === name);
  if (!n) throw new Error(`no node named ${name}`);
  return n;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
