import { topologiesOf } from '../adapters/topology.js';
import type { Adapter, Topology } from '../adapters/types.js';
import type { RunSpec } from './run.js';

/** A RunSpec with every default filled in from the adapter: what the run uses and run.json stores. */
export type ResolvedSpec = RunSpec & { db: string; replication: string; topology: Topology };

/**
 * Fills in what the user left to the database (its description's defaultReplication). The spread keeps
 * the key order of the spec given, so run.json reads as before.
 */
export function withDefaults(given: RunSpec, adapter: Pick<Adapter, 'name' | 'description'>): ResolvedSpec {
  return {
    ...given,
    db: given.db ?? adapter.name,
    replication: given.replication ?? adapter.description.defaultReplication,
    topology: given.topology ?? topologiesOf(adapter.description)[0]!,
  };
}
