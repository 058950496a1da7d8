import { constants } from 'node:os';
import type { Cluster } from '../types.js';

/** Every local cluster that is up in this process; up() adds, down() removes. */
const live = new Set<Cluster>();

export function register(c: Cluster): void {
  live.add(c);
}
export function unregister(c: Cluster): void {
  live.delete(c);
}
export function liveClusters(): Cluster[] {
  return [...live];
}

/** Tears down every live cluster (each down() heals first), in parallel; resolves with the errors. */
export async function teardownAll(): Promise<string[]> {
  const results = await Promise.allSettled(liveClusters().map((c) => c.down()));
  return results.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error)?.message ?? r.reason)] : []));
}

export interface SignalTeardownOptions {
  /** Exit with 128 + signal number once teardown is over (default true). */
  exit?: boolean;
  /** Runs before the clusters go down, e.g. to stop workers and flush the history. Its errors are logged. */
  beforeTeardown?: (signal: NodeJS.Signals) => Promise<void> | void;
  log?: (line: string) => void;
}

let installed: (() => void) | undefined;

/**
 * On SIGINT or SIGTERM, heals and tears down every live cluster, then exits (128 + signal).
 * A second signal during teardown does NOT abort it: it prints that teardown is still running and lets it
 * finish (an interrupted teardown is what leaves namespaces and rules behind). A third signal exits at once,
 * leaving whatever remains to `faultline cleanup`. Returns a function that uninstalls the handlers;
 * installing twice returns the same one.
 */
export function installSignalTeardown(opts: SignalTeardownOptions = {}): () => void {
  if (installed) return installed;
  const log = opts.log ?? ((line: string) => process.stderr.write(`faultline: ${line}\n`));
  let count = 0;
  const handler = (signal: NodeJS.Signals): void => {
    count++;
    const code = 128 + (constants.signals[signal] ?? 0);
    if (count === 2) {
      log(
        `${signal} again: still healing faults and removing namespaces; this finishes by itself in a moment. ` +
          'A third signal quits at once and leaves the rest for `faultline cleanup`.',
      );
      return;
    }
    if (count >= 3) {
      log(`${signal} a third time: quitting now; run \`faultline cleanup\` to remove what is left.`);
      process.exit(code);
    }
    log(`${signal}: healing faults and tearing down ${live.size} cluster(s)...`);
    void (async () => {
      try {
        await opts.beforeTeardown?.(signal);
      } catch (e) {
        log(`before teardown: ${(e as Error).message}`);
      }
      for (const err of await teardownAll()) log(err);
      if (opts.exit ?? true) process.exit(code);
      count = 0;
    })();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  installed = () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
    installed = undefined;
  };
  return installed;
}
