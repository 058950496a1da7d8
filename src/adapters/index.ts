import { UsageError } from '../errors.js';
import type { Adapter, AdapterDescription } from './types.js';

/**
 * The node ports faultline's own process connects to (ClusterSpec.ports): the client port and the
 * adapter's other host ports (admin ports such as Redis Sentinel's).
 */
export function hostPortsOf(d: AdapterDescription): number[] {
  return [...new Set([d.clientPort, ...(d.hostPorts ?? [])])];
}

/**
 * Every database adapter by its --db name, and the export its folder's index.js names it by. Loaded
 * lazily, so `check` and `report` never import a database driver. A new database is one folder under
 * src/adapters and one line here.
 */
const ADAPTERS: Readonly<Record<string, string>> = {
  postgres: 'postgresAdapter',
  mysql: 'mysqlAdapter',
  redis: 'redisAdapter',
  cassandra: 'cassandraAdapter',
};

/** The --db names, for the flag's choices and for errors. */
export const adapterNames: readonly string[] = Object.keys(ADAPTERS);

/** The adapter named `name`; a name no adapter has is a usage error that lists the ones there are. */
export async function adapterByName(name: string): Promise<Adapter> {
  const exported = Object.hasOwn(ADAPTERS, name) ? ADAPTERS[name] : undefined;
  if (!exported) throw new UsageError(`unknown database '${name}'; databases: ${adapterNames.join(', ')}`);
  let mod: Record<string, Adapter | undefined>;
  try {
    // A URL, not a template string: vite (vitest) rewrites `import(\`./${name}\`)` into a glob it cannot resolve.
    mod = (await import(new URL(`./${name}/index.js`, import.meta.url).href)) as Record<string, Adapter | undefined>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    mod = {};
  }
  const a = mod[exported];
  if (!a) throw new UsageError(`the ${name} adapter is not available in this build`);
  return a;
}
