import { fill } from '../context.js';
import { once } from '../once.js';
import { pending, type Generator, type GenContext, type GenStep } from '../types.js';
import type { Workload } from './workload.js';

/** Jepsen's set workload: `add e` with e = 0, 1, 2, ... (each once), and one final `read` of the whole set. */
export function setWorkload(): Workload {
  return { name: 'set', generator: addFrom(0), final: once({ f: 'read' }) };
}

function addFrom(n: number): Generator {
  return {
    op(ctx: GenContext): GenStep {
      const op = fill(ctx, { f: 'add', value: n });
      return op ? { op, gen: addFrom(n + 1) } : pending(this);
    },
    update() {
      return this;
    },
  };
}
