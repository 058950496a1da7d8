import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { adapterByName, adapterNames } from '../adapters/index.js';
import { topologiesOf } from '../adapters/topology.js';
import { TOPOLOGIES, type Topology } from '../adapters/types.js';
import { InputError } from '../errors.js';
import { faultPackages } from '../nemesis/index.js';
import { WORKLOAD_CHECKS, checksFor } from '../run/checks.js';
import { AUTO, runtimeNames } from '../runtime/index.js';
import { childPath, JsonSyntaxError, lineOf, parseJsonWithLines, parseYamlWithLines, YamlUnavailable, type Lines, type Located } from './positions.js';
import type { Expectation, SuiteEntry } from './types.js';

/**
 * A suite file (docs/suites.md, schemas/suite.schema.json): read, validated against the schema's rules
 * plus what only the databases know (their replication modes and workloads), and expanded into entries.
 * Every error names the file, the line and the field; all of them are reported at once.
 */

/** What the validator needs to know of each database. */
export interface DbInfo {
  replication: readonly string[];
  defaultReplication: string;
  workloads: readonly string[];
  /** The topologies it sets up, its default first (absent: single-leader only). */
  topologies?: readonly Topology[];
}
export type Catalog = Readonly<Record<string, DbInfo>>;

/** The built-in adapters' modes and workloads (loads their modules, not their databases). */
export async function builtInCatalog(): Promise<Catalog> {
  const out: Record<string, DbInfo> = {};
  for (const name of adapterNames) {
    const a = await adapterByName(name);
    out[name] = {
      replication: a.replicationModes,
      defaultReplication: a.description.defaultReplication,
      workloads: a.workloads,
      topologies: topologiesOf(a.description),
    };
  }
  return out;
}

export interface Suite {
  name: string;
  file: string;
  entries: SuiteEntry[];
}

/** The run options a suite sets (in defaults, at the top, in a matrix or an entry), with the defaults of `faultline run`. */
export const BUILT_IN_DEFAULTS = {
  runtime: AUTO,
  nodes: 3,
  reads: 'primary',
  workload: 'append',
  nemesis: 'none',
  timeLimit: 30,
  concurrency: 10,
  rate: 200,
  keys: 5,
  opTimeout: 5,
  nemesisInterval: 5,
  recoveryTimeout: 30,
  repeat: 1,
  expect: 'valid',
} as const;

/** The fields a matrix may list (each list is an axis of the cartesian product). */
export const AXES = ['db', 'replication', 'reads', 'workload', 'nemesis', 'nodes', 'topology', 'writesTo'] as const;
const OPTIONS = [
  'db',
  'adapter',
  'runtime',
  'nodes',
  'replication',
  'reads',
  'workload',
  'nemesis',
  'timeLimit',
  'concurrency',
  'rate',
  'keys',
  'seed',
  'opTimeout',
  'nemesisInterval',
  'recoveryTimeout',
  'sentinel',
  'topology',
  'writesTo',
  'convergeWithin',
  'image',
  'repeat',
  'expect',
] as const;
type OptionName = (typeof OPTIONS)[number];
const TOP = ['$schema', 'name', 'description', 'defaults', 'matrix', 'entries', 'repeat', 'timeLimit', 'seed', 'expect'] as const;

type Problem = { path: string; message: string };

/** A value and where it came from (its path in the file), so a cross-field error names the right line. */
type Sourced = Partial<Record<OptionName, { value: unknown; path: string }>>;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v));

/** Checks one option's value alone (its type and range); returns the problem or undefined. */
function checkOption(name: OptionName, v: unknown, catalog: Catalog): string | undefined {
  const int = (lo: number, hi: number, what: string) =>
    typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi ? undefined : `${show(v)} is not ${what}: a whole number from ${lo} to ${hi}`;
  const secs = (positive: boolean) =>
    typeof v === 'number' && Number.isFinite(v) && (positive ? v > 0 : v >= 0)
      ? undefined
      : `${show(v)} is not a number of seconds ${positive ? '> 0' : '>= 0'}`;
  const oneOf = (choices: readonly string[], what: string) =>
    typeof v === 'string' && choices.includes(v) ? undefined : `${show(v)} is not ${what} (${choices.join(', ')})`;
  switch (name) {
    case 'db':
      return typeof v === 'string' && v !== '' ? undefined : `${show(v)} is not a database name (${Object.keys(catalog).join(', ')}, or an adapter's name)`;
    case 'adapter':
    case 'image':
      return typeof v === 'string' && v !== '' ? undefined : `${show(v)} is not a non-empty string`;
    case 'runtime':
      return oneOf([...runtimeNames, AUTO], 'a runtime');
    case 'nodes':
      return int(1, 9, 'a node count');
    case 'replication':
      return typeof v === 'string' && v !== '' ? undefined : `${show(v)} is not a replication mode (a string)`;
    case 'reads':
      return oneOf(['primary', 'replicas', 'any'], 'where reads go');
    case 'workload':
      return oneOf(Object.keys(WORKLOAD_CHECKS), 'a workload');
    case 'nemesis': {
      if (typeof v !== 'string') return `${show(v)} is not a fault list: 'none' or comma-separated fault packages`;
      const names = v.split(',').map((s) => s.trim());
      if (v.trim() === 'none') return undefined;
      const bad = names.filter((n) => !Object.hasOwn(faultPackages, n));
      return bad.length === 0
        ? undefined
        : `${bad.map(show).join(', ')} ${bad.length === 1 ? 'is not a fault package' : 'are not fault packages'} (${Object.keys(faultPackages).join(', ')}, or none)`;
    }
    case 'timeLimit':
      return secs(true);
    case 'opTimeout':
      return secs(true);
    case 'nemesisInterval':
    case 'recoveryTimeout':
      return secs(false);
    case 'concurrency':
      return int(1, 1000, 'a worker count');
    case 'rate':
      return int(1, 1_000_000, 'a rate (ops/s)');
    case 'keys':
      return int(1, 100_000, 'a key count');
    case 'seed':
      return v === 'random' ? undefined : int(0, 0xffffffff, "a seed (or 'random')");
    case 'sentinel':
      return typeof v === 'boolean' ? undefined : `${show(v)} is not true or false`;
    case 'topology':
      return oneOf(TOPOLOGIES, 'a topology');
    case 'writesTo':
      return oneOf(['session', 'key'], 'where multi-leader writes go');
    case 'convergeWithin':
      return secs(true);
    case 'repeat':
      return int(1, 1000, 'a repetition count');
    case 'expect':
      if (v === 'valid' || v === 'any') return undefined;
      if (isObj(v)) return undefined; // its fields are checked with paths of their own (checkExpect)
      return `${show(v)} is not an expectation: 'valid', 'any' or {"anomalies": [checker names]}`;
  }
}

function checkExpect(v: unknown, path: string, problems: Problem[]): void {
  if (!isObj(v)) return;
  for (const k of Object.keys(v))
    if (k !== 'anomalies') problems.push({ path: childPath(path, k), message: `unknown field '${k}' (an expectation has: anomalies)` });
  const a = v.anomalies;
  if (!Array.isArray(a) || a.length === 0) {
    problems.push({
      path: Object.hasOwn(v, 'anomalies') ? childPath(path, 'anomalies') : path,
      message: 'anomalies must be a non-empty list of checker names',
    });
    return;
  }
  a.forEach((n, i) => {
    if (typeof n !== 'string' || n === '') problems.push({ path: childPath(path, i), message: `${show(n)} is not a checker name` });
  });
}

function toExpectation(v: unknown): Expectation {
  if (v === 'any') return { kind: 'any' };
  if (isObj(v) && Array.isArray(v.anomalies)) return { kind: 'anomalies', anomalies: v.anomalies as string[] };
  return { kind: 'valid' };
}

/** Reads the options of one object (defaults, the top, a matrix, an entry): unknown keys and bad values are problems. */
function readOptions(obj: Record<string, unknown>, path: string, allowed: readonly string[], catalog: Catalog, problems: Problem[], axes = false): Sourced {
  const out: Sourced = {};
  for (const [k, v] of Object.entries(obj)) {
    const p = childPath(path, k);
    if (!allowed.includes(k)) {
      problems.push({ path: p, message: `unknown field '${k}'${suggest(k, allowed)}` });
      continue;
    }
    if (!(OPTIONS as readonly string[]).includes(k)) continue;
    const name = k as OptionName;
    if (axes && Array.isArray(v)) {
      if (!(AXES as readonly string[]).includes(k)) {
        problems.push({ path: p, message: `${k} cannot be a list in a matrix (the axes are ${AXES.join(', ')})` });
        continue;
      }
      if (v.length === 0) problems.push({ path: p, message: `an empty list: a matrix axis needs at least one value` });
      v.forEach((x, i) => {
        const why = checkOption(name, x, catalog);
        if (why) problems.push({ path: childPath(p, i), message: why });
      });
    } else {
      const why = checkOption(name, v, catalog);
      if (why) problems.push({ path: p, message: why });
      if (name === 'expect') checkExpect(v, p, problems);
    }
    out[name] = { value: v, path: p };
  }
  return out;
}

function suggest(k: string, allowed: readonly string[]): string {
  const near = allowed.find((a) => a.toLowerCase() === k.toLowerCase() || distance(a, k) <= 2);
  return near ? `; did you mean '${near}'?` : `; fields: ${allowed.filter((a) => a !== '$schema').join(', ')}`;
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length]!;
}

/** A stable seed from an entry's id, so a suite without seeds runs the same schedules every night. */
function seedOf(id: string): number {
  return createHash('sha256').update(id).digest().readUInt32BE(0);
}

const safeId = (s: string) => s.replace(/[^A-Za-z0-9._+-]+/g, '_');

/** The id of an entry without an explicit one: db-replication-reads-workload-nemesis, and -<n>n for a node count other than 3. */
export function deriveId(e: {
  db: string;
  replication: string;
  reads: string;
  workload: string;
  nemesis: string;
  nodes: number;
  topology?: string;
  writesTo?: string;
}): string {
  const nem = e.nemesis
    .split(',')
    .map((s) => s.trim())
    .join('+');
  const parts = [e.db, ...(e.topology !== undefined ? [e.topology] : []), e.replication, e.reads, e.workload, nem];
  return parts.map(safeId).join('-') + (e.writesTo !== undefined ? `-writes-by-${safeId(e.writesTo)}` : '') + (e.nodes !== 3 ? `-${e.nodes}n` : '');
}

/** Parses and validates a suite's text; `file` is the name errors give. */
export function suiteFromLocated(
  doc: Located,
  file: string,
  catalog: Catalog,
  randomSeed: () => number = () => Math.floor(Math.random() * 0x100000000),
): Suite {
  const problems: Problem[] = [];
  const root = doc.value;
  const fail = (): never => {
    throw suiteError(file, doc.lines, problems);
  };
  if (!isObj(root)) {
    problems.push({ path: '', message: 'a suite file is an object: {"name": ..., "matrix": {...} or "entries": [...]}' });
    fail();
  }
  const top = root as Record<string, unknown>;
  for (const k of Object.keys(top))
    if (!(TOP as readonly string[]).includes(k)) problems.push({ path: childPath('', k), message: `unknown field '${k}'${suggest(k, TOP)}` });
  const name = top.name;
  if (name === undefined) problems.push({ path: '', message: 'the suite has no name (it names the folder its runs go to)' });
  else if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
    problems.push({ path: 'name', message: `${show(name)} is not a suite name: letters, digits, '.', '_' and '-', starting with a letter or digit` });
  if (top.description !== undefined && typeof top.description !== 'string') problems.push({ path: 'description', message: 'the description is a string' });

  // Suite-wide settings: the top-level shorthands, then `defaults` (the same key in both is refused).
  const topOpts = readOptions(
    Object.fromEntries(Object.entries(top).filter(([k]) => ['repeat', 'timeLimit', 'seed', 'expect'].includes(k))),
    '',
    OPTIONS,
    catalog,
    problems,
  );
  let defaults: Sourced = {};
  if (top.defaults !== undefined) {
    if (!isObj(top.defaults)) problems.push({ path: 'defaults', message: 'defaults is an object of run options' });
    else {
      defaults = readOptions(top.defaults, 'defaults', OPTIONS, catalog, problems);
      for (const k of Object.keys(topOpts) as OptionName[])
        if (defaults[k])
          problems.push({ path: defaults[k].path, message: `${k} is given twice: at the top of the suite (line ${lineOf(doc.lines, k)}) and in defaults` });
    }
  }
  const suiteWide: Sourced = { ...topOpts, ...defaults };
  const base = { ...(suiteWide.seed?.value === 'random' ? { randomBase: randomSeed() } : {}) };

  // Each cell or entry: its options on top of the suite-wide ones, with where each came from.
  const cells: Array<{ opts: Sourced; path: string; id?: string; desc?: string }> = [];
  const matrices =
    top.matrix === undefined ? [] : Array.isArray(top.matrix) ? top.matrix.map((m, i) => [m, `matrix[${i}]`] as const) : [[top.matrix, 'matrix'] as const];
  if (top.matrix !== undefined && Array.isArray(top.matrix) && top.matrix.length === 0) problems.push({ path: 'matrix', message: 'an empty list of matrices' });
  for (const [m, mp] of matrices) {
    if (!isObj(m)) {
      problems.push({ path: mp, message: 'a matrix is an object: lists of db, replication, reads, workload, nemesis, nodes, and settings for every cell' });
      continue;
    }
    const opts = readOptions(m, mp, [...OPTIONS, 'exclude'], catalog, problems, true);
    const excludes: Array<Record<string, unknown>> = [];
    if (m.exclude !== undefined) {
      if (!Array.isArray(m.exclude)) problems.push({ path: childPath(mp, 'exclude'), message: 'exclude is a list of objects naming axis values' });
      else
        m.exclude.forEach((x, i) => {
          const xp = childPath(childPath(mp, 'exclude'), i);
          if (!isObj(x)) problems.push({ path: xp, message: 'an exclusion is an object naming axis values, e.g. {"db": "redis", "replication": "sync"}' });
          else {
            for (const k of Object.keys(x))
              if (!(AXES as readonly string[]).includes(k))
                problems.push({ path: childPath(xp, k), message: `unknown field '${k}' (an exclusion names axes: ${AXES.join(', ')})` });
            excludes.push(x);
          }
        });
    }
    // The cartesian product, in the file's order (the first axis varies slowest).
    let product: Array<Sourced> = [{}];
    for (const axis of AXES) {
      const o = opts[axis];
      if (!o) continue;
      const values = Array.isArray(o.value) ? o.value.map((v, i) => ({ value: v as unknown, path: childPath(o.path, i) })) : [{ value: o.value, path: o.path }];
      product = product.flatMap((cell) => values.map((v) => ({ ...cell, [axis]: v })));
    }
    const scalars: Sourced = Object.fromEntries(Object.entries(opts).filter(([k]) => !(AXES as readonly string[]).includes(k)));
    for (const cell of product) {
      if (excludes.some((x) => Object.entries(x).every(([k, v]) => cell[k as OptionName]?.value === v))) continue;
      const desc = `the ${mp} cell ${AXES.filter((a) => cell[a])
        .map((a) => `${a} ${show(cell[a]!.value)}`)
        .join(', ')}`;
      cells.push({ opts: { ...suiteWide, ...scalars, ...cell }, path: mp, desc });
    }
  }
  if (top.entries !== undefined) {
    if (!Array.isArray(top.entries)) problems.push({ path: 'entries', message: 'entries is a list of objects, each a run with its expectation' });
    else
      top.entries.forEach((e, i) => {
        const ep = `entries[${i}]`;
        if (!isObj(e)) {
          problems.push({
            path: ep,
            message: 'an entry is an object of run options (db, replication, reads, workload, nemesis...), with id, expect and repeat',
          });
          return;
        }
        const opts = readOptions(e, ep, [...OPTIONS, 'id'], catalog, problems);
        let id: string | undefined;
        if (e.id !== undefined) {
          if (typeof e.id !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(e.id))
            problems.push({ path: `${ep}.id`, message: `${show(e.id)} is not an id: letters, digits, '.', '_', '+' and '-', starting with a letter or digit` });
          else id = e.id;
        }
        cells.push({ opts: { ...suiteWide, ...opts }, path: ep, id });
      });
  }
  if (top.matrix === undefined && top.entries === undefined)
    problems.push({ path: '', message: 'the suite has no runs: give a "matrix" or "entries" (or both)' });
  if (problems.length > 0) fail();

  // Cross-field rules, per resolved entry; a problem of a matrix value is reported once.
  const entries: SuiteEntry[] = [];
  const idAt = new Map<string, { path: string; desc: string }>();
  for (const c of cells) {
    const o = c.opts;
    const val = <K extends OptionName>(k: K): unknown => (o[k] ? o[k].value : (BUILT_IN_DEFAULTS as Record<string, unknown>)[k]);
    const at = (k: OptionName) => o[k]?.path ?? c.path;
    const adapter = val('adapter') as string | undefined;
    const dbName = val('db') as string | undefined;
    if (dbName === undefined && adapter === undefined) {
      problems.push({ path: c.path, message: `no database: set "db" here, in a matrix or in defaults (${Object.keys(catalog).join(', ')})` });
      continue;
    }
    const info = dbName !== undefined && adapter === undefined ? catalog[dbName] : undefined;
    if (dbName !== undefined && adapter === undefined && !info) {
      problems.push({ path: at('db'), message: `'${dbName}' is not a database (${Object.keys(catalog).join(', ')}; or load one with "adapter")` });
      continue;
    }
    const replication = (val('replication') as string | undefined) ?? info?.defaultReplication;
    if (info && o.replication && !info.replication.includes(replication!))
      problems.push({ path: at('replication'), message: `'${replication}' is not a replication mode of ${dbName} (modes: ${info.replication.join(', ')})` });
    const workload = val('workload') as string;
    if (info && !info.workloads.includes(workload))
      problems.push({ path: at('workload'), message: `${dbName} does not run the ${workload} workload (workloads: ${info.workloads.join(', ')})` });
    const nodes = val('nodes') as number;
    const reads = val('reads') as SuiteEntry['reads'];
    const nemesis = (val('nemesis') as string)
      .split(',')
      .map((s) => s.trim())
      .join(',');
    if (nodes < 2 && reads !== 'primary') problems.push({ path: at('reads'), message: `reads ${reads} needs at least 2 nodes (this entry has ${nodes})` });
    if (nodes < 2 && nemesis.split(',').some((n) => ['partition', 'failover', 'naive-failover', 'split-brain'].includes(n)))
      problems.push({ path: at('nemesis'), message: `partition and failover faults need at least 2 nodes (this entry has ${nodes})` });
    const sentinel = val('sentinel') as boolean | undefined;
    if (sentinel && dbName !== 'redis') problems.push({ path: at('sentinel'), message: 'sentinel is for db redis' });
    const known = info?.topologies ?? ['single-leader'];
    const topology = (val('topology') as Topology | undefined) ?? (info ? known[0]! : undefined);
    if (info && o.topology && !known.includes(topology!))
      problems.push({ path: at('topology'), message: `${dbName} has no ${topology} topology (topologies: ${known.join(', ')})` });
    if (o.writesTo && topology !== 'multi-leader') problems.push({ path: at('writesTo'), message: 'writesTo is for topology multi-leader' });
    if (o.convergeWithin && (topology ?? 'single-leader') === 'single-leader')
      problems.push({ path: at('convergeWithin'), message: 'convergeWithin is for the multi-leader and leaderless topologies' });
    const expectV = val('expect');
    const expect = toExpectation(expectV);
    if (expect.kind === 'anomalies') {
      const checked = checksFor(workload, nemesis, undefined, topology).checkers ?? [];
      expect.anomalies.forEach((a, i) => {
        if (!checked.includes(a) || a === 'stats')
          problems.push({
            path: childPath(childPath(at('expect'), 'anomalies'), i),
            message: `'${a}' is not a checker of the ${workload} workload${nemesis === 'none' ? '' : ` with ${nemesis}`} (checkers: ${checked.filter((x) => x !== 'stats').join(', ')})`,
          });
      });
    }
    const resolvedDb = dbName ?? adapter!;
    const id =
      c.id ??
      deriveId({
        db: resolvedDb,
        replication: replication ?? 'default',
        reads,
        workload,
        nemesis,
        nodes,
        // Only when asked for: the ids of entries that name no topology stay what they were.
        ...(o.topology ? { topology: topology as string } : {}),
        ...(o.writesTo ? { writesTo: val('writesTo') as string } : {}),
      });
    const where = c.id !== undefined ? `${c.path}.id` : c.path;
    const before = idAt.get(id);
    if (before !== undefined) {
      problems.push({
        path: where,
        message: `the id '${id}' is also the id of ${before.desc} (line ${lineOf(doc.lines, before.path)}); ids must be unique: give one of them an "id"${c.id === undefined ? '' : ' of its own'}`,
      });
      continue;
    }
    idAt.set(id, { path: where, desc: c.desc ?? where });
    const seedV = val('seed');
    const seed = seedV === undefined ? seedOf(id) : seedV === 'random' ? (base.randomBase! + seedOf(id)) % 0x100000000 : (seedV as number);
    const opt = <T>(k: OptionName, f: (v: T) => Partial<SuiteEntry>): Partial<SuiteEntry> => (o[k] ? f(o[k].value as T) : {});
    entries.push({
      id,
      db: resolvedDb,
      ...(adapter !== undefined ? { adapter } : {}),
      runtime: val('runtime') as string,
      nodes,
      ...(replication !== undefined ? { replication } : {}),
      reads,
      workload,
      nemesis,
      timeLimitS: val('timeLimit') as number,
      concurrency: val('concurrency') as number,
      rate: val('rate') as number,
      seed,
      repeat: val('repeat') as number,
      expect,
      keys: val('keys') as number,
      opTimeoutS: val('opTimeout') as number,
      nemesisIntervalS: val('nemesisInterval') as number,
      recoveryTimeoutS: val('recoveryTimeout') as number,
      ...opt<boolean>('sentinel', (v) => ({ sentinel: v })),
      ...opt<Topology>('topology', (v) => ({ topology: v })),
      ...opt<'session' | 'key'>('writesTo', (v) => ({ writesTo: v })),
      ...opt<number>('convergeWithin', (v) => ({ convergeWithinS: v })),
      ...opt<string>('image', (v) => ({ image: v })),
    });
  }
  if (problems.length > 0) fail();
  if (entries.length === 0) {
    problems.push({
      path: top.matrix !== undefined ? 'matrix' : 'entries',
      message: 'the suite has no runs (every matrix cell was excluded, or the lists are empty)',
    });
    fail();
  }
  return { name: name as string, file, entries };
}

/** One InputError listing every problem, each as `file:line: path: message`, deduplicated. */
function suiteError(file: string, lines: Lines, problems: Problem[]): InputError {
  const seen = new Set<string>();
  const out: string[] = [];
  // In the file's order (a stable sort keeps the order of problems on one line).
  const located = problems.map((p) => ({ ...p, line: lineOf(lines, p.path) ?? 1 })).sort((a, b) => a.line - b.line);
  for (const p of located) {
    const line = p.line;
    const s = `${file}:${line}: ${p.path === '' ? '' : `${p.path}: `}${p.message}`;
    if (seen.has(s)) continue;
    seen.add(s);
    out.push(s);
  }
  const shown = out.slice(0, 20);
  if (out.length > 20) shown.push(`... and ${out.length - 20} more problems`);
  return new InputError(shown.join('\n'));
}

/** Reads a suite file (JSON, or YAML by its .yaml/.yml name) and validates it; errors are InputErrors naming file, line and field. */
export async function loadSuite(file: string, catalog?: Catalog): Promise<Suite> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new InputError(
      `cannot read the suite file: ${err.code === 'ENOENT' ? 'it does not exist' : err.code === 'EISDIR' ? 'it is a folder' : err.message}`,
      file,
    );
  }
  return suiteFromText(text, file, catalog ?? (await builtInCatalog()));
}

export async function suiteFromText(text: string, file: string, catalog: Catalog): Promise<Suite> {
  let doc: Located;
  try {
    doc = /\.ya?ml$/i.test(file) ? await parseYamlWithLines(text) : parseJsonWithLines(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError)
      throw new InputError(`${file}:${e.line}:${e.column}: not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${e.message}`);
    if (e instanceof YamlUnavailable) throw new InputError(`${file}: ${e.message}`);
    throw e;
  }
  return suiteFromLocated(doc, file, catalog);
}
