import { Buckets, quantileSorted } from './buckets.js';
import { OK, TYPE_NAMES, type Digest } from './collect.js';
import type { StoredResultsFile } from './run-files.js';

/** A chart as the page and the PNG renderer both draw it: a chart.js config that is plain JSON. */
export interface ChartSpec {
  id: string;
  title: string;
  config: Record<string, unknown>;
}
export interface WindowSpan {
  kind: string;
  from: number;
  to: number | null;
}

const BUCKETS = 200;
const TYPE_COLOURS = ['#2ca02c', '#d62728', '#ff7f0e'];
const POINT_STYLES = ['circle', 'triangle', 'rect', 'rectRot', 'star', 'crossRot', 'cross', 'line'];
const QUANTILE_COLOURS = ['#1f77b4', '#9467bd', '#e377c2', '#7f7f7f'];

function timeChart(id: string, title: string, datasets: unknown[], windows: WindowSpan[], yTitle: string, logY: boolean): ChartSpec {
  return {
    id,
    title,
    config: {
      type: 'scatter',
      data: { datasets },
      options: {
        animation: false,
        responsive: false,
        parsing: false,
        normalized: true,
        plugins: { title: { display: true, text: title }, legend: { position: 'bottom' }, faultWindows: { windows } },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'time since start (s)' } },
          y: { type: logY ? 'logarithmic' : 'linear', title: { display: true, text: yTitle }, ...(logY ? {} : { beginAtZero: true }) },
        },
      },
    },
  };
}

function line(label: string, colour: string, data: { x: number; y: number }[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { label, data, borderColor: colour, backgroundColor: colour, showLine: true, borderWidth: 1.5, pointRadius: 1.5, ...extra };
}

/** Latency over time per f and outcome (median and max per bucket), quantiles over time, throughput. */
export function historyCharts(d: Digest, windows: WindowSpan[]): ChartSpec[] {
  const b = new Buckets(d.firstTime, Math.max(d.lastTime, d.firstTime + 1), BUCKETS);
  const series = new Map<number, number[][]>(); // f*3+type -> per bucket latencies
  const okAll: number[][] = Array.from({ length: BUCKETS }, () => []);
  const done = new Map<number, Uint32Array>(); // f*3+type -> completions per bucket
  for (let i = 0; i < d.bars; i++) {
    if (!d.client[i]) continue;
    const key = d.f[i]! * 3 + d.type[i]!;
    const lat = d.dur[i]!;
    const bk = b.of(d.start[i]!);
    let s = series.get(key);
    if (!s) series.set(key, (s = Array.from({ length: BUCKETS }, () => [])));
    s[bk]!.push(lat);
    if (d.type[i] === OK) okAll[bk]!.push(lat);
    let c = done.get(key);
    if (!c) done.set(key, (c = new Uint32Array(BUCKETS)));
    c[b.of(d.start[i]! + lat)]!++;
  }
  const keys = [...series.keys()].sort((x, y) => x - y);
  const name = (k: number) => `${d.fs[Math.floor(k / 3)]} ${TYPE_NAMES[k % 3]}`;
  const style = (k: number) => ({ pointStyle: POINT_STYLES[Math.floor(k / 3) % POINT_STYLES.length] });
  const latency = keys.map((k) => {
    const pts: { x: number; y: number }[] = [];
    series.get(k)!.forEach((v, bk) => {
      if (v.length === 0) return;
      v.sort((x, y) => x - y);
      pts.push({ x: b.midS(bk), y: Math.max(quantileSorted(v, 0.5), 1e-3) });
    });
    return line(`${name(k)} (median)`, TYPE_COLOURS[k % 3]!, pts, { ...style(k), showLine: k % 3 === OK });
  });
  const qs = [0.5, 0.95, 0.99, 1];
  const quant = qs.map((q, qi) => {
    const pts: { x: number; y: number }[] = [];
    okAll.forEach((v, bk) => {
      if (v.length) pts.push({ x: b.midS(bk), y: Math.max(quantileSorted(v, q), 1e-3) });
    });
    return line(q === 1 ? 'max' : `p${q * 100}`, QUANTILE_COLOURS[qi]!, pts);
  });
  const perSecond = 1000 / b.width;
  const rate = keys.map((k) => {
    const c = done.get(k)!;
    return line(
      name(k),
      TYPE_COLOURS[k % 3]!,
      Array.from(c, (n, bk) => ({ x: b.midS(bk), y: n * perSecond })),
      { ...style(k), pointRadius: 0 },
    );
  });
  return [
    timeChart('latency', 'Latency over time, per f and outcome (median per bucket)', latency, windows, 'latency (ms, log)', true),
    timeChart('quantiles', 'Latency quantiles over time (ok ops)', quant, windows, 'latency (ms, log)', true),
    timeChart('throughput', 'Throughput over time (completions per second)', rate, windows, 'ops/s', false),
  ];
}

interface Quantiles {
  count?: number;
  p50?: number;
  p95?: number;
  p99?: number;
  max?: number;
}

function quantileBars(id: string, title: string, yTitle: string, groups: [string, Quantiles | undefined][]): ChartSpec {
  const qs = ['p50', 'p95', 'p99', 'max'] as const;
  return {
    id,
    title,
    config: {
      type: 'bar',
      data: {
        labels: groups.map(([n]) => n),
        datasets: qs.map((q, i) => ({ label: q, data: groups.map(([, g]) => g?.[q] ?? 0), backgroundColor: QUANTILE_COLOURS[i] })),
      },
      options: {
        animation: false,
        responsive: false,
        plugins: { title: { display: true, text: title }, legend: { position: 'bottom' } },
        scales: { y: { beginAtZero: true, title: { display: true, text: yTitle } } },
      },
    },
  };
}

/** Staleness and visibility lag per node, and availability around each fault, from the checkers' stats. */
export function statsCharts(results: StoredResultsFile | undefined): ChartSpec[] {
  const out: ChartSpec[] = [];
  const st = results?.verdicts?.staleness?.stats as { perNode?: Record<string, { missedVersions?: Quantiles; lagMs?: Quantiles }> } | undefined;
  if (st?.perNode && Object.keys(st.perNode).length > 0) {
    const nodes = Object.entries(st.perNode);
    out.push(
      quantileBars(
        'staleness',
        'Staleness per node: acknowledged versions a read missed',
        'versions missed',
        nodes.map(([n, g]) => [n, g.missedVersions]),
      ),
    );
    out.push(
      quantileBars(
        'visibility-lag',
        'Visibility lag per node: age of the newest version a read missed',
        'lag (ms)',
        nodes.map(([n, g]) => [n, g.lagMs]),
      ),
    );
  }
  const av = results?.verdicts?.availability?.stats as { windows?: AvailabilityWindow[] } | undefined;
  if (av?.windows && av.windows.length > 0) {
    const labels = av.windows.map(windowLabel);
    const pct = (r: number | null | undefined) => (typeof r === 'number' ? Math.round(r * 1000) / 10 : 0);
    out.push({
      id: 'availability',
      title: 'Availability around each fault: success ratio and RTO',
      config: {
        type: 'bar',
        data: {
          labels,
          datasets: [
            { label: 'reads ok (%)', data: av.windows.map((w) => pct(w.reads?.successRatio)), backgroundColor: '#1f77b4', yAxisID: 'y' },
            { label: 'writes ok (%)', data: av.windows.map((w) => pct(w.writes?.successRatio)), backgroundColor: '#2ca02c', yAxisID: 'y' },
            { label: 'write RTO (ms)', data: av.windows.map((w) => w.rtoMs?.write?.ms ?? 0), backgroundColor: '#d62728', yAxisID: 'y1' },
            { label: 'read RTO (ms)', data: av.windows.map((w) => w.rtoMs?.read?.ms ?? 0), backgroundColor: '#ff7f0e', yAxisID: 'y1' },
          ],
        },
        options: {
          animation: false,
          responsive: false,
          plugins: {
            title: { display: true, text: 'Availability around each fault: success ratio (left) and RTO, the longest gap without a success (right)' },
            legend: { position: 'bottom' },
          },
          scales: {
            y: { beginAtZero: true, max: 100, position: 'left', title: { display: true, text: 'ops ok (%)' } },
            y1: { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: 'RTO (ms)' } },
          },
        },
      },
    });
  }
  return out;
}

export interface AvailabilityWindow {
  window: { id: number; kind: string; startTime: number; endTime: number | null; healed: boolean };
  reads?: { ok: number; fail: number; info: number; successRatio?: number | null };
  writes?: { ok: number; fail: number; info: number; successRatio?: number | null };
  rtoMs?: { write?: { ms: number } | null; read?: { ms: number } | null };
  rpo?: { lostWrites: number; spanMs?: number };
}

export function windowLabel(a: AvailabilityWindow): string {
  const w = a.window;
  const s = (ns: number) => (ns / 1e9).toFixed(1);
  return `${w.kind} #${w.id} (${s(w.startTime)}–${w.endTime === null ? 'never healed' : `${s(w.endTime)} s`})`;
}
