import type { Anomaly } from '../types.js';
import type { LinWitness } from './index.js';
import type { Model } from './model.js';
import { casRegister } from './models/cas-register.js';
import { register } from './models/register.js';
import { NIL, show, type Token } from './models/value.js';
import type { LinOp } from './prepare.js';
import { when, who } from './witness.js';

/**
 * A polynomial first pass for one register (register or cas-register) whose written values are
 * unique: Gibbons and Korach's zones ("Testing shared memories", SIAM J. Comput. 26(4), 1997), with
 * the read-mapping that unique values give for free, extended to compare-and-set.
 *
 * Every read maps to the one op that wrote its value. A successful cas a->b reads a and writes b, so
 * b directly follows a in the register's version order: cas links glue values into chains ("blocks":
 * a value written by a write, or the initial nil, then the values each cas wrote from the previous).
 * In any linearization a block's ops occupy one stretch of time that no other block's op enters (a
 * foreign write inside it would leave no way back to the block's values, which are written once).
 * With f = the earliest completion and s = the latest invocation among a block's ops:
 *
 * - a forward block (f < s) holds the register throughout [f, s];
 * - a backward block (s < f) fits in an instant anywhere in (s, f), where all its ops are running.
 *
 * The history is linearizable iff (1) every value read (or cas'd from) was written, (2) no value is
 * cas'd from by two ops that took effect, (3) within a block, no op completes before an op that must
 * precede it (its value's writer, or the ops of an earlier value of the chain) is invoked, (4) no two
 * forward zones intersect, and (5) no backward zone lies inside a forward zone. Necessity is the
 * argument above; sufficiency: put each forward block just around [f, s] (its ops in block order,
 * each as late as its predecessors force, which (3) makes possible) and each backward block at a free
 * instant of (s, f) — (4) and (5) leave one, because forward stretches are disjoint and each is bounded
 * by events, so only a single forward stretch can cover all of (s, f).
 *
 * Info ops: one whose written value nobody observes (no read, no cas from it that must take effect)
 * can be left out of any linearization, so it is dropped; an observed one must take effect and gets
 * an infinite completion. Info reads and reads of nil are dropped by the models already. Failed ops
 * did not happen (dropped by prepare).
 *
 * Anything outside these assumptions (another model, a value written twice, nil written, an op shape
 * it does not know) returns 'unsure' and the general search runs unchanged. The pass never decides a
 * history the search would decide otherwise (test/checkers/linearizability/unique.test.ts compares
 * both on thousands of random histories).
 */
export type UniqueDecision = { verdict: true } | { verdict: false; anomaly: Anomaly; witness: LinWitness } | { verdict: 'unsure'; reason: string };

interface Block {
  /** Values in version order; values[0] is NIL for the initial block. */
  values: Token[];
  /** Ops by level: writer of values[0], its readers, writer of values[1] (a cas), its readers, ... */
  levels: LinOp[][];
  /** Earliest completion and latest invocation among the block's ops, and the ops giving them. */
  f: number;
  s: number;
  fOp?: LinOp;
  sOp?: LinOp;
}

const unsure = (reason: string): UniqueDecision => ({ verdict: 'unsure', reason });

function inv(o: LinOp): number {
  return o.callPos;
}
function res(o: LinOp): number {
  return o.retPos;
}

/** A key's ops as LinOp objects (built from the prepared columns for this pass only). */
export interface UniquePart {
  key?: string;
  ops: LinOp[];
}

export function decideUnique(model: Model, part: UniquePart): UniqueDecision {
  if (model !== register && model !== casRegister) return unsure('not a register model');
  const ops = part.ops;
  // Writers by value (write v, or cas _->v), including info ones: values must be unique among all.
  const writer = new Map<Token, LinOp>();
  const reads: LinOp[] = [];
  const cases: LinOp[] = [];
  for (const o of ops) {
    const { f, value } = o.op;
    if (f === 'write') {
      if (value === NIL || writer.has(value as Token)) return unsure('a value is written twice, or nil is written');
      writer.set(value as Token, o);
    } else if (f === 'cas') {
      const v = value as readonly Token[];
      if (!Array.isArray(v) || v.length !== 2) return unsure('a cas of an unknown shape');
      if (v[1] === NIL || writer.has(v[1])) return unsure('a value is written twice, or nil is written');
      writer.set(v[1], o);
      cases.push(o);
    } else if (f === 'read') {
      // The models drop info reads and reads of nil; anything else here is a shape this pass leaves alone.
      if (o.op.info || value === NIL) return unsure('a read the model did not drop');
      reads.push(o);
    } else {
      return unsure(`an op ${f}`);
    }
  }

  // Observers of each value: ok reads, and cas ops from it that are kept. An info writer nobody
  // observes is dropped (it may never have taken effect, and nothing depends on it); dropping an info
  // cas removes an observer of its from-value, which may drop that value's info writer in turn.
  const observers = new Map<Token, number>();
  const bump = (v: Token, d: number) => observers.set(v, (observers.get(v) ?? 0) + d);
  for (const r of reads) bump(r.op.value as Token, 1);
  for (const c of cases) bump((c.op.value as Token[])[0], 1);
  const dropped = new Set<LinOp>();
  const queue: Token[] = [];
  for (const [v, w] of writer) if (w.op.info && !observers.get(v)) queue.push(v);
  while (queue.length > 0) {
    const v = queue.pop()!;
    const w = writer.get(v)!;
    dropped.add(w);
    writer.delete(v);
    if (w.op.f === 'cas') {
      const from = (w.op.value as Token[])[0];
      bump(from, -1);
      const fw = writer.get(from);
      if (fw && fw.op.info && !observers.get(from)) queue.push(from);
    }
  }

  // Rule 1: every value read or cas'd from was written (or is the initial nil, for a cas).
  for (const r of reads) {
    if (!writer.has(r.op.value as Token)) return fail(model, part, [r], r, 'unwritten', [show(r.op.value)]);
  }
  const casFrom = new Map<Token, LinOp>();
  for (const c of cases) {
    if (dropped.has(c)) continue;
    const from = (c.op.value as Token[])[0];
    if (from !== NIL && !writer.has(from)) return fail(model, part, [c], c, 'unwritten', [show(from)]);
    // Rule 2: a value is left by at most one cas; values are written once, so a second finds it gone.
    const other = casFrom.get(from);
    if (other) {
      const [a, b] = inv(other) < inv(c) ? [other, c] : [c, other];
      return fail(model, part, [a, b], b, 'double-cas', [show(from)]);
    }
    casFrom.set(from, c);
  }
  const readersOf = new Map<Token, LinOp[]>();
  for (const r of reads) {
    const v = r.op.value as Token;
    const list = readersOf.get(v);
    if (list) list.push(r);
    else readersOf.set(v, [r]);
  }

  // Blocks: from each value a write wrote (and from nil when a cas leaves it), follow the cas chain.
  const blocks: Block[] = [];
  let placed = 0;
  const starts: Token[] = [];
  if (casFrom.has(NIL)) starts.push(NIL);
  for (const [v, w] of writer) if (w.op.f === 'write') starts.push(v);
  for (const start of starts) {
    const values: Token[] = [];
    const levels: LinOp[][] = [];
    for (let v: Token | undefined = start; v !== undefined;) {
      values.push(v);
      if (v !== NIL) {
        levels.push([writer.get(v)!]);
        placed++;
      } else {
        levels.push([]);
      }
      levels.push(readersOf.get(v) ?? []);
      const next = casFrom.get(v);
      v = next ? (next.op.value as Token[])[1] : undefined;
    }
    blocks.push({ values, levels, f: Infinity, s: -Infinity });
  }
  // A kept cas whose value no chain reached sits on a cycle of cas ops: none of them can go first.
  if (placed !== writer.size) {
    const inChain = new Set<Token>(blocks.flatMap((b) => b.values));
    const lost = [...writer.entries()].find(([v]) => !inChain.has(v))!;
    return fail(model, part, [lost[1]], lost[1], 'cycle', [show(lost[0])]);
  }

  // Rule 3, and each block's zone. The initial block's level 0 is the implicit write at -infinity.
  for (const b of blocks) {
    let maxInv = -Infinity;
    let maxInvOp: LinOp | undefined;
    if (b.values[0] === NIL) b.f = -Infinity;
    for (const level of b.levels) {
      for (const o of level) {
        if (maxInvOp && res(o) < maxInv) return fail(model, part, [maxInvOp, o], o, 'order', b.values.map(show), maxInvOp);
      }
      for (const o of level) {
        if (inv(o) > maxInv) {
          maxInv = inv(o);
          maxInvOp = o;
        }
        if (res(o) < b.f) {
          b.f = res(o);
          b.fOp = o;
        }
      }
    }
    b.s = maxInv;
    b.sOp = maxInvOp;
  }

  // Rules 4 and 5. Forward zones sorted by f must not intersect; then the only forward zone that can
  // contain a backward zone (s, f) is the last one starting before s.
  const forward = blocks.filter((b) => b.f < b.s).sort((x, y) => x.f - y.f);
  let widest: Block | undefined;
  for (const b of forward) {
    if (widest && b.f < widest.s) return zoneFail(model, part, 'forward-overlap', widest, b);
    if (!widest || b.s > widest.s) widest = b;
  }
  for (const b of blocks) {
    if (!(b.s < b.f)) continue;
    let lo = 0;
    let hi = forward.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (forward[mid].f < b.s) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (at >= 0 && forward[at].s > b.f) return zoneFail(model, part, 'backward-inside', forward[at], b);
  }
  return { verdict: true };
}

type Rule = 'unwritten' | 'double-cas' | 'cycle' | 'order' | 'forward-overlap' | 'backward-inside';

function indices(os: (LinOp | undefined)[]): number[] {
  const out = new Set<number>();
  for (const o of os) {
    if (!o) continue;
    out.add(o.invokeIndex);
    if (o.completeIndex !== undefined) out.add(o.completeIndex);
  }
  return [...out].sort((a, b) => a - b);
}

/** Values in version order, long chains shortened: "1 then 2 then 3 ... then 9 (40 values)". */
function chain(values: string[]): string {
  if (values.length <= MAX_SHOWN) return values.join(' then ');
  return `${values.slice(0, 3).join(' then ')} ... then ${values[values.length - 1]} (${values.length} values)`;
}

/** At most MAX_SHOWN values, the first and the last ones, for the witness's states. */
function few(values: string[]): string[] {
  return values.length <= MAX_SHOWN ? values : [...values.slice(0, MAX_SHOWN - 1), values[values.length - 1]];
}

const MAX_SHOWN = 8;

function fail(model: Model, part: UniquePart, witnessOps: LinOp[], bad: LinOp, rule: Rule, values: string[], before?: LinOp): UniqueDecision {
  const where = part.key !== undefined ? `On key ${part.key}, ` : '';
  const w = (o: LinOp) => `${who(o, model)} at index ${o.invokeIndex}`;
  let why: string;
  switch (rule) {
    case 'unwritten':
      why = `no operation wrote ${values[0]}, and the ${model.name} never held it`;
      break;
    case 'double-cas':
      why = `${w(witnessOps[0])} also changed the register from ${values[0]}, which is written only once, so the second finds it gone`;
      break;
    case 'cycle':
      why = `its value is written only by a cycle of cas operations, none of which can take effect first`;
      break;
    case 'order':
      why =
        `it completed before ${w(before!)} was invoked, yet the register holds its values in the order ${chain(values)} ` +
        `(each written once), so that op must take effect before it`;
      break;
    default:
      why = '';
  }
  const explanation = `${where}${who(bad, model)} (${when(bad)}) cannot be linearized: ${why}.`;
  return {
    verdict: false,
    anomaly: { kind: 'nonlinearizable', ops: indices(witnessOps), explanation, data: { key: part.key, states: few(values), rule, firstPass: 'unique-values' } },
    witness: { key: part.key, op: bad.invokeIndex, prefix: [], states: few(values) },
  };
}

function zoneFail(model: Model, part: UniquePart, rule: Rule, a: Block, b: Block): UniqueDecision {
  const where = part.key !== undefined ? `On key ${part.key}, ` : '';
  const w = (o: LinOp) => who(o, model);
  const vals = (x: Block) => chain(x.values.map(show));
  const stretch = (x: Block) =>
    x.fOp
      ? `from the completion of ${w(x.fOp)} (index ${x.fOp.completeIndex}) to the invocation of ${w(x.sOp!)} (index ${x.sOp!.invokeIndex})`
      : `from the start to the invocation of ${w(x.sOp!)} (index ${x.sOp!.invokeIndex})`;
  let explanation: string;
  let bad: LinOp;
  if (rule === 'forward-overlap') {
    bad = b.sOp!;
    explanation =
      `${where}${w(bad)} (${when(bad)}) cannot be linearized: values are written once, so the register must hold ${vals(a)} ${stretch(a)}, ` +
      `and ${vals(b)} ${stretch(b)}; these stretches overlap, and a register holds one value at a time.`;
  } else {
    bad = b.fOp!;
    explanation =
      `${where}${w(bad)} (${when(bad)}) cannot be linearized: values are written once, so the register must hold ${vals(a)} ${stretch(a)}, ` +
      `and the ops of ${vals(b)} must all take effect between the invocation of ${w(b.sOp!)} (index ${b.sOp!.invokeIndex}) ` +
      `and the completion of ${w(b.fOp!)} (index ${b.fOp!.completeIndex}), which lies inside that stretch.`;
  }
  const states = [...few(a.values.map(show)), ...few(b.values.map(show))];
  return {
    verdict: false,
    anomaly: {
      kind: 'nonlinearizable',
      ops: indices([a.fOp, a.sOp, b.fOp, b.sOp]),
      explanation,
      data: { key: part.key, states, rule, firstPass: 'unique-values' },
    },
    witness: { key: part.key, op: bad.invokeIndex, prefix: [], states },
  };
}
