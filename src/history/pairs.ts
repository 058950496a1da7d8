import type { Op, Process } from './op.js';

/** A client operation: its invocation and completion, paired per process. */
export interface OpPair {
  /** 'info' also for an invocation that never completed. */
  type: 'ok' | 'fail' | 'info';
  process: Process;
  f: string;
  /** The completed value: from the ok completion, else from the invocation (Jepsen's rule). */
  value: unknown;
  invoke: Op;
  complete?: Op;
  /** Session: the explicit `session` field, else the process. */
  session: string | number;
  node?: string;
}

/**
 * Pairs invocations with completions by process, in invocation order. Nemesis ops are skipped.
 * Expects a linted history (lint reports orphans and double invocations); on an unlinted one an
 * orphan completion is ignored.
 */
export function pairOps(ops: readonly Op[]): OpPair[] {
  const out: OpPair[] = [];
  const open = new Map<Process, OpPair>();
  for (const op of ops) {
    if (op.process === 'nemesis') continue;
    if (op.type === 'invoke') {
      // Every field in the literal (complete too, set below): one hidden class, all fields in the object.
      const p: OpPair = {
        type: 'info',
        process: op.process,
        f: op.f,
        value: op.value,
        invoke: op,
        complete: undefined,
        session: op.session ?? op.process,
        node: op.node,
      };
      open.set(op.process, p);
      out.push(p);
    } else {
      const p = open.get(op.process);
      if (!p) continue;
      open.delete(op.process);
      p.complete = op;
      p.type = op.type === 'ok' ? 'ok' : op.type === 'fail' ? 'fail' : 'info';
      if (op.type === 'ok') p.value = op.value;
      if (op.node !== undefined) p.node = op.node;
      if (op.session !== undefined) p.session = op.session;
    }
  }
  return out;
}

/** Completion time of a pair, or +Infinity when it never completed (or completed info). */
export function endTime(p: OpPair): number {
  return p.type === 'info' ? Infinity : p.complete!.time;
}
