import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../errors.js';
import { WORKLOADS } from '../generators/workloads/index.js';
import { ISOLATION_LEVELS } from './txn.js';
import type { Adapter } from './types.js';

// `faultline run --adapter PATH|PACKAGE` (issue 12): a database adapter from outside the repository, an ES
// module whose default export (or named export `adapter`) is an Adapter (src/adapters/types.ts). This file
// reads the host's filesystem to find and load that module, where faultline itself runs; it never acts on a
// node (eslint.config.js allows node:fs here and nowhere else under src/adapters).

/** The workloads faultline can generate: what an adapter's `workloads` may name. */
const KNOWN_WORKLOADS = Object.keys(WORKLOADS);
const ABILITIES = ['failover', 'clock'];
const LINKS = ['client', 'replication'];

export interface LoadedAdapter {
  adapter: Adapter;
  /** The module file that was imported (absolute), for run.json. */
  file: string;
}

/**
 * Loads the adapter named by `spec`: a path relative to `cwd` (a module file, or a folder with a package.json
 * `exports`/`main` or an index.js), else a package name resolved from `cwd` as Node resolves a bare import
 * there (node_modules folders upwards). Every problem is one UsageError (exit 64) naming what is wrong.
 */
export async function loadAdapter(spec: string, cwd: string = process.cwd()): Promise<LoadedAdapter> {
  if (spec.trim() === '') throw new UsageError('--adapter expects a path or a package name');
  const file = locate(spec, cwd);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    throw new UsageError(`--adapter ${spec}: ${file} could not be loaded as an ES module: ${msg}`);
  }
  // The default export when it is an object, else a named `adapter`, else whatever the default is (to say what is wrong with it).
  const useDefault = isObject(mod.default) || (mod.adapter === undefined && mod.default !== undefined);
  const exported = useDefault ? mod.default : mod.adapter;
  const name = useDefault ? 'default export' : "export 'adapter'";
  if (exported === undefined) {
    const names = Object.keys(mod).sort();
    throw new UsageError(
      `--adapter ${spec}: ${file} has no default export and no export named 'adapter' ` +
        `(it exports ${names.length ? names.map((n) => `'${n}'`).join(', ') : 'nothing'}); export the adapter object as default`,
    );
  }
  const problems = adapterProblems(exported);
  if (problems.length > 0) {
    throw new UsageError(`--adapter ${spec}: the ${name} of ${file} is not a faultline Adapter: ${problems.join('; ')} (see docs/adapters.md)`);
  }
  return { adapter: exported as Adapter, file };
}

/** The module file `spec` names, or a UsageError. */
function locate(spec: string, cwd: string): string {
  const asPath = resolve(cwd, spec);
  const pathLike = isAbsolute(spec) || spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../');
  if (existsSync(asPath)) return statSync(asPath).isDirectory() ? entryOf(asPath, spec) : asPath;
  if (pathLike) throw new UsageError(`--adapter ${spec}: no such file or folder (${asPath})`);
  // A package name (e.g. faultline-adapter-etcd or @me/etcd): its folder in node_modules from cwd upwards.
  const pkg = /^(@[^/]+\/)?[^/@.][^/]*$/.test(spec) ? spec : undefined;
  if (pkg) {
    const req = createRequire(join(cwd, 'noop.js'));
    for (const base of req.resolve.paths(pkg) ?? []) {
      const dir = join(base, pkg);
      if (existsSync(join(dir, 'package.json'))) return entryOf(dir, spec);
    }
  }
  throw new UsageError(`--adapter ${spec}: not a file or folder under ${cwd}, and no package of that name installed there (node_modules)`);
}

/** The module a folder stands for: its package.json's exports['.'] (import/default) or main, else index.js. */
function entryOf(dir: string, spec: string): string {
  const pj = join(dir, 'package.json');
  let entry: string | undefined;
  if (existsSync(pj)) {
    let pkg: { exports?: unknown; main?: unknown };
    try {
      pkg = JSON.parse(readFileSync(pj, 'utf8')) as typeof pkg;
    } catch (e) {
      throw new UsageError(`--adapter ${spec}: ${pj} is not valid JSON: ${(e as Error).message}`);
    }
    entry = exportsEntry(pkg.exports) ?? (typeof pkg.main === 'string' ? pkg.main : undefined);
  }
  entry ??= ['index.js', 'index.mjs'].find((n) => existsSync(join(dir, n)));
  if (!entry) throw new UsageError(`--adapter ${spec}: the folder ${dir} has no index.js and no package.json naming its module (exports or main)`);
  const file = resolve(dir, entry);
  if (!existsSync(file) || statSync(file).isDirectory()) throw new UsageError(`--adapter ${spec}: ${file} (named by ${dir}) is not a file`);
  return file;
}

/** The ESM entry of a package.json `exports`: a string, or `.`'s import/node/default condition (one level deep). */
function exportsEntry(exp: unknown): string | undefined {
  if (typeof exp === 'string') return exp;
  if (!isObject(exp)) return undefined;
  const dot = '.' in exp ? exp['.'] : Object.keys(exp).some((k) => k.startsWith('.')) ? undefined : exp;
  if (typeof dot === 'string') return dot;
  if (!isObject(dot)) return undefined;
  for (const c of ['import', 'node', 'default']) {
    const v = dot[c];
    if (typeof v === 'string') return v;
    if (isObject(v) && typeof v.default === 'string') return v.default;
  }
  return undefined;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');

/** What keeps `x` from being an Adapter, each in a few words; empty when it is one. */
export function adapterProblems(x: unknown): string[] {
  if (!isObject(x)) return [`it is ${x === null ? 'null' : typeof x}, not an object`];
  const out: string[] = [];
  if (typeof x.name !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/i.test(x.name)) {
    out.push(`name must be a non-empty string of letters, digits, '.', '_' or '-' (got ${JSON.stringify(x.name) ?? 'nothing'})`);
  }
  const d = x.description;
  if (!isObject(d)) out.push('description is missing (an object with defaultReplication, clientPort, proxiedLinks and abilities)');
  else {
    if (typeof d.defaultReplication !== 'string') out.push('description.defaultReplication must be a string');
    if (typeof d.clientPort !== 'number' || !Number.isInteger(d.clientPort) || d.clientPort < 1 || d.clientPort > 65535) {
      out.push('description.clientPort must be a port number (1-65535)');
    }
    const port = (p: unknown) => typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= 65535;
    if (d.hostPorts !== undefined && (!Array.isArray(d.hostPorts) || !d.hostPorts.every(port))) {
      out.push('description.hostPorts, when given, must be an array of port numbers (1-65535)');
    }
    if (!isStrings(d.proxiedLinks) || d.proxiedLinks.some((l) => !LINKS.includes(l))) {
      out.push(`description.proxiedLinks must be an array of ${LINKS.map((l) => `'${l}'`).join(', ')} (or empty)`);
    }
    if (!isStrings(d.abilities) || d.abilities.some((a) => !ABILITIES.includes(a))) {
      out.push(`description.abilities must be an array of ${ABILITIES.map((a) => `'${a}'`).join(', ')} (or empty)`);
    }
    const documented = (m: unknown) => isObject(m) && typeof m.model === 'string' && typeof m.why === 'string';
    if (
      d.isolation !== undefined &&
      (!isObject(d.isolation) ||
        Array.isArray(d.isolation) ||
        Object.entries(d.isolation).some(([l, m]) => !(ISOLATION_LEVELS as readonly string[]).includes(l) || !documented(m)))
    ) {
      out.push(`description.isolation, when given, must map isolation levels (${ISOLATION_LEVELS.join(', ')}) to { model, why } strings`);
    }
  }
  if (!isStrings(x.replicationModes) || x.replicationModes.length === 0) out.push('replicationModes must be a non-empty array of strings');
  else if (isObject(d) && typeof d.defaultReplication === 'string' && !x.replicationModes.includes(d.defaultReplication)) {
    out.push(`description.defaultReplication '${d.defaultReplication}' is not one of replicationModes`);
  }
  if (!isStrings(x.workloads) || x.workloads.length === 0) out.push(`workloads must be a non-empty array of workload names (${KNOWN_WORKLOADS.join(', ')})`);
  else {
    const unknown = x.workloads.filter((w) => !KNOWN_WORKLOADS.includes(w));
    if (unknown.length) out.push(`workloads names ${unknown.map((w) => `'${w}'`).join(', ')}, which faultline has not (${KNOWN_WORKLOADS.join(', ')})`);
  }
  for (const f of ['unavailable', 'setup'] as const) if (typeof x[f] !== 'function') out.push(`${f} must be a function`);
  return out;
}
