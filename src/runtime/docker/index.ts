import type { Capability, Runtime } from '../types.js';
import { up, type DockerOptions } from './cluster.js';
import { docker, engineMessage, notFound, requireEngine, runOnce } from './engine.js';
import { imageRef } from './images.js';
import { ContainerRemote } from './remote.js';

/** Why the docker runtime cannot run here, or undefined: an engine must answer. */
export async function unavailable(): Promise<string | undefined> {
  try {
    await requireEngine(docker());
    return undefined;
  } catch (e) {
    return `${(e as Error).message}; install and start one (Debian: apt-get install docker.io, then dockerd; or scripts/setup.sh docker), or set DOCKER_HOST`;
  }
}

/** Why the image cannot be used: it is not built (no registry here), or undefined. */
async function imageMissing(image: string): Promise<string | undefined> {
  try {
    await docker().getImage(image).inspect();
    return undefined;
  } catch (e) {
    return notFound(e) ? `the image ${image} is not built: run \`faultline images build\`` : `docker: ${engineMessage(e)}`;
  }
}

/** Nodes are containers on a network of the run's own; services are execs in them. */
export function createDockerRuntime(opts: DockerOptions = {}): Runtime {
  return {
    kind: 'docker',
    capabilities: new Set<Capability>(['partition', 'kill', 'pause', 'clock', 'loss', 'bandwidth']),
    unavailable: async (image) => (await unavailable()) ?? (image ? await imageMissing(opts.image ?? imageRef(image)) : undefined),
    // Before any node exists, the adapter's checks run in throwaway containers of the image its nodes will use.
    probe: (image) => new ContainerRemote((argv, o) => runOnce(opts.image ?? imageRef(image ?? 'base'), argv, o), 'probe'),
    up: (spec) => up(spec, opts),
  };
}

export const dockerRuntime: Runtime = createDockerRuntime();
export type { DockerOptions, PortMode } from './cluster.js';
export { leftovers, portMode, removeLabelled, removeRun } from './cluster.js';
