// Shared by the hand-written transactional histories (hand-*.test.ts): a tiny history builder and
// one assertion for a cycle anomaly that pins everything about it (kind, ops, witness, sentence shape).
import { expect } from 'vitest';
import type { Op, OpType, Process } from '../../../src/history/op.js';
import type { Anomaly, Verdict } from '../../../src/checkers/types.js';
import type { CycleWitness, EdgeKind } from '../../../src/checkers/txn/types.js';
import { h } from '../../support/history.js';

export type Mop = [string, unknown, unknown];
type Row = [Process, OpType, string, unknown];

/** An invocation: reads carry nil, as Jepsen records them. */
export const I = (p: Process, mops: Mop[]): Row => [p, 'invoke', 'txn', mops.map(([f, k, v]) => [f, k, f === 'r' ? null : v])];
/** A completion (ok by default) with the completed micro-ops; fail and info ones carry the invocation's, as Jepsen's do. */
export const C = (p: Process, mops: Mop[], type: 'ok' | 'fail' | 'info' = 'ok'): Row =>
  type === 'ok' ? [p, 'ok', 'txn', mops] : [p, type, 'txn', I(p, mops)[3]];
/** Invocation then completion, back to back. */
export const T = (p: Process, mops: Mop[], type: 'ok' | 'fail' | 'info' = 'ok'): Row[] => [I(p, mops), C(p, mops, type)];
/** Transactions all invoked before any completes (no process or realtime order among them), completing in the order given. */
export const concurrent = (...txns: [Process, Mop[], ('ok' | 'fail' | 'info')?][]): Row[] => [
  ...txns.map(([p, m]) => I(p, m)),
  ...txns.map(([p, m, t]) => C(p, m, t ?? 'ok')),
];

/** A history from rows and groups of rows; index = position, time = index ms. */
export function H(...rows: (Row | Row[])[]): Op[] {
  const flat: Row[] = [];
  for (const r of rows) {
    if (Array.isArray(r[0])) flat.push(...(r as Row[]));
    else flat.push(r as Row);
  }
  return h(flat);
}

export const A = (k: unknown, v: unknown): Mop => ['append', k, v];
export const W = (k: unknown, v: unknown): Mop => ['w', k, v];
export const R = (k: unknown, v: unknown): Mop => ['r', k, v];

export const kinds = (v: Verdict): string[] => v.anomalies.map((a) => a.kind);

export function only(v: Verdict, kind: string): Anomaly {
  const found = v.anomalies.filter((a) => a.kind === kind);
  expect(found, `one ${kind} in ${kinds(v).join(', ')}`).toHaveLength(1);
  return found[0]!;
}

export interface WantCycle {
  /** History indices (completions) of the transactions, in cycle order. */
  ops: number[];
  /** [process, type, mops as Jepsen prints them] per transaction, in cycle order. */
  txns: [Process, 'ok' | 'info', string][];
  /** [kind, key, value] per edge; edge i runs from txns[i] to txns[i + 1] (the last back to the first). */
  edges: [EdgeKind, unknown?, unknown?][];
  /** The models the explanation's last words name ("so not a nor b"). */
  not: string[];
}

/** The one anomaly of this kind is exactly this cycle, and its explanation is the T1..Tk lines then the chain. */
export function expectCycle(v: Verdict, kind: string, want: WantCycle): Anomaly {
  const a = only(v, kind);
  expect(a.ops).toEqual(want.ops);
  const cycle = a.data?.cycle as CycleWitness;
  const k = want.ops.length;
  expect(cycle.txns.map((t) => [t.name, t.index, t.process, t.type, t.mops])).toEqual(
    want.txns.map(([p, type, mops], i) => [`T${i + 1}`, want.ops[i], p, type, mops]),
  );
  expect(cycle.edges.map((e) => [e.from, e.to, e.kind, e.key, e.value])).toEqual(want.edges.map(([kind, key, value], i) => [i, (i + 1) % k, kind, key, value]));
  expect(a.data?.notModels).toEqual(want.not);
  const lines = a.explanation.split('\n');
  expect(lines.slice(0, k)).toEqual(cycle.txns.map((t) => `${t.name} = process ${t.process}, index ${t.index}: ${t.mops}`));
  expect(lines).toHaveLength(k + 1);
  const chain = cycle.edges.map((e) => `T${e.from + 1} < T${e.to + 1}: ${e.sentence} (${e.kind})`).join('; ');
  expect(lines[k]).toBe(`${chain}: a cycle, so not ${want.not.join(' nor ')}`);
  return a;
}

/** The sentences of a cycle anomaly's edges, in order. */
export const sentences = (a: Anomaly): string[] => (a.data?.cycle as CycleWitness).edges.map((e) => e.sentence);
