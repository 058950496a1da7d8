// A cycle anomaly's witness (checkers/txn CycleWitness, stored as anomaly.data.cycle) as the page
// draws it: every value already turned into display text here, so the page only places strings.
import { fmtValue } from '../history/op.js';
import type { CycleCard } from './page/api.js';

const KINDS = new Set(['ww', 'wr', 'rw', 'process', 'realtime']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const asIndex = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'bigint' ? Number(v) : undefined);

/**
 * The card's cycle, or undefined when `data.cycle` is absent or not a CycleWitness. anomaly.data is
 * free-form detail (results.json may come from an older or another tool), so a cycle of the wrong
 * shape is not drawn rather than refused: the anomaly's sentence still says everything.
 * edges[i] runs from txns[i] to txns[(i + 1) % k] (types.ts); its from/to are not needed to draw it.
 */
export function cycleCard(data: unknown): CycleCard | undefined {
  if (!isObject(data) || !isObject(data.cycle)) return undefined;
  const { txns, edges } = data.cycle;
  if (!Array.isArray(txns) || !Array.isArray(edges) || txns.length < 2 || edges.length !== txns.length) return undefined;
  const out: CycleCard = { txns: [], edges: [] };
  for (const t of txns as unknown[]) {
    if (!isObject(t) || typeof t.name !== 'string' || typeof t.mops !== 'string') return undefined;
    const index = asIndex(t.index);
    if (index === undefined) return undefined;
    out.txns.push({
      name: t.name,
      process: t.process === 'nemesis' ? 'nemesis' : `process ${fmtValue(t.process)}`,
      type: typeof t.type === 'string' ? t.type : '',
      index,
      mops: t.mops,
      bar: null,
    });
  }
  for (const e of edges as unknown[]) {
    if (!isObject(e) || typeof e.kind !== 'string' || !KINDS.has(e.kind) || typeof e.sentence !== 'string') return undefined;
    out.edges.push({
      kind: e.kind,
      key: e.key === undefined ? null : fmtValue(e.key),
      value: e.value === undefined ? null : fmtValue(e.value),
      sentence: e.sentence,
    });
  }
  return out;
}

/** History indices of a stored cycle's transactions (their completions), for the page's rows and bars. */
export function cycleOps(data: unknown): number[] {
  return cycleCard(data)?.txns.map((t) => t.index) ?? [];
}

/**
 * The consistency models a transactional checker's anomalies rule out, from its stats (Elle's :not,
 * the weakest models ruled out, and :also-not, the stronger ones that follow): "not serializable;
 * also not strict-serializable". Undefined when the stats say nothing about models.
 */
export function modelWords(stats: unknown): string | undefined {
  if (!isObject(stats)) return undefined;
  const names = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);
  const not = names(stats.not),
    also = names(stats.alsoNot);
  if (not.length === 0 && also.length === 0) return undefined;
  const parts: string[] = [];
  if (not.length > 0) parts.push(`not ${not.join(', ')}`);
  if (also.length > 0) parts.push(`${not.length > 0 ? 'also ' : ''}not ${also.join(', ')}`);
  return parts.join('; ');
}
