import { UsageError } from '../errors.js';
import { dockerRuntime } from './docker/index.js';
import { localRuntime } from './local/index.js';
import type { Runtime } from './types.js';

/** Every runtime by its --runtime name: where nodes live. A new runtime is one folder and one entry here. */
export const runtimes: Readonly<Record<string, Runtime>> = { local: localRuntime, docker: dockerRuntime };

/** The --runtime names, for the flag's choices and for errors. */
export const runtimeNames: readonly string[] = Object.keys(runtimes);

/** The runtime named `name`; a name no runtime has is a usage error that lists the ones there are. */
export function runtimeByName(name: string): Runtime {
  const r = Object.hasOwn(runtimes, name) ? runtimes[name] : undefined;
  if (!r) throw new UsageError(`unknown runtime '${name}'; runtimes: ${runtimeNames.join(', ')}`);
  return r;
}
