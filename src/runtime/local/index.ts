import type { Capability, Runtime } from '../types.js';
import { up, type LocalOptions } from './cluster.js';
import { HostRemote } from './remote.js';
import { unavailable } from './unavailable.js';

const host = new HostRemote();

/** Nodes are network namespaces on a bridge of the run's own; services are our foreground children. */
export function createLocalRuntime(opts: LocalOptions = {}): Runtime {
  return {
    kind: 'local',
    capabilities: new Set<Capability>(['partition', 'kill', 'pause', 'clock', 'loss', 'bandwidth']),
    unavailable: () => unavailable(),
    probe: () => host,
    up: (spec) => up(spec, opts),
  };
}

export const localRuntime: Runtime = createLocalRuntime();

export type { LocalOptions } from './cluster.js';
export { cleanup, type CleanupOptions } from './cleanup.js';
export { installSignalTeardown, liveClusters, teardownAll, type SignalTeardownOptions } from './signals.js';
export { shortId } from './names.js';
