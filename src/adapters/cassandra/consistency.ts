/** Cassandra consistency levels a run can ask for, as CQL names. */
export type Level = 'one' | 'quorum' | 'all';

/**
 * How reads and writes are done. `serial` is the lightweight-transaction mode: reads at SERIAL (a Paxos
 * read) and every write as a lightweight transaction, so the register is linearizable by construction.
 */
export interface Consistency {
  read: Level | 'serial';
  write: Level | 'serial';
}

const LEVELS: readonly Level[] = ['one', 'quorum', 'all'];

/**
 * `--replication` for cassandra names the consistency: 'quorum' (reads and writes), or 'READ/WRITE'
 * such as 'one/quorum', or 'serial'. Replication itself is fixed: RF = number of nodes.
 */
export const CONSISTENCY_MODES: readonly string[] = [...LEVELS, 'serial', ...LEVELS.flatMap((r) => LEVELS.filter((w) => w !== r).map((w) => `${r}/${w}`))];

export function parseConsistency(mode: string): Consistency {
  if (!CONSISTENCY_MODES.includes(mode)) throw new Error(`cassandra: consistency must be one of ${CONSISTENCY_MODES.join(', ')}, got '${mode}'`);
  if (mode === 'serial') return { read: 'serial', write: 'serial' };
  const [r, w = r] = mode.split('/') as [Level, Level?];
  return { read: r, write: w };
}
