/**
 * The shape of run.json and results.json, checked before a report, the index of runs or analyze
 * reads them: a stored file may be truncated, hand-edited or from another tool, and a field of the
 * wrong type must become a plain "field X should be Y" message (exit 65), never a TypeError deep in
 * the report code. Returns the first problem, or undefined when the value has the shape we read.
 */

import { stringifyExact } from '../history/exact.js';

type Check = (v: unknown, at: string) => string | undefined;

const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const str: Check = (v, at) => (typeof v === 'string' ? undefined : `${at} should be a string, not ${kind(v)}`);
const num: Check = (v, at) => (typeof v === 'number' && Number.isFinite(v) ? undefined : `${at} should be a number, not ${kind(v)}`);
const bool: Check = (v, at) => (typeof v === 'boolean' ? undefined : `${at} should be true or false, not ${kind(v)}`);
const validity: Check = (v, at) =>
  v === true || v === false || v === 'unknown' ? undefined : `${at} should be true, false or "unknown", not ${stringifyExact(v) ?? kind(v)}`;
const anyObject: Check = (v, at) => (isObject(v) ? undefined : `${at} should be an object, not ${kind(v)}`);

function arrayOf(item: Check): Check {
  return (v, at) => {
    if (!Array.isArray(v)) return `${at} should be an array, not ${kind(v)}`;
    for (let i = 0; i < v.length; i++) {
      const p = item(v[i], `${at}[${i}]`);
      if (p) return p;
    }
    return undefined;
  };
}

function recordOf(item: Check): Check {
  return (v, at) => {
    if (!isObject(v)) return `${at} should be an object, not ${kind(v)}`;
    for (const [k, x] of Object.entries(v)) {
      const p = item(x, `${at}.${k}`);
      if (p) return p;
    }
    return undefined;
  };
}

/** An object whose listed fields, when present (and not null where `optional`), have the given shapes. */
function fields(shape: Record<string, Check>, required: string[] = []): Check {
  return (v, at) => {
    if (!isObject(v)) return `${at} should be an object, not ${kind(v)}`;
    for (const k of required) if (!(k in v)) return `${at}.${k} is missing`;
    for (const [k, c] of Object.entries(shape)) {
      if (v[k] === undefined) continue;
      const p = c(v[k], `${at}.${k}`);
      if (p) return p;
    }
    return undefined;
  };
}

const runShape = fields({
  runId: str,
  command: arrayOf(str),
  seed: num,
  startedAt: str,
  endedAt: str,
  aborted: bool,
  error: str,
  spec: fields({ db: str, workload: str, nemesis: str, replication: str, reads: str, nodes: num, concurrency: num, rate: num, timeLimitS: num }),
  versions: recordOf(str),
  cluster: fields({ database: str, version: str, nodes: arrayOf(fields({ name: str, ip: str, role: str }, ['name'])) }),
});

const verdictShape = fields(
  {
    valid: validity,
    cause: str,
    stats: anyObject,
    anomalies: arrayOf(fields({ kind: str, ops: arrayOf(num), explanation: str }, ['kind', 'ops', 'explanation'])),
    witness: fields({ op: num, prefix: arrayOf(num), states: arrayOf(str) }, ['op', 'prefix', 'states']),
  },
  ['valid', 'anomalies'],
);

const resultsShape = fields({ valid: validity, ops: num, elapsedMs: num, checkedAt: str, verdicts: recordOf(verdictShape) }, ['valid', 'verdicts']);

// The stats the report draws (staleness per node, availability windows).
const statsShape = fields({
  staleness: fields({ stats: fields({ perNode: recordOf(anyObject) }) }),
  availability: fields({ stats: fields({ windows: arrayOf(anyObject) }) }),
});

/** The first problem with a parsed run.json, or undefined. */
export function runProblem(v: unknown): string | undefined {
  return runShape(v, 'run.json');
}

/** The first problem with a parsed results.json, or undefined. */
export function resultsProblem(v: unknown): string | undefined {
  return resultsShape(v, 'results.json') ?? statsShape((v as { verdicts: unknown }).verdicts, 'results.json.verdicts');
}
