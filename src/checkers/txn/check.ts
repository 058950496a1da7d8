/**
 * Everything after inference: find the cycles, name them, and decide the verdict as Elle's
 * result-map does.
 *
 * Rule: an anomaly makes the verdict false when the requested models proscribe it (default
 * strict-serializable; `consistency: []` means only the named anomalies) or it implies an anomaly
 * named in `anomalies`. Anomalies that are neither are left out of the verdict, as Elle leaves
 * them out (a G2-item under `--consistency read-committed` is no finding), but they still count
 * in stats.not / stats.alsoNot (Elle computes its boundary from everything found) and are listed
 * in stats.unreported.
 *
 * Unknown: when the cycle search ran out of budget (deadline, or the work cap on a huge component)
 * on a class that matters, or when there was nothing to search (no committed transaction, no
 * dependency edge: Elle's empty-transaction-graph), and nothing prohibited was found. An anomaly
 * kind our tables do not know (a name inference made up) also makes the verdict unknown rather
 * than silently passing: we cannot say which model it rules out.
 *
 * Edges: realtime edges are searched when any realtime class matters to the requested models,
 * else process edges when any process class does, else neither (Elle's choice of graphs; realtime
 * order already contains each process's order, so a cycle through it is named -realtime).
 */
import type { Anomaly, CheckOptions, Verdict, Validity } from '../types.js';
import { findCycles, searchedClasses, type CycleSearchResult, type FoundCycle } from './cycles.js';
import { compareAnomalies, isKnownAnomaly, modelsRuledOutBy, prohibitedAnomalies } from './models.js';
import { PROCESS, REALTIME, RW, WR, WW, type CycleWitness, type Inference, type MicroOp, type Txn } from './types.js';

const UNKNOWN_KINDS = new Set(['cycle-search-timeout', 'empty-transaction-graph']);

/** `[[append 5 3] [r 6 [1 2]]]`: a transaction's micro-ops as Jepsen prints them. */
export function fmtMops(mops: readonly MicroOp[]): string {
  return `[${mops.map((m) => `[${m.f} ${edn(m.key)} ${edn(m.value)}]`).join(' ')}]`;
}

function edn(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return `[${v.map(edn).join(' ')}]`;
  if (typeof v === 'string') return /^[^\s[\]{}()"]+$/.test(v) ? v : JSON.stringify(v);
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** The extra order edges Elle would search for these prohibited anomalies. */
export function variantFor(prohibited: ReadonlySet<string>): number {
  const has = (suffix: string) => [...prohibited].some((a) => a.endsWith(suffix) && /^G/.test(a));
  return has('-realtime') ? REALTIME : has('-process') ? PROCESS : 0;
}

/**
 * The verdict for an inference. `startedAt` (Date.now()) is when checking began, so the budget
 * opts.timeLimitMs covers inference too; 0 or undefined = no budget.
 */
export function checkInference(inf: Inference, opts: CheckOptions = {}, startedAt: number = Date.now()): Verdict {
  const txnOpts = opts.txn ?? {};
  const prohibited = prohibitedAnomalies(txnOpts);
  const reportable = (kind: string) => prohibited.has(kind) || UNKNOWN_KINDS.has(kind) || !isKnownAnomaly(kind);
  const variant = variantFor(prohibited);
  const deadline = opts.timeLimitMs ? startedAt + opts.timeLimitMs : Infinity;
  const g = inf.graph;
  const mask = WW | WR | RW | variant;

  let edges = 0;
  for (let e = 0; e < g.targets.length; e++) if (g.kinds[e]! & mask) edges++;
  const committed = inf.txns.filter((t) => t.type === 'ok').length;

  const found: Anomaly[] = [...inf.anomalies];
  if (committed === 0 || edges === 0)
    found.push({
      kind: 'empty-transaction-graph',
      ops: [],
      explanation:
        committed === 0
          ? 'no transaction committed, so there is no dependency graph to search for cycles'
          : `no dependency (${edgeWords(mask)}) relates any two of the ${g.n} transactions, so there is nothing to search for cycles`,
    });

  const t0 = Date.now();
  const search: CycleSearchResult =
    edges > 0 ? findCycles(g, { variant, deadline }) : { sccs: 0, largestScc: 0, cycles: [], incomplete: [], cycleExists: [], timedOut: false };
  const cycleSearchMs = Date.now() - t0;

  for (const c of search.cycles) found.push(cycleAnomaly(inf, c));
  for (const ce of search.cycleExists)
    found.push({
      kind: ce.kind,
      ops: ce.vertices.map((v) => txnOf(inf, v).index),
      explanation:
        `the cycle search did not finish, but these ${ce.vertices.length} transactions are strongly connected by ${ce.subgraph} ` +
        `dependencies, so a cycle exists among them: not ${ce.model}`,
      data: { subgraph: ce.subgraph, sccSize: ce.vertices.length, notModels: [ce.model] },
    });
  const cut = search.incomplete.filter((i) => i.kind === '*' || reportable(i.kind));
  if (cut.length > 0) {
    const kinds = [...new Set(cut.map((i) => i.kind))];
    found.push({
      kind: 'cycle-search-timeout',
      ops: [],
      explanation:
        kinds[0] === '*'
          ? 'the time budget ran out before the strongly connected components were computed, so no cycle was searched'
          : `the cycle search stopped (${[...new Set(cut.map((i) => (i.why === 'walk' ? 'inconclusive walk' : i.why === 'work' ? 'work cap' : 'time budget')))].join(', ')}) ` +
            `before it could rule out ${kinds.join(', ')} in ${new Set(cut.map((i) => i.scc)).size} component(s)`,
      data: { notSearched: kinds, searched: searchedClasses(variant) },
    });
  }

  // Elle drops a cycle-exists fallback when the other anomalies already rule its model out.
  const otherKinds = found.filter((a) => !a.kind.endsWith('-cycle-exists')).map((a) => a.kind);
  const ruledOut = new Set([...modelsRuledOutBy(otherKinds).not, ...modelsRuledOutBy(otherKinds).alsoNot]);
  const kept = found.filter((a) => !a.kind.endsWith('-cycle-exists') || !ruledOut.has(String((a.data?.notModels as string[])[0])));

  const reported = kept.filter((a) => reportable(a.kind)).sort((a, b) => compareAnomalies(a.kind, b.kind));
  const unreported = [...new Set(kept.filter((a) => !reportable(a.kind)).map((a) => a.kind))].sort(compareAnomalies);
  const bad = reported.filter((a) => prohibited.has(a.kind));
  const strange = [...new Set(reported.filter((a) => !isKnownAnomaly(a.kind)).map((a) => a.kind))];
  const valid: Validity = bad.length > 0 ? false : reported.length > 0 ? 'unknown' : true;
  const boundary = modelsRuledOutBy(kept.map((a) => a.kind));

  const verdict: Verdict = {
    valid,
    anomalies: reported,
    stats: {
      txns: inf.txns.length,
      committed,
      sccs: search.sccs,
      largestScc: search.largestScc,
      not: boundary.not,
      alsoNot: boundary.alsoNot,
      anomalyTypes: [...new Set(reported.map((a) => a.kind))],
      unreported,
      cycleSearchMs,
      edges: edgeWords(mask),
    },
  };
  if (valid === 'unknown') {
    const why: string[] = [];
    for (const a of reported) if (UNKNOWN_KINDS.has(a.kind)) why.push(a.explanation);
    if (strange.length > 0) why.push(`inference reported ${strange.join(', ')}, which no consistency model table names`);
    verdict.cause = why.join('; ');
  }
  return verdict;
}

function edgeWords(mask: number): string {
  return (['ww', 'wr', 'rw', 'process', 'realtime'] as const).filter((_, i) => mask & (1 << i)).join(' ');
}

function txnOf(inf: Inference, v: number): Txn {
  return inf.txns[inf.vertexTxn[v]!]!;
}

/** A found cycle as an anomaly: T1..Tk, the chain of edge sentences, the model it rules out. */
function cycleAnomaly(inf: Inference, c: FoundCycle): Anomaly {
  const names = new Map<number, string>();
  c.vertices.forEach((v, i) => names.set(v, `T${i + 1}`));
  const nameOf = (v: number) => names.get(v) ?? `vertex ${v}`;
  const txns = c.vertices.map((v) => txnOf(inf, v));
  const k = c.vertices.length;
  const edges: CycleWitness['edges'] = c.vertices.map((v, i) => {
    const w = c.vertices[(i + 1) % k]!;
    const why = inf.explain(v, w, c.kinds[i]!, nameOf);
    return {
      from: i,
      to: (i + 1) % k,
      kind: c.kinds[i]!,
      ...(why.key !== undefined ? { key: why.key } : {}),
      ...(why.value !== undefined ? { value: why.value } : {}),
      sentence: why.sentence,
    };
  });
  const witness: CycleWitness = {
    txns: txns.map((t, i) => ({
      name: `T${i + 1}`,
      index: t.index,
      invokeIndex: t.invokeIndex,
      process: t.process,
      type: t.type === 'info' ? 'info' : 'ok',
      mops: fmtMops(t.mops),
    })),
    edges,
  };
  const { not } = modelsRuledOutBy([c.kind]);
  const lines = witness.txns.map((t) => `${t.name} = process ${t.process}, index ${t.index}: ${t.mops}`);
  const chain = edges.map((e) => `T${e.from + 1} < T${e.to + 1}: ${e.sentence} (${e.kind})`).join('; ');
  lines.push(`${chain}: a cycle, so not ${not.length > 0 ? not.join(' nor ') : 'any model we know'}`);
  return {
    kind: c.kind,
    ops: txns.map((t) => t.index),
    explanation: lines.join('\n'),
    data: { cycle: witness, notModels: not },
  };
}
