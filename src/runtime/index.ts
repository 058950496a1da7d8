import { UsageError } from '../errors.js';
import { dockerRuntime } from './docker/index.js';
import { localRuntime } from './local/index.js';
import type { Runtime } from './types.js';

/** Every runtime by its --runtime name: where nodes live. A new runtime is one folder and one entry here. */
export const runtimes: Readonly<Record<string, Runtime>> = { local: localRuntime, docker: dockerRuntime };

/** The --runtime names, for the flag's choices and for errors. */
export const runtimeNames: readonly string[] = Object.keys(runtimes);

/** --runtime auto (the default): the first runtime of this order that can run here. */
export const AUTO = 'auto';

/** The runtime named `name`; a name no runtime has is a usage error that lists the ones there are. */
export function runtimeByName(name: string): Runtime {
  const r = Object.hasOwn(runtimes, name) ? runtimes[name] : undefined;
  if (!r) throw new UsageError(`unknown runtime '${name}'; runtimes: ${[...runtimeNames, AUTO].join(', ')}`);
  return r;
}

/**
 * `--runtime auto`: local when it can run here (root on Linux, with its tools: the fast path), else docker
 * when an engine answers, else one usage error saying, per runtime, what is missing. `image` is the
 * database the nodes will run (the docker runtime needs its image built); `order` is the registry's (tests give their own).
 */
export async function chooseRuntime(name: string, image?: string, order: readonly Runtime[] = runtimeNames.map((n) => runtimes[n]!)): Promise<Runtime> {
  if (name !== AUTO) return runtimeByName(name);
  const why: string[] = [];
  for (const r of order) {
    const no = await r.unavailable(image);
    if (!no) return r;
    why.push(`${r.kind}: ${no}`);
  }
  throw new UsageError(`no runtime can run here.\n  ${why.join('\n  ')}\nInstall what one of them needs, or see \`faultline doctor\`.`);
}
