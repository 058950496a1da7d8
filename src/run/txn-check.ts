import type { DocumentedModel } from '../adapters/types.js';
import { UsageError } from '../errors.js';

/**
 * What a transactional run is checked against, stored in run.json (`txnCheck`) so `analyze` checks the same
 * way: the isolation level the txns ran at, the consistency models (Elle's names) and why each one.
 */
export interface TxnCheckPlan {
  isolation: string;
  consistency: string[];
  /** model -> why it is checked: the database's documentation for the level, or the user asked. */
  why: Record<string, string>;
}

/**
 * Elle's consistency model names (elle.consistency-model: the models graph and its canonical names), what
 * --consistency-models accepts. The txn checkers hold the models' meaning; this list only refuses a typo
 * before a cluster starts.
 */
export const TXN_MODELS: readonly string[] = [
  'read-uncommitted',
  'read-committed',
  'cursor-stability',
  'monotonic-view',
  'monotonic-snapshot-read',
  'monotonic-atomic-view',
  'consistent-view',
  'forward-consistent-view',
  'update-serializable',
  'repeatable-read',
  'read-atomic',
  'causal-cerone',
  'prefix',
  'parallel-snapshot-isolation',
  'snapshot-isolation',
  'serializable',
  'conflict-serializable',
  'view-serializable',
  'strong-session-read-uncommitted',
  'strong-session-read-committed',
  'strong-read-uncommitted',
  'strong-read-committed',
  'strong-session-snapshot-isolation',
  'strong-snapshot-isolation',
  'strong-session-serializable',
  'strong-serializable',
  'strict-serializable',
];

/**
 * The plan for a run of `db` at `isolation`: the model the database documents for that level first, then the
 * models asked for with --consistency-models. Refuses a level the database does not run txns at and an
 * unknown model name.
 */
export function txnCheckPlan(
  db: string,
  documented: Readonly<Record<string, DocumentedModel>> | undefined,
  isolation: string,
  extra: readonly string[] = [],
): TxnCheckPlan {
  if (!documented) throw new UsageError(`${db} runs no transactional workloads`);
  const doc = documented[isolation];
  if (!doc) throw new UsageError(`${db} runs transactions at ${Object.keys(documented).join(', ')}; not at ${isolation}`);
  const why: Record<string, string> = { [doc.model]: `${db} at ${isolation}: ${doc.why}` };
  for (const m of extra) {
    if (!TXN_MODELS.includes(m)) throw new UsageError(`unknown consistency model '${m}'; models: ${TXN_MODELS.join(', ')}`);
    why[m] ??= 'asked for with --consistency-models';
  }
  return { isolation, consistency: Object.keys(why), why };
}
