// Elle-style transactional checkers. Placeholder entry points (filled in by the cycle-search half).
import type { Op } from '../../history/op.js';
import type { CheckOptions, Verdict } from '../types.js';

/** Jepsen's list-append: `[[:append k v] [:r k [..]]]` transactions. */
export function checkListAppend(_history: readonly Op[], _opts: CheckOptions): Verdict {
  throw new Error('list-append: not implemented yet');
}

/** Jepsen's rw-register: `[[:w k v] [:r k v]]` transactions. */
export function checkRwRegister(_history: readonly Op[], _opts: CheckOptions): Verdict {
  throw new Error('rw-register: not implemented yet');
}
