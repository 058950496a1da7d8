import type { Generator } from './types.js';
import { phases } from './phases.js';
import { clients, nemesis } from './route.js';
import { sleep } from './sleep.js';

export interface FinalOptions {
  /** Nemesis ops that heal every fault (a fault package's final generator). */
  heal?: Generator;
  /** Quiet time after healing, so the cluster can recover before the final reads. */
  quietNs?: number;
  /** Client ops that read the final state (e.g. the set workload's read). */
  reads?: Generator;
}

/**
 * The whole run: main (usually clients + nemesis under a time limit), then, once every op of it
 * has completed, the heal on the nemesis, the quiet time, and the final reads on the clients.
 */
export function finalGen(main: Generator, opts: FinalOptions = {}): Generator {
  const gens: Generator[] = [main];
  if (opts.heal) gens.push(nemesis(opts.heal));
  if (opts.quietNs) gens.push(sleep(opts.quietNs));
  if (opts.reads) gens.push(clients(opts.reads));
  return gens.length === 1 ? main : phases(...gens);
}
