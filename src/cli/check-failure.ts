import { LintFailure } from '../check.js';
import { UsageError } from '../errors.js';
import { HistoryError } from '../history/errors.js';

/** A file that could not be checked: `kind` says why (exit code in check.ts's combinedExit). */
export interface FileFailure {
  file: string;
  error: { kind: 'unreadable' | 'malformed' | 'lint' | 'model' | 'internal'; messages: string[] };
}

export function fileFailure(file: string, e: unknown): FileFailure {
  if (e instanceof LintFailure) return { file, error: { kind: 'lint', messages: e.problems.map(String) } };
  if (e instanceof HistoryError) return { file, error: { kind: e.code === 'unreadable' ? 'unreadable' : 'malformed', messages: [String(e)] } };
  // The request was checked up front, so a usage error here is this file not fitting the model.
  if (e instanceof UsageError) return { file, error: { kind: 'model', messages: [`${file}: ${e.message}`] } };
  return { file, error: { kind: 'internal', messages: [`${file}: internal error: ${(e as Error)?.stack ?? String(e)}`] } };
}
