/**
 * Elle's consistency models and anomalies, as data: which models imply which, which anomalies each
 * model proscribes, which anomalies imply which. From these: the anomalies a set of models forbids
 * (what makes a verdict false) and the models a set of found anomalies rules out (`not`, the
 * weakest, and `alsoNot`, the stronger ones), under Elle's names.
 *
 * The tables follow Elle's consistency_model.clj (its newer revision, where parallel snapshot
 * isolation implies update-atomic instead of ROLA); the functions are written from its definitions.
 * Models live under canonical names (read-committed is PL-2, serializable PL-3, ...); callers may
 * use either, and results come back under friendly names.
 */
import type { TxnCheckOptions } from '../types.js';

type Dag = ReadonlyMap<string, readonly string[]>;

/** Friendly name -> canonical name. */
const CANONICAL: Readonly<Record<string, string>> = {
  'consistent-view': 'PL-2+',
  'conflict-serializable': 'PL-3',
  'cursor-stability': 'PL-CS',
  'forward-consistent-view': 'PL-FCV',
  'monotonic-snapshot-read': 'PL-MSR',
  'monotonic-view': 'PL-2L',
  'read-committed': 'PL-2',
  'read-uncommitted': 'PL-1',
  'repeatable-read': 'PL-2.99',
  serializable: 'PL-3',
  'snapshot-isolation': 'PL-SI',
  'strict-serializable': 'PL-SS',
  'strong-serializable': 'PL-SS',
  'update-serializable': 'PL-3U',
  'strong-session-read-uncommitted': 'strong-session-PL-1',
  'strong-session-read-committed': 'strong-session-PL-2',
  'strong-read-uncommitted': 'strong-PL-1',
  'strong-read-committed': 'strong-PL-2',
};

/** Canonical name -> the name results use, Elle's (PL-3 is serializable, PL-SS strong-serializable, which strict-serializable also names). */
const FRIENDLY: Readonly<Record<string, string>> = (() => {
  const out: Record<string, string> = {};
  for (const [f, c] of Object.entries(CANONICAL)) out[c] ??= f;
  out['PL-3'] = 'serializable';
  out['PL-SS'] = 'strong-serializable';
  return out;
})();

export const canonicalModel = (m: string): string => CANONICAL[m] ?? m;
export const friendlyModel = (m: string): string => FRIENDLY[m] ?? m;

function dag(edges: Record<string, readonly string[]>, rename: (s: string) => string = (s) => s): Dag {
  const out = new Map<string, string[]>();
  for (const [from, tos] of Object.entries(edges)) {
    const k = rename(from);
    const list = out.get(k) ?? [];
    for (const t of tos) if (!list.includes(rename(t))) list.push(rename(t));
    out.set(k, list);
    for (const t of tos) if (!out.has(rename(t))) out.set(rename(t), []);
  }
  return out;
}

function reverse(g: Dag): Dag {
  const out = new Map<string, string[]>();
  for (const v of g.keys()) out.set(v, []);
  for (const [from, tos] of g) for (const t of tos) out.get(t)!.push(from);
  return out;
}

/** Every vertex reachable from `starts` (the starts included). */
function reach(g: Dag, starts: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const todo = [...starts];
  while (todo.length > 0) {
    const v = todo.pop()!;
    if (seen.has(v)) continue;
    seen.add(v);
    for (const w of g.get(v) ?? []) todo.push(w);
  }
  return seen;
}

/** a -> b: a history that satisfies a also satisfies b. Canonical names. */
const MODELS: Dag = dag(
  {
    'causal-cerone': ['read-atomic'],
    'consistent-view': ['cursor-stability', 'monotonic-view'],
    'conflict-serializable': ['view-serializable'],
    'cursor-stability': ['read-committed', 'PL-2'],
    'forward-consistent-view': ['consistent-view'],
    'PL-2': ['PL-1'],
    'PL-3': ['repeatable-read', 'update-serializable'],
    'update-serializable': ['forward-consistent-view'],
    'monotonic-atomic-view': ['read-committed'],
    'monotonic-view': ['PL-2'],
    'monotonic-snapshot-read': ['PL-2'],
    'parallel-snapshot-isolation': ['causal-cerone', 'update-atomic'],
    prefix: ['causal-cerone'],
    'read-atomic': ['monotonic-atomic-view'],
    'read-committed': ['read-uncommitted'],
    'repeatable-read': ['cursor-stability', 'monotonic-atomic-view'],
    'update-atomic': ['read-atomic'],
    serializable: ['repeatable-read', 'snapshot-isolation', 'view-serializable'],
    'session-serializable': ['1SR'],
    'snapshot-isolation': ['forward-consistent-view', 'monotonic-atomic-view', 'monotonic-snapshot-read', 'parallel-snapshot-isolation', 'prefix'],
    'strict-serializable': ['PL-3', 'serializable', 'linearizable', 'snapshot-isolation', 'strong-snapshot-isolation', 'strong-session-serializable'],
    'strong-session-PL-1': ['PL-1'],
    'strong-session-PL-2': ['PL-2', 'strong-session-PL-1'],
    'strong-PL-1': ['strong-session-PL-1'],
    'strong-PL-2': ['strong-session-PL-2', 'strong-PL-1'],
    'strong-session-serializable': ['serializable', 'strong-session-snapshot-isolation'],
    'strong-session-snapshot-isolation': ['snapshot-isolation', 'strong-session-PL-2'],
    'strong-serializable': ['session-serializable'],
    'strong-snapshot-isolation': ['strong-session-snapshot-isolation', 'strong-PL-2'],
    linearizable: ['sequential'],
    sequential: ['causal'],
    causal: ['writes-follow-reads', 'PRAM'],
    PRAM: ['monotonic-reads', 'monotonic-writes', 'read-your-writes'],
  },
  canonicalModel,
);
const MODELS_IN = reverse(MODELS);

/** Model (canonical) -> the anomalies it proscribes over the models it implies. */
const PROSCRIBES: ReadonlyMap<string, readonly string[]> = merged(
  Object.entries({
    'causal-cerone': ['internal', 'G1a'],
    'cursor-stability': ['G1', 'G-cursor', 'lost-update'],
    'monotonic-view': ['G1', 'G-monotonic'],
    'monotonic-snapshot-read': ['G1', 'G-MSR'],
    'consistent-view': ['G1', 'G-single'],
    'forward-consistent-view': ['G1', 'G-SIb'],
    'parallel-snapshot-isolation': ['internal', 'G1a'],
    'PL-3': ['G1', 'G2', 'predicate-read-miss', 'PL-3-cycle-exists'],
    'PL-2': ['G1', 'PL-2-cycle-exists'],
    'PL-1': ['G0', 'duplicate-elements', 'cyclic-versions', 'garbage-read', 'PL-1-cycle-exists'],
    prefix: ['internal', 'G1a'],
    serializable: ['internal'],
    'snapshot-isolation': ['internal', 'G1', 'G-SI', 'G-nonadjacent', 'PL-SI-cycle-exists'],
    'read-atomic': ['internal', 'G1a', 'future-read'],
    'repeatable-read': ['G1', 'G2-item', 'PL-2.99-cycle-exists', 'lost-update'],
    'update-atomic': ['lost-update'],
    'strict-serializable': ['G1', 'G1c-realtime', 'G2-realtime', 'PL-SS-cycle-exists'],
    'strong-session-PL-1': ['strong-session-PL-1-cycle-exists', 'G0-process'],
    'strong-session-PL-2': ['strong-session-PL-2-cycle-exists', 'G1c-process'],
    'strong-PL-1': ['strong-PL-1-cycle-exists', 'G0-realtime'],
    'strong-PL-2': ['strong-PL-2-cycle-exists', 'G1c-realtime'],
    'strong-session-snapshot-isolation': ['internal', 'G1-process', 'G-nonadjacent-process', 'strong-session-snapshot-isolation-cycle-exists'],
    'strong-snapshot-isolation': ['internal', 'G1-realtime', 'G-nonadjacent-realtime', 'strong-snapshot-isolation-cycle-exists'],
    'strong-session-serializable': ['G1-process', 'G2-process', 'strong-session-serializable-cycle-exists'],
    'update-serializable': ['G1', 'G-update'],
  }).map(([m, as]) => [canonicalModel(m), as]),
);

/** Entries with the same key (serializable and PL-3 are one model) merged, as Elle's map->dag does. */
function merged(entries: [string, readonly string[]][]): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const [k, vs] of entries) out.set(k, [...new Set([...(out.get(k) ?? []), ...vs])]);
  return out;
}
const PROSCRIBED_BY: ReadonlyMap<string, readonly string[]> = (() => {
  const out = new Map<string, string[]>();
  for (const [m, as] of PROSCRIBES) for (const a of as) out.set(a, [...(out.get(a) ?? []), m]);
  return out;
})();

/** a -> b: a history showing anomaly a also shows b. */
const IMPLIED: Dag = dag({
  G0: ['G1c', 'G0-process'],
  'G0-process': ['G1c-process', 'G0-realtime'],
  'G0-realtime': ['G1c-realtime'],
  G1a: ['G1'],
  G1b: ['G1'],
  G1c: ['G1', 'G1c-process'],
  'G1c-process': ['G1c-realtime', 'G1-process'],
  'G1c-realtime': ['G1-realtime'],
  G1: ['G1-process'],
  'G1-process': ['G1-realtime'],
  'G-single-item': ['G-single', 'G-single-item-process', 'G-nonadjacent-item'],
  'G-single-item-process': ['G-single-process', 'G-single-item-realtime', 'G-nonadjacent-item-process'],
  'G-single-item-realtime': ['G-single-realtime', 'G-nonadjacent-item-realtime'],
  'G-single': ['G-nonadjacent', 'GSIb', 'G-single-process'],
  'G-single-process': ['G-nonadjacent-process', 'G-single-realtime'],
  'G-single-realtime': ['G-nonadjacent-realtime'],
  'G-nonadjacent-item': ['G-nonadjacent', 'G2-item', 'G-nonadjacent-item-process'],
  'G-nonadjacent-item-process': ['G-nonadjacent-process', 'G2-item-process', 'G-nonadjacent-item-realtime'],
  'G-nonadjacent-item-realtime': ['G2-item-realtime', 'G-nonadjacent-realtime'],
  'G-nonadjacent': ['G2', 'G-nonadjacent-process'],
  'G-nonadjacent-process': ['G2-process', 'G-nonadjacent-realtime'],
  'G-nonadjacent-realtime': ['G2-realtime'],
  G2: ['G2-process'],
  'G2-item': ['G2', 'G2-item-process'],
  'G2-item-process': ['G2-process', 'G2-item-realtime'],
  'G2-item-realtime': ['G2-realtime'],
  'G2-process': ['G2-realtime'],
  GSIa: ['GSI'],
  GSIb: ['GSI'],
  'incompatible-order': ['G1a'],
  'future-read': ['G1c'],
  'dirty-update': ['G1a'],
  'lost-update': ['write-skew', 'G2-item'],
  'write-skew': ['G2'],
});
const IMPLIED_IN = reverse(IMPLIED);

/** Severity beyond implication (G0 is worse than G-single though it does not imply it); orders the cycle search. */
const SEVERITY: Dag = dag({
  G0: ['G1c'],
  'G0-process': ['G1c-process'],
  'G0-realtime': ['G1c-realtime'],
  G1c: ['G-single', 'G2-item'],
  'G1c-process': ['G-single-process', 'G2-item-process'],
  'G1c-realtime': ['G-single-realtime', 'G2-item-realtime'],
  G2: ['G0-process'],
  'G2-process': ['G0-realtime'],
});

/** Anomaly -> its depth (longest chain of implication or severity above it); 0 for the rest. */
const DEPTH: ReadonlyMap<string, number> = (() => {
  const merged = new Map<string, string[]>();
  for (const g of [IMPLIED, SEVERITY])
    for (const [v, ws] of g) merged.set(v, [...(merged.get(v) ?? []), ...ws.filter((w) => !(merged.get(v) ?? []).includes(w))]);
  const depth = new Map<string, number>();
  const inbound = reverse(merged);
  const of = (v: string): number => {
    const d = depth.get(v);
    if (d !== undefined) return d;
    let best = 0;
    for (const u of inbound.get(v) ?? []) best = Math.max(best, of(u) + 1);
    depth.set(v, best);
    return best;
  };
  for (const v of merged.keys()) of(v);
  for (const as of PROSCRIBES.values()) for (const a of as) if (!depth.has(a)) depth.set(a, 0);
  return depth;
})();

/** Elle's order over anomalies: shallower first, then by name (code-unit order, as Clojure compares keywords). */
export function compareAnomalies(a: string, b: string): number {
  const d = (DEPTH.get(a) ?? 0) - (DEPTH.get(b) ?? 0);
  return d !== 0 ? d : a < b ? -1 : a > b ? 1 : 0;
}

/** The anomalies only inference or the verdict raise, which no Elle table lists but the CLI may name. */
const EXTRA_ANOMALIES = ['cycle-search-timeout', 'empty-transaction-graph'];

/** Every model name we know, friendly and canonical, sorted (for the CLI and its error sentences). */
export const KNOWN_MODELS: readonly string[] = [...new Set([...MODELS.keys(), ...Object.keys(CANONICAL), ...Object.values(CANONICAL)])].sort();

/** Every anomaly name we know, in Elle's order (for the CLI and its error sentences). */
export const KNOWN_ANOMALIES: readonly string[] = [...new Set([...DEPTH.keys(), ...EXTRA_ANOMALIES])].sort(compareAnomalies);

const KNOWN_MODEL_SET = new Set(KNOWN_MODELS);
const KNOWN_ANOMALY_SET = new Set(KNOWN_ANOMALIES);

export const isKnownModel = (m: string): boolean => KNOWN_MODEL_SET.has(m);
export const isKnownAnomaly = (a: string): boolean => KNOWN_ANOMALY_SET.has(a);

/** Every anomaly that implies one of `anomalies` (them included). */
export function anomaliesImplying(anomalies: Iterable<string>): Set<string> {
  return reach(IMPLIED_IN, anomalies);
}

/** Every anomaly implied by `anomalies` (them included). */
export function impliedAnomalies(anomalies: Iterable<string>): Set<string> {
  return reach(IMPLIED, anomalies);
}

/** The anomalies that cannot be present if all of `models` hold (with everything that implies them). */
export function anomaliesProhibitedBy(models: Iterable<string>): Set<string> {
  const implied = reach(MODELS, [...models].map(canonicalModel));
  const direct: string[] = [];
  for (const m of implied) direct.push(...(PROSCRIBES.get(m) ?? []));
  return anomaliesImplying(direct);
}

/** Canonical names of every model the anomalies rule out. */
function impossibleModels(anomalyKinds: Iterable<string>): Set<string> {
  const direct: string[] = [];
  for (const a of impliedAnomalies(anomalyKinds)) direct.push(...(PROSCRIBED_BY.get(a) ?? []));
  return reach(MODELS_IN, direct);
}

/** The models of `ms` that no other model of `ms` is implied by: the weakest ones (Elle's weakest-models). */
function weakest(ms: Set<string>): Set<string> {
  const out = new Set(ms);
  for (const m of ms) {
    out.delete(m);
    let covered = false;
    for (const w of reach(MODELS, [m])) if (out.has(w)) covered = true;
    if (!covered) out.add(m);
  }
  return out;
}

/**
 * The models the found anomalies rule out, friendly names, sorted: `not` the weakest of them,
 * `alsoNot` the stronger rest (Elle's friendly-boundary).
 */
export function modelsRuledOutBy(anomalyKinds: Iterable<string>): { not: string[]; alsoNot: string[] } {
  const impossible = impossibleModels(anomalyKinds);
  const not = weakest(impossible);
  const alsoNot = [...impossible].filter((m) => !not.has(m));
  const friendly = (xs: Iterable<string>) => [...new Set([...xs].map(friendlyModel))].sort();
  return { not: friendly(not), alsoNot: friendly(alsoNot) };
}

/** The models checked when the options name none: Elle's default. */
export const DEFAULT_MODELS: readonly string[] = ['strict-serializable'];

/**
 * The anomalies whose presence makes the verdict false: those the requested models proscribe
 * (default strict-serializable; [] checks only the named anomalies) and those named in
 * `anomalies`, each with every anomaly that implies it.
 */
export function prohibitedAnomalies(o: TxnCheckOptions = {}): Set<string> {
  const out = anomaliesProhibitedBy(o.consistency ?? DEFAULT_MODELS);
  for (const a of anomaliesImplying(o.anomalies ?? [])) out.add(a);
  return out;
}

/** One sentence per unknown model or anomaly name in the options, naming the known ones. */
export function validateTxnOptions(o: TxnCheckOptions): string[] {
  const out: string[] = [];
  for (const m of o.consistency ?? []) if (!isKnownModel(m)) out.push(`unknown consistency model '${m}'; known models are: ${KNOWN_MODELS.join(', ')}.`);
  for (const a of o.anomalies ?? []) if (!isKnownAnomaly(a)) out.push(`unknown anomaly '${a}'; known anomalies are: ${KNOWN_ANOMALIES.join(', ')}.`);
  return out;
}

/** Canonical names of `model` and every model stronger than it (all ruled out when it is). */
export function modelAndStronger(model: string): Set<string> {
  return reach(MODELS_IN, [canonicalModel(model)]);
}
