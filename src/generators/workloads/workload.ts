import type { Generator } from '../types.js';

/** A workload's generators (Jepsen's partial test, without the checker): the main ops and final reads. */
export interface Workload {
  name: string;
  /** Client ops for the main phase; infinite: bound it with limit or timeLimit. */
  generator: Generator;
  /** Client ops to run after the faults are healed, when the workload has any. */
  final?: Generator;
}
