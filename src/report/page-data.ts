import { faultTimeline } from '../checkers/replication/windows.js';
import { fmtValue, type Op } from '../history/op.js';
import { windowLabel, type AvailabilityWindow, type ChartSpec, type WindowSpan } from './charts.js';
import { toBase64 } from './columns.js';
import { cycleCard, cycleOps, modelWords } from './cycle.js';
import { TYPE_NAMES, type Digest } from './collect.js';
import { durationWords, faultWords, nodeReadsWords, reproduceCommand, topologyWords, validWord, verdictWords } from './describe.js';
import type { AnomalyCard, LinData, OpRow, PageData } from './page/api.js';
import type { RunInfo, StoredResultsFile } from './run-files.js';

const MAX_CARDS = 100;
const MAX_ROWS = 24;
const MAX_PREFIX_ROWS = 40;
const MAX_CYCLE_BARS = 12;

/** History indices the page shows as rows: every anomaly's witness ops and the linearizability witnesses. */
export function wantedOps(results: StoredResultsFile | undefined): Set<number> {
  const out = new Set<number>();
  let cards = 0;
  for (const v of Object.values(results?.verdicts ?? {})) {
    for (const a of v.anomalies ?? []) {
      if (cards++ >= MAX_CARDS) break;
      for (const i of a.ops.slice(0, MAX_ROWS)) out.add(i);
      for (const i of cycleOps(a.data).slice(0, MAX_CYCLE_BARS)) out.add(i); // a click on a node shows it on the timeline
    }
    if (v.witness) {
      out.add(v.witness.op);
      for (const i of v.witness.prefix.slice(-MAX_PREFIX_ROWS)) out.add(i);
    }
  }
  return out;
}

/** Fault windows in seconds, from the nemesis ops (the replication checkers' own rule, windows.ts). */
export function windowSpans(d: Digest): WindowSpan[] {
  return faultTimeline(d.nemesisOps).windows.map((w) => ({ kind: w.kind, from: w.startTime / 1e9, to: w.healed ? w.endTime / 1e9 : null }));
}

function processName(op: Op): string {
  const p = op.process === 'nemesis' ? 'nemesis' : `process ${op.process}`;
  return op.session !== undefined && op.session !== op.process ? `${p} (session ${String(op.session)})` : p;
}

/** One table row per operation: the invocation with its completion (value of the completion when ok). */
function rows(d: Digest, indices: number[]): OpRow[] {
  const out: OpRow[] = [];
  const seen = new Set<number>();
  for (const i of indices) {
    const bar = d.barOf.get(i);
    if (bar !== undefined) {
      if (seen.has(bar)) continue;
      seen.add(bar);
    }
    const op = d.kept.get(i);
    if (!op) {
      out.push({ index: i, process: '', node: '', f: '', type: '', value: '(not in the history)', invokeS: null, completeS: null, bar: null });
      continue;
    }
    const inv = bar !== undefined ? d.kept.get(d.idx[bar]!) : undefined;
    const comp = bar !== undefined ? [...d.kept.values()].find((o) => o !== inv && o.process === inv?.process && d.barOf.get(o.index) === bar) : undefined;
    const first = inv ?? op;
    const done = comp ?? (op.type !== 'invoke' ? op : undefined);
    const shown = done && done.type === 'ok' ? done.value : first.value;
    out.push({
      index: first.index,
      process: processName(first),
      node: String(done?.node ?? first.node ?? ''),
      f: first.f,
      type: done ? done.type : bar !== undefined ? TYPE_NAMES[d.type[bar]!]! : first.type,
      value: fmtValue(shown) + (done?.error !== undefined ? ` (error: ${fmtValue(done.error)})` : ''),
      invokeS: first.type === 'invoke' ? first.time / 1e9 : null,
      completeS: done ? done.time / 1e9 : null,
      bar: bar ?? null,
    });
  }
  return out;
}

export function pageData(run: RunInfo, results: StoredResultsFile | undefined, d: Digest, charts: ChartSpec[], windows: WindowSpan[]): PageData {
  const verdicts = Object.entries(results?.verdicts ?? {}).map(([name, v]) => {
    const models = modelWords(v.stats); // transactional checkers: the consistency models ruled out
    return { name, valid: validWord(v.valid), words: models ? `${verdictWords(v)}; ${models}` : verdictWords(v) };
  });
  const anomalies: AnomalyCard[] = [];
  let total = 0;
  for (const [checker, v] of Object.entries(results?.verdicts ?? {})) {
    for (const a of v.anomalies ?? []) {
      total++;
      if (anomalies.length >= MAX_CARDS) continue;
      const r = rows(d, a.ops.slice(0, MAX_ROWS));
      const cycle = cycleCard(a.data);
      cycle?.txns.forEach((t, j) => {
        if (j < MAX_CYCLE_BARS) t.bar = d.barOf.get(t.index) ?? null;
      });
      anomalies.push({
        checker,
        kind: a.kind,
        explanation: a.explanation,
        rows: r,
        bars: r.flatMap((x) => (x.bar === null ? [] : [x.bar])),
        ...(cycle ? { cycle } : {}),
      });
    }
  }
  const lin: LinData[] = [];
  for (const [checker, v] of Object.entries(results?.verdicts ?? {})) {
    const w = v.witness;
    if (!w) continue;
    const prefix = w.prefix.slice(-MAX_PREFIX_ROWS);
    // The checker stores the key as it shows it in its sentence (x, 1, "1"): shown the same here.
    const r = rows(d, [...prefix, w.op]);
    lin.push({
      checker,
      key: w.key === undefined ? '' : typeof w.key === 'string' ? w.key : fmtValue(w.key),
      states: w.states,
      prefixLength: w.prefix.length,
      rows: r,
      prefixBars: w.prefix.flatMap((i) => {
        const b = d.barOf.get(i);
        return b === undefined ? [] : [b];
      }),
      opBar: d.barOf.get(w.op) ?? null,
    });
  }
  const spec = run.spec ?? {};
  const overall = validWord(results?.valid);
  const summary =
    results === undefined
      ? 'not checked yet (no results.json): run `faultline analyze` on this run'
      : overall === 'valid'
        ? 'Valid: every checker passed.'
        : overall === 'invalid'
          ? `Invalid: ${total} anomal${total === 1 ? 'y' : 'ies'} found (cards below).`
          : 'Unknown: some checker could not decide (see below); none found an anomaly.';
  const facts: [string, string][] = [
    ['database', [run.cluster?.database ?? spec.db ?? 'unknown', run.cluster?.version].filter(Boolean).join(' · ')],
    ['topology', topologyWords(run)],
    ['replication', `${spec.replication ?? 'unknown'}${spec.reads ? `, reads from ${spec.reads}` : ''}`],
    ['workload', `${spec.workload ?? 'unknown'}${spec.concurrency ? `, concurrency ${spec.concurrency}` : ''}${spec.rate ? `, rate ${spec.rate}/s` : ''}`],
    ['faults', `${faultWords(run)} (${windows.length} fault window${windows.length === 1 ? '' : 's'})`],
    ['seed', run.seed === undefined ? 'unknown' : String(run.seed)],
    ['duration', durationWords(run, d.lastTime)],
    ['history', `${d.ops.toLocaleString('en-US')} ops (${d.bars.toLocaleString('en-US')} operations)`],
    ['started', run.startedAt ?? 'unknown'],
  ];
  const perNode = nodeReadsWords(run);
  if (perNode) facts.push(['per-node reads', perNode]);
  if (run.aborted) facts.push(['aborted', 'yes: the run was stopped before its time limit']);
  if (run.error) facts.push(['error', run.error]);
  for (const c of Array.isArray(run.caveats) ? run.caveats : []) if (typeof c === 'string') facts.push(['note', c]);
  if (run.versions)
    facts.push([
      'versions',
      Object.entries(run.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ]);
  return {
    title: `faultline: ${spec.db ?? 'run'} ${spec.workload ?? ''} ${run.runId ?? ''}`.replace(/\s+/g, ' ').trim(),
    summary: { valid: results === undefined ? 'unknown' : overall, words: summary },
    facts,
    command: reproduceCommand(run),
    verdicts,
    anomalies,
    moreAnomalies: total - anomalies.length,
    windows,
    timeline: {
      bars: d.bars,
      lanes: d.laneNames,
      fs: d.fs,
      nodes: d.nodes,
      start: toBase64(d.start),
      dur: toBase64(d.dur),
      lane: toBase64(d.lane),
      type: toBase64(d.type),
      f: toBase64(d.f),
      node: toBase64(d.node),
      idx: toBase64(d.idx),
      from: d.firstTime,
      to: d.lastTime,
    },
    lin,
    charts,
    availability: availabilityTable(results),
  };
}

function availabilityTable(results: StoredResultsFile | undefined): string[][] {
  const ws = (results?.verdicts?.availability?.stats as { windows?: AvailabilityWindow[] } | undefined)?.windows;
  if (!ws || ws.length === 0) return [];
  const pct = (r: number | null | undefined) => (typeof r === 'number' ? `${(r * 100).toFixed(1)} %` : 'n/a');
  const ms = (g: { ms: number } | null | undefined) => (g ? `${g.ms.toFixed(0)} ms` : 'none');
  return [
    ['fault window', 'reads ok', 'writes ok', 'RTO (writes)', 'RTO (reads)', 'RPO: acknowledged writes lost'],
    ...ws.map((w) => [
      windowLabel(w),
      pct(w.reads?.successRatio),
      pct(w.writes?.successRatio),
      ms(w.rtoMs?.write),
      ms(w.rtoMs?.read),
      w.rpo ? `${w.rpo.lostWrites}${w.rpo.spanMs ? ` (acknowledged over ${w.rpo.spanMs.toFixed(0)} ms)` : ''}` : 'n/a',
    ]),
  ];
}
