// The seam between the two halves of the transactional (Elle-style) checkers: inference turns a
// history of transactions into a dependency graph plus the anomalies that need no cycle; the cycle
// search finds and names the cycles and maps everything found to the consistency models it rules out.
import type { Op, Process } from '../../history/op.js';
import type { Anomaly } from '../types.js';

/** Edge kinds as bits: one ordered pair of transactions may be related in several ways at once. */
export const WW = 1;
export const WR = 2;
export const RW = 4;
export const PROCESS = 8;
export const REALTIME = 16;

export type EdgeKind = 'ww' | 'wr' | 'rw' | 'process' | 'realtime';

export const EDGE_BITS: Readonly<Record<EdgeKind, number>> = { ww: WW, wr: WR, rw: RW, process: PROCESS, realtime: REALTIME };

/** One micro-op of a transaction, Jepsen's `[:append k v]`, `[:r k v]`, `[:w k v]` (value completed from the ok). */
export interface MicroOp {
  f: 'append' | 'r' | 'w';
  key: unknown;
  value: unknown;
}

/** A transaction of the history: a vertex of the graph when it committed or may have (ok, info). */
export interface Txn {
  /** Vertex number in the graph, 0..n-1 (fail transactions get no vertex: -1). */
  id: number;
  /** History index (Op.index) of the completion; of the invocation when it never completed. */
  index: number;
  /** History index of the invocation. */
  invokeIndex: number;
  process: Process;
  type: 'ok' | 'info' | 'fail';
  mops: readonly MicroOp[];
}

/**
 * The dependency graph over the ok and info transactions, in compressed sparse rows: the out-edges
 * of vertex v are targets[offsets[v] .. offsets[v+1]), each with the bit set of its kinds in kinds[].
 * No self-loops; at most one entry per ordered pair (kinds OR-ed).
 */
export interface TxnGraph {
  n: number;
  offsets: Uint32Array;
  targets: Uint32Array;
  kinds: Uint8Array;
}

/** Why one edge exists, for explanations and the report's drawing. */
export interface EdgeWhy {
  kind: EdgeKind;
  key?: unknown;
  value?: unknown;
  /** One sentence, naming the two transactions by nameOf: "T1 appended 3 to key 5; T2 read key 5 without 3". */
  sentence: string;
}

/** The key assumptions of elle-cli (`--linearizable-keys`, `--sequential-keys`, `--wfr-keys`). */
export interface InferOptions {
  linearizableKeys?: boolean;
  sequentialKeys?: boolean;
  wfrKeys?: boolean;
}

/** What inference found: the transactions, the graph, and the anomalies that need no cycle. */
export interface Inference {
  /** Every transaction (ok, info and fail), in history order of invocation; vertices have id >= 0. */
  txns: readonly Txn[];
  /** vertex id -> index into txns. */
  vertexTxn: Uint32Array;
  graph: TxnGraph;
  /** Non-cycle anomalies under Elle's names (G1a, G1b, internal, dirty-update, ...), each with a witness. */
  anomalies: Anomaly[];
  /** Why from -> to carries `kind` (it must). nameOf names a vertex in the sentence (e.g. "T2"). */
  explain(from: number, to: number, kind: EdgeKind, nameOf: (vertex: number) => string): EdgeWhy;
}

export type Infer = (history: readonly Op[], opts: InferOptions) => Inference;

/**
 * A cycle anomaly's `data` (Anomaly.data.cycle), what the report draws: the transactions in cycle
 * order, named T1..Tk for this cycle, and the edges between them (edges[i] runs from txns[i] to
 * txns[(i + 1) % k]).
 */
export interface CycleWitness {
  txns: { name: string; index: number; invokeIndex: number; process: Process; type: 'ok' | 'info'; mops: string }[];
  edges: { from: number; to: number; kind: EdgeKind; key?: unknown; value?: unknown; sentence: string }[];
}
