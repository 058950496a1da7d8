import type { Db } from '../adapters/types.js';
import { clients, eachThread, nemesis as onNemesis, once, phases } from '../generators/index.js';
import { canonText } from '../checkers/replication/node-reads.js';
import type { Op } from '../history/op.js';
import { interpret, type InterpretOptions } from './interpreter.js';

/** What the per-node final reads saw, for run.json. */
export interface NodeReadsOutcome {
  rounds: number;
  /** Keys whose nodes all read the same, ok, in the last round that read them. */
  agreed: number;
  /** Keys some node could not read, or read differently from another, when the reads stopped. */
  disagreeing: (number | string)[];
  /** ms from the first round's start until every node agreed on every key; null when they never did. */
  agreedAfterMs: number | null;
  /** The adapter's repair (anti-entropy), when the nodes still disagreed at the end of the wait. */
  repair?: { ok: boolean; ms: number; error?: string };
  aborted: boolean;
}

export interface NodeReadsOptions {
  db: Db;
  nodes: readonly string[];
  keys: ReadonlySet<number | string>;
  /**
   * Until when (wall-clock ms) reads are repeated while some node disagrees: the final heal (or the end of
   * the workload, without faults) plus --converge-within, the same start the convergence checker measures
   * from. At least one round is always read.
   */
  untilMs: number;
  /** --converge-within, for what it prints. */
  withinS: number;
  /** What untilMs counts from, for what it prints: 'the final heal' or 'the end of the workload'. */
  since: string;
  /** The interpreter's settings for client ops (writer, start time, op timeout, onOp, signal). */
  common: Omit<InterpretOptions, 'generator' | 'clients' | 'concurrency' | 'nemesis'>;
  /** Anti-entropy can take minutes: its own bound. Default 5 minutes. */
  repairTimeoutMs?: number;
  log: (line: string) => void;
}

const ROUND_GAP_MS = 1000;

/**
 * The per-node final reads of a multi-leader or leaderless cluster (issue 16): every key read from every node
 * (a client pinned to the node: ClientOptions.node), in rounds, until all nodes read the same of every key or
 * `withinMs` has passed; a later round reads only the keys still in doubt. When they still disagree and the
 * database has anti-entropy (Db.repair), it runs once, recorded in the history as a nemesis op `repair`, and
 * every key is read from every node once more. The checkers judge from the history alone (convergence,
 * conflicts); what this saw goes to run.json as well.
 */
export async function perNodeFinalReads(o: NodeReadsOptions): Promise<NodeReadsOutcome> {
  const started = Date.now();
  const until = o.untilMs;
  let pending = new Set(o.keys);
  const out: NodeReadsOutcome = { rounds: 0, agreed: 0, disagreeing: [], agreedAfterMs: null, aborted: false };
  let repaired = false;
  for (;;) {
    const seen = new Map<number | string, Map<string, string>>();
    const r = await interpret({
      ...o.common,
      concurrency: o.nodes.length,
      generator: clients(eachThread(phases(...[...pending].map((k) => once({ f: 'read', value: [k, null] }))))),
      clients: (thread: number) => o.db.client(thread, { node: o.nodes[thread % o.nodes.length]! }),
      onOp: (op: Op) => {
        o.common.onOp?.(op);
        if (op.type !== 'ok' || op.f !== 'read' || !Array.isArray(op.value) || op.node === undefined) return;
        const k = op.value[0] as number | string;
        let m = seen.get(k);
        if (!m) seen.set(k, (m = new Map()));
        // The convergence checker's notion of two reads agreeing, so the run stops reading when it would.
        m.set(op.node, canonText(op.value[1]));
      },
    });
    out.rounds++;
    if (r.aborted) {
      out.aborted = true;
      break;
    }
    const doubt = [...pending].filter((k) => {
      const m = seen.get(k);
      return !m || m.size < o.nodes.length || new Set(m.values()).size > 1;
    });
    out.disagreeing = doubt;
    if (doubt.length === 0) {
      out.agreedAfterMs = Date.now() - started;
      break;
    }
    if (Date.now() >= until) {
      if (repaired || !o.db.repair) break;
      repaired = true;
      out.repair = await repair(o);
      if (o.common.signal?.aborted) {
        out.aborted = true;
        break;
      }
      o.log(`the nodes still disagreed on ${doubt.length} keys ${o.withinS} s after ${o.since}; after the repair, every key from every node once more...`);
      pending = new Set(o.keys);
      continue;
    }
    if (out.rounds === 1)
      o.log(`the nodes disagree on ${doubt.length} keys; reading them again until they agree (until ${o.withinS} s after ${o.since}, --converge-within)...`);
    pending = new Set(doubt);
    await new Promise((res) => setTimeout(res, Math.min(ROUND_GAP_MS, Math.max(0, until - Date.now()))));
  }
  out.agreed = o.keys.size - out.disagreeing.length;
  return out;
}

/** The adapter's repair, as one nemesis op in the history (an error is recorded on its completion). */
async function repair(o: NodeReadsOptions): Promise<NonNullable<NodeReadsOutcome['repair']>> {
  const t0 = Date.now();
  let error: string | undefined = 'the repair did not complete';
  o.log('running the database repair (anti-entropy)...');
  await interpret({
    ...o.common,
    concurrency: 1,
    clients: () => Promise.reject(new Error('no client ops in a repair')),
    generator: onNemesis(once({ f: 'repair', value: null })),
    nemesisTimeoutMs: o.repairTimeoutMs ?? 300_000,
    // A throw, or the interpreter's timeout, is recorded as info with an error: read it off the completion.
    nemesis: { invoke: async () => ({ type: 'info', value: await o.db.repair!() }) },
    onOp: (op: Op) => {
      o.common.onOp?.(op);
      if (op.process === 'nemesis' && op.type !== 'invoke') error = op.error === undefined ? undefined : String(op.error);
    },
  });
  return { ok: error === undefined, ms: Date.now() - t0, ...(error !== undefined ? { error } : {}) };
}
