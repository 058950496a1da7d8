import type { Ability, Adapter } from '../adapters/types.js';
import type { FaultPackage } from './types.js';

/** The database as the fault packages see it: its name (for sentences) and what it says it can do. */
export type DescribedDb = Pick<Adapter, 'name' | 'description'>;

/** A refusal's reason when the adapter gives none of its own (AdapterDescription.lacks). */
const GENERIC_LACK: Readonly<Record<Ability, (db: string) => string>> = {
  failover: (db) => `the ${db} adapter has no primary to fail over`,
  clock: (db) => `the ${db} adapter's processes cannot take clock skew`,
};

/**
 * Why `pkg` cannot run against `db`, or undefined: an ability it needs (FaultPackage.abilities) that the
 * adapter lacks, in the adapter's own words when it gave some, or a proxy package for an adapter whose
 * clients do not go through faultline's proxy. Pure: asks the description, never the database's name.
 */
export function refusal(pkg: FaultPackage, db: DescribedDb): string | undefined {
  const { description } = db;
  for (const a of pkg.abilities ?? []) {
    if (!description.abilities.includes(a)) return description.lacks?.[a] ?? GENERIC_LACK[a](db.name);
  }
  if (pkg.proxy && !description.proxiedLinks.includes('client')) {
    return `the ${db.name} adapter does not route its clients through faultline's proxy yet (DbOptions.clientAddress)`;
  }
  return undefined;
}
