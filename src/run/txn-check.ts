import type { DocumentedModel } from '../adapters/types.js';
import { validateTxnOptions } from '../checkers/txn/models.js';
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
  const problems = validateTxnOptions({ consistency: [...extra] });
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  for (const m of extra) why[m] ??= 'asked for with --consistency-models';
  return { isolation, consistency: Object.keys(why), why };
}
