import { HistoryError, type HistoryWarning } from './errors.js';
import type { Op, OpType, Process } from './op.js';

/** What normalization had to assume, for the loader to report once per file. */
export interface NormalizeNotes {
  /** Ops without :f whose value is a transaction; they got f "txn" (Elle's own histories omit :f). */
  inferredTxn: number;
  /** Line of the first such op. */
  firstInferredLine?: number;
}

/** One warning for a file's inferred :f, or none. */
export function notesWarning(notes: NormalizeNotes, file: string): HistoryWarning | undefined {
  if (notes.inferredTxn === 0) return undefined;
  const line = notes.firstInferredLine ?? 1;
  return {
    file,
    line,
    message: `${notes.inferredTxn} op(s) have no :f; their values are transactions, so they were read as :txn`,
  };
}

function toType(t: unknown): OpType | undefined {
  switch (t) {
    case 'invoke':
    case ':invoke':
      return 'invoke';
    case 'ok':
    case ':ok':
      return 'ok';
    case 'fail':
    case ':fail':
      return 'fail';
    case 'info':
    case ':info':
      return 'info';
    default:
      return undefined;
  }
}

/**
 * Turns one decoded op map (from EDN or JSON) into an Op. `position` is the op's ordinal in the
 * file, used as its index when the map has none. Other keys than index, time, type, process, f,
 * value, error, node and session are dropped; error, node and session are kept when not nil.
 */
export function normalizeOp(raw: unknown, file: string, line: number, position: number, notes?: NormalizeNotes): Op {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw bad(`expected an op map, found ${describe(raw)}`, file, line);
  }
  const m = raw as Record<string, unknown>;

  const t = m.type;
  const type = toType(t);
  if (type === undefined) {
    if (t === undefined || t === null) throw bad(`op has no :type`, file, line);
    throw bad(`:type must be invoke, ok, fail or info, not ${describe(t)}`, file, line);
  }

  const process = toProcess(m.process, file, line);

  let f: string;
  const rf = m.f;
  if (typeof rf === 'string') f = rf.charCodeAt(0) === 58 ? rf.slice(1) : rf;
  else if (typeof rf === 'number') f = String(rf);
  else if (rf === undefined || rf === null) {
    if (notes && isTransaction(m.value)) {
      f = 'txn';
      if (notes.inferredTxn++ === 0) notes.firstInferredLine = line;
    } else throw bad(`op has no :f`, file, line);
  } else throw bad(`:f must be a keyword, string or number, not ${describe(rf)}`, file, line);

  const op: Op = {
    index: toInt(m.index, position, 'index', file, line),
    time: toTime(m.time, file, line),
    type,
    process,
    f,
    value: m.value === undefined ? null : m.value,
  };
  if (m.error !== undefined && m.error !== null) op.error = m.error;
  const node = m.node;
  if (node !== undefined && node !== null) op.node = typeof node === 'string' ? node : String(node);
  const session = m.session;
  // A session is a Map key and a sentence; one beyond 2^53 is refused rather than dropped (which would
  // regroup its ops by process).
  if (typeof session === 'bigint') throw bad(`:session ${session} is too large (at most 2^53 - 1; use a string)`, file, line);
  if (typeof session === 'string' || typeof session === 'number') op.session = session;
  return op;
}

function toProcess(p: unknown, file: string, line: number): Process {
  if (typeof p === 'number') {
    if (Number.isInteger(p)) return p;
    throw bad(`process ${p} is not an integer`, file, line);
  }
  if (typeof p === 'string') {
    const name = p.charCodeAt(0) === 58 ? p.slice(1) : p;
    if (name === 'nemesis') return 'nemesis';
    if (/^-?\d{1,15}$/.test(name)) return Number(name);
    throw bad(`process ${JSON.stringify(p)} is neither a number nor :nemesis`, file, line);
  }
  if (typeof p === 'bigint') throw bad(`process ${p} is too large (at most 2^53 - 1)`, file, line);
  if (p === undefined || p === null) throw bad(`op has no :process`, file, line);
  throw bad(`process must be a number or :nemesis, not ${describe(p)}`, file, line);
}

function toInt(v: unknown, fallback: number, key: string, file: string, line: number): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d{1,15}$/.test(v)) return Number(v);
  if (typeof v === 'bigint') throw bad(`:${key} ${v} is too large (at most 2^53 - 1)`, file, line);
  throw bad(`:${key} must be an integer, not ${describe(v)}`, file, line);
}

function toTime(v: unknown, file: string, line: number): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  // Integers beyond 2^53 arrive as bigints (digit strings from older callers); a time that large only loses precision.
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  throw bad(`:time must be a number, not ${describe(v)}`, file, line);
}

/** `[[:r k v] [:append k v] ...]`: a non-empty list of micro-ops, each led by a keyword. */
function isTransaction(v: unknown): boolean {
  if (!Array.isArray(v) || v.length === 0) return false;
  for (const mop of v) {
    if (!Array.isArray(mop) || mop.length < 2 || typeof mop[0] !== 'string') return false;
  }
  return true;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return 'a vector';
  if (typeof v === 'object') return 'a map';
  const s = typeof v === 'bigint' ? String(v) : JSON.stringify(v);
  return s.length > 40 ? s.slice(0, 37) + '...' : s;
}

function bad(message: string, file: string, line: number): HistoryError {
  return new HistoryError(message, file, line, 'parse');
}
