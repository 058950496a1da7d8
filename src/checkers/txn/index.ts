// Elle-style transactional checkers: inference (list-append.ts, rw-register.ts) builds the
// dependency graph; check.ts searches it for cycles and decides the verdict.
import type { Op } from '../../history/op.js';
import type { CheckOptions, Verdict } from '../types.js';
import { checkInference } from './check.js';
import { inferListAppend } from './list-append.js';
import { inferRwRegister } from './rw-register.js';
import type { Infer, InferOptions } from './types.js';

export { checkInference } from './check.js';
export { KNOWN_ANOMALIES, KNOWN_MODELS, anomaliesProhibitedBy, modelsRuledOutBy, validateTxnOptions } from './models.js';

function run(infer: Infer, history: readonly Op[], opts: CheckOptions): Verdict {
  const startedAt = Date.now();
  const t = opts.txn ?? {};
  const io: InferOptions = {};
  if (t.linearizableKeys !== undefined) io.linearizableKeys = t.linearizableKeys;
  if (t.sequentialKeys !== undefined) io.sequentialKeys = t.sequentialKeys;
  if (t.wfrKeys !== undefined) io.wfrKeys = t.wfrKeys;
  return checkInference(infer(history, io), opts, startedAt);
}

/** Jepsen's list-append: `[[:append k v] [:r k [..]]]` transactions. */
export function checkListAppend(history: readonly Op[], opts: CheckOptions): Verdict {
  return run(inferListAppend, history, opts);
}

/** Jepsen's rw-register: `[[:w k v] [:r k v]]` transactions. */
export function checkRwRegister(history: readonly Op[], opts: CheckOptions): Verdict {
  return run(inferRwRegister, history, opts);
}
