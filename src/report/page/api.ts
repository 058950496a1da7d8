// Types shared by the report builder (Node) and the page code (browser). Types only: nothing here runs.
import type { ChartSpec, WindowSpan } from '../charts.js';

export interface OpRow {
  index: number;
  process: string;
  node: string;
  f: string;
  type: string;
  value: string;
  invokeS: number | null;
  completeS: number | null;
  bar: number | null;
}

export interface AnomalyCard {
  checker: string;
  kind: string;
  explanation: string;
  rows: OpRow[];
  bars: number[];
  /** A transactional cycle (G0, G1c, G2-item...), drawn as a graph: display text only (report/cycle.ts). */
  cycle?: CycleCard;
}

/** A cycle T1 -> T2 -> ... -> Tk -> T1: edges[i] runs from txns[i] to txns[(i + 1) % k]. */
export interface CycleCard {
  /** bar: the transaction's bar on the timeline, when the history has it. */
  txns: { name: string; process: string; type: string; index: number; mops: string; bar: number | null }[];
  edges: { kind: string; key: string | null; value: string | null; sentence: string }[];
}

/** Where cycleLayout puts a cycle's nodes, arrows and edge labels (SVG user units). */
export interface CycleLayout {
  width: number;
  height: number;
  r: number;
  nodes: { x: number; y: number }[];
  /** Quadratic curve from (x1,y1) through control (cx,cy) to (x2,y2), the arrowhead polygon at its end, the label's anchor. */
  edges: { x1: number; y1: number; cx: number; cy: number; x2: number; y2: number; head: string; lx: number; ly: number; anchor: string }[];
}

export interface TimelineData {
  bars: number;
  lanes: string[];
  fs: string[];
  nodes: string[];
  /** base64 little-endian typed arrays: Float64 start ms, Float32 duration ms, Uint16 lane, Uint8 type/f/node, Uint32 history index. */
  start: string;
  dur: string;
  lane: string;
  type: string;
  f: string;
  node: string;
  idx: string;
  from: number;
  to: number;
}

export interface LinData {
  checker: string;
  key: string;
  states: string[];
  prefixLength: number;
  /** The last prefix ops (in linearization order) then the breaking op, last. */
  rows: OpRow[];
  prefixBars: number[];
  opBar: number | null;
}

export interface PageData {
  title: string;
  summary: { valid: string; words: string };
  facts: [string, string][];
  command: string;
  verdicts: { name: string; valid: string; words: string }[];
  anomalies: AnomalyCard[];
  moreAnomalies: number;
  windows: WindowSpan[];
  timeline: TimelineData;
  lin: LinData[];
  charts: ChartSpec[];
  availability: string[][];
}

export interface TimelineApi {
  focus(bars: number[], mode: 'anomaly' | 'lin', order?: boolean): void;
  redraw(): void;
  view: { from: number; to: number };
  highlighted: number[];
}

/** The page's functions, reachable from one another through the global FL (see bundle.ts). */
export interface PageApi {
  el(tag: string, text?: string | null, cls?: string): HTMLElement;
  table(head: string[], rows: (string | number | null)[][], cls?: string): HTMLTableElement;
  opTable(rows: OpRow[], highlightLast?: boolean): HTMLTableElement;
  decode(b64: string, kind: 'f64' | 'f32' | 'u16' | 'u8' | 'u32'): ArrayLike<number> & { length: number };
  header(root: HTMLElement, d: PageData): void;
  cards(root: HTMLElement, d: PageData): void;
  timeline(root: HTMLElement, t: TimelineData, windows: WindowSpan[]): TimelineApi;
  lin(root: HTMLElement, d: PageData): void;
  cycleLayout(k: number): CycleLayout;
  cycle(c: CycleCard): HTMLElement;
  charts(root: HTMLElement, d: PageData): void;
  main(): void;
  tl?: TimelineApi;
}
