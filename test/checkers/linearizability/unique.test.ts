import { describe, expect, it } from 'vitest';
import { generateHardKeyHistory } from '../../../bench/gen/hardkey.js';
import { rng } from '../../../bench/gen/rng.js';
import { checkLinearizability } from '../../../src/checkers/linearizability/index.js';
import { getModel } from '../../../src/checkers/linearizability/models/index.js';
import { linOp, prepare } from '../../../src/checkers/linearizability/prepare.js';
import { decideUnique } from '../../../src/checkers/linearizability/unique.js';
import type { Op, OpType } from '../../../src/history/op.js';
import { h } from '../../support/history.js';

const register = getModel('register')!;
const cas = getModel('cas-register')!;

/** The first pass alone on an unkeyed history: true, false or 'unsure'. */
function firstPass(ops: Op[], model = cas) {
  const p = prepare(ops, model, false);
  const part = p.partitions[0];
  return part === undefined ? { verdict: true as const } : decideUnique(model, { key: part.key, ops: Array.from(part.ids, (id) => linOp(p.columns, id)) });
}
const search = (ops: Op[], model = cas) => checkLinearizability(ops, { model, uniqueFirstPass: false });

/** The rule a false decision names. */
function ruleOf(d: ReturnType<typeof firstPass>): unknown {
  return d.verdict === false ? d.anomaly.data?.rule : undefined;
}

/** Both answers; the first pass's decided answer must be the search's. */
function both(ops: Op[], model = cas) {
  const quick = firstPass(ops, model);
  const full = search(ops, model);
  return { quick: quick.verdict, full: full.valid, decision: quick };
}

describe('unique-values first pass: the rules', () => {
  it('accepts reads of a write that overlap it or follow it', () => {
    const r = both(
      h([
        [0, 'invoke', 'write', 1],
        [1, 'invoke', 'read', null],
        [1, 'ok', 'read', 1],
        [0, 'ok', 'write', 1],
        [1, 'invoke', 'read', null],
        [1, 'ok', 'read', 1],
      ]),
    );
    expect(r).toMatchObject({ quick: true, full: true });
  });

  it('rejects two forward zones that overlap: 1 must be held while 2 must be held', () => {
    // Zone of 1: from the completion of its write (2) to the invocation of its last read (8);
    // zone of 2: from the completion of its write (6) to the invocation of its read (10) — they overlap.
    const ops = h([
      [0, 'invoke', 'write', 1],
      [1, 'invoke', 'write', 2],
      [0, 'ok', 'write', 1],
      [2, 'invoke', 'read', null],
      [2, 'ok', 'read', 2],
      [3, 'invoke', 'read', null],
      [1, 'ok', 'write', 2],
      [3, 'ok', 'read', 1],
      [4, 'invoke', 'read', null],
      [4, 'ok', 'read', 1],
      [2, 'invoke', 'read', null],
      [2, 'ok', 'read', 2],
    ]);
    const r = both(ops);
    expect(r).toMatchObject({ quick: false, full: false });
    const d = r.decision as Extract<typeof r.decision, { verdict: false }>;
    expect(d.anomaly.kind).toBe('nonlinearizable');
    expect(d.anomaly.data?.rule).toBe('forward-overlap');
    expect(d.anomaly.explanation).toMatch(/cannot be linearized: values are written once, so the register must hold/);
    expect(d.anomaly.ops).toEqual(expect.arrayContaining([4, 8, 10]));
  });

  it('rejects a backward zone inside a forward zone', () => {
    // 1 is held from index 1 (its write completes) to index 8 (its last read is invoked); the write of
    // 2 and its read all run inside (3..6), so 2 would have to appear while 1 is held.
    const ops = h([
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write', 1],
      [1, 'invoke', 'write', 2],
      [2, 'invoke', 'read', null],
      [2, 'ok', 'read', 2],
      [1, 'ok', 'write', 2],
      [3, 'invoke', 'read', null],
      [3, 'ok', 'read', 1],
      [3, 'invoke', 'read', null],
      [3, 'ok', 'read', 1],
    ]);
    const r = both(ops);
    expect(r).toMatchObject({ quick: false, full: false });
    expect(ruleOf(r.decision)).toBe('backward-inside');
  });

  it('rejects a stale read (the classic: 1 then 2 written in sequence, 1 read after)', () => {
    const ops = h([
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write', 1],
      [0, 'invoke', 'write', 2],
      [0, 'ok', 'write', 2],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', 1],
    ]);
    expect(both(ops, register)).toMatchObject({ quick: false, full: false });
    const v = checkLinearizability(ops, { model: register });
    expect(v.valid).toBe(false);
    expect(v.stats.uniqueDecided).toBe(1);
    expect(v.anomalies[0].explanation).toContain("process 1's read 1");
  });

  it('rejects a read that completes before its write is invoked', () => {
    const ops = h([
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', 1],
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write', 1],
    ]);
    const r = both(ops, register);
    expect(r).toMatchObject({ quick: false, full: false });
    expect(ruleOf(r.decision)).toBe('order');
  });

  it('rejects a read of a value nobody wrote', () => {
    const ops = h([
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write', 1],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', 7],
    ]);
    expect(both(ops, register)).toMatchObject({ quick: false, full: false });
  });

  it('accepts a cas chain nil->1->2->3 whose reads see each value in turn', () => {
    const ops = h([
      [0, 'invoke', 'cas', [null, 1]],
      [0, 'ok', 'cas', [null, 1]],
      [1, 'invoke', 'cas', [1, 2]],
      [2, 'invoke', 'read', null],
      [2, 'ok', 'read', 1],
      [1, 'ok', 'cas', [1, 2]],
      [0, 'invoke', 'cas', [2, 3]],
      [2, 'invoke', 'read', null],
      [2, 'ok', 'read', 2],
      [0, 'ok', 'cas', [2, 3]],
      [2, 'invoke', 'read', null],
      [2, 'ok', 'read', 3],
    ]);
    expect(both(ops)).toMatchObject({ quick: true, full: true });
  });

  it('rejects a cas chain read out of order, and a value left by two cas ops', () => {
    const outOfOrder = h([
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write', 1],
      [0, 'invoke', 'cas', [1, 2]],
      [0, 'ok', 'cas', [1, 2]],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', 1],
    ]);
    expect(both(outOfOrder)).toMatchObject({ quick: false, full: false });
    const twice = h([
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write', 1],
      [0, 'invoke', 'cas', [1, 2]],
      [1, 'invoke', 'cas', [1, 3]],
      [0, 'ok', 'cas', [1, 2]],
      [1, 'ok', 'cas', [1, 3]],
    ]);
    const r = both(twice);
    expect(r).toMatchObject({ quick: false, full: false });
    expect(ruleOf(r.decision)).toBe('double-cas');
  });

  it('accepts a pending write that a read observed, and drops one nobody observed', () => {
    const ops = h([
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write', 1],
      [1, 'invoke', 'write', 2],
      [1, 'info', 'write', 2],
      [3, 'invoke', 'write', 5],
      [3, 'info', 'write', 5],
      [2, 'invoke', 'read', null],
      [2, 'ok', 'read', 2],
      [2, 'invoke', 'read', null],
      [2, 'ok', 'read', 2],
    ]);
    expect(both(ops)).toMatchObject({ quick: true, full: true });
  });

  it('rejects a pending write read before it was invoked', () => {
    const ops = h([
      [2, 'invoke', 'read', null],
      [2, 'ok', 'read', 2],
      [1, 'invoke', 'write', 2],
      [1, 'info', 'write', 2],
    ]);
    expect(both(ops)).toMatchObject({ quick: false, full: false });
  });

  it('leaves histories outside its assumptions to the search', () => {
    const dup = h([
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write', 1],
      [1, 'invoke', 'write', 1],
      [1, 'ok', 'write', 1],
    ]);
    expect(firstPass(dup).verdict).toBe('unsure');
    const nilWrite = h([
      [0, 'invoke', 'write', null],
      [0, 'ok', 'write', null],
    ]);
    expect(firstPass(nilWrite).verdict).toBe('unsure');
    expect(decideUnique(getModel('set')!, { ops: [] }).verdict).toBe('unsure');
  });
});

describe('unique-values first pass in the checker', () => {
  it('decides a key too hard for the search, and a false one names the ops of the violated rule', () => {
    const o = { ops: 4000, processes: 24, seed: 1503 };
    const ok = checkLinearizability(generateHardKeyHistory(o).ops, { model: cas, memoryLimitBytes: 64 * 2 ** 20 });
    expect(ok.valid).toBe(true);
    expect(ok.stats.uniqueDecided).toBe(1);
    const bad = generateHardKeyHistory({ ...o, mutation: 'stale-cas' });
    const v = checkLinearizability(bad.ops, { model: cas, memoryLimitBytes: 64 * 2 ** 20 });
    expect(v.valid).toBe(false);
    const a = v.anomalies[0];
    expect(a.kind).toBe('nonlinearizable');
    expect(a.ops).toContain(bad.mutatedAt);
    expect(a.data?.firstPass).toBe('unique-values');
    expect(a.explanation).toMatch(/cannot be linearized: values are written once/);
    expect(v.witness?.prefix).toEqual([]);
    expect(a.ops).toContain(v.witness?.op);
  });
});

// ---- Differential test: random small histories, first pass against the general search. ----

interface G {
  proc: number;
  f: 'read' | 'write' | 'cas';
  value: unknown;
  inv: number;
  lin: number;
  ret: number;
  info: boolean;
  applies: boolean;
  failed: boolean;
}

/**
 * A random history of one register: each op takes effect at an instant inside its interval, so it is
 * linearizable as generated; then, half the time, one mutation (a stale or invented read value, a cas
 * whose from is changed, a read or cas moved in time) that usually breaks it.
 */
function randomHistory(seed: number, withCas: boolean): Op[] {
  const r = rng(seed);
  const procs = 3 + Math.floor(r() * 4);
  const n = 8 + Math.floor(r() * 13);
  const clock = new Float64Array(procs);
  const procId = Array.from({ length: procs }, (_, i) => i);
  const ops: G[] = [];
  let nextValue = 1;
  for (let i = 0; i < n; i++) {
    const w = Math.floor(r() * procs);
    const inv = clock[w] + r() * 3;
    const dur = 0.2 + r() * 6;
    const x = r();
    const f = x < 0.4 ? 'read' : !withCas || x < 0.7 ? 'write' : 'cas';
    const info = r() < 0.15;
    ops.push({ proc: procId[w], f, value: null, inv, lin: inv + r() * dur, ret: inv + dur, info, applies: !info || r() < 0.5, failed: false });
    clock[w] = inv + dur;
    if (info) procId[w] += 100;
  }
  let cur: unknown = null;
  const written: unknown[] = [];
  for (const g of [...ops].sort((a, b) => a.lin - b.lin)) {
    if (g.f === 'read') g.value = cur;
    else if (g.f === 'write') {
      g.value = nextValue++;
      written.push(g.value);
      if (g.applies) cur = g.value;
    } else {
      // cas: usually from the current value (succeeds), sometimes from another (fails, or if info never applies).
      const from = r() < 0.65 ? cur : r() < 0.5 && written.length > 0 ? written[Math.floor(r() * written.length)] : null;
      const to = nextValue++;
      written.push(to);
      g.value = [from, to];
      if (from === cur) {
        if (g.applies) cur = to;
      } else {
        g.applies = false;
        if (!g.info) g.failed = true;
      }
    }
  }
  if (r() < 0.5) {
    const oks = ops.filter((g) => !g.info && !g.failed);
    const g = oks[Math.floor(r() * oks.length)];
    const pick = () => (r() < 0.2 ? null : r() < 0.1 ? 999 : written.length ? written[Math.floor(r() * written.length)] : 999);
    if (g && g.f === 'read') g.value = pick();
    else if (g && g.f === 'cas') g.value = [pick(), (g.value as unknown[])[1]];
    else if (g) {
      // Move a write later in its process's idle time: shortens or shifts its interval.
      g.ret = g.inv + (g.ret - g.inv) * r();
    }
  }
  const events: { t: number; op: Omit<Op, 'index'> }[] = [];
  for (const g of ops) {
    const invValue = g.f === 'read' ? null : g.value;
    events.push({ t: g.inv, op: { time: 0, type: 'invoke', process: g.proc, f: g.f, value: invValue } });
    if (g.info && r() < 0.3) continue; // never completed
    const type: OpType = g.info ? 'info' : g.failed ? 'fail' : 'ok';
    events.push({ t: g.ret, op: { time: 0, type, process: g.proc, f: g.f, value: g.info && g.f === 'read' ? null : g.value } });
  }
  events.sort((a, b) => a.t - b.t);
  return events.map((e, index) => ({ ...e.op, index, time: index }));
}

describe('unique-values first pass: never changes a verdict', () => {
  for (const [name, model, withCas] of [
    ['cas-register', cas, true],
    ['register', register, false],
  ] as const) {
    it(`agrees with the general search on 10,000 random ${name} histories`, () => {
      const counts = { decidedTrue: 0, decidedFalse: 0, unsure: 0 };
      for (let seed = 1; seed <= 10_000; seed++) {
        const ops = randomHistory(seed * 7919 + (withCas ? 1 : 0), withCas);
        const quick = firstPass(ops, model);
        const reference = search(ops, model);
        const full = reference.valid;
        if (quick.verdict === 'unsure') {
          counts.unsure++;
          continue;
        }
        if (quick.verdict !== full) throw new Error(`seed ${seed}: first pass ${quick.verdict}, search ${full}\n${JSON.stringify(ops)}`);
        if (quick.verdict) counts.decidedTrue++;
        else counts.decidedFalse++;
        // The whole checker with the pass in front gives the same verdict, and (small keys: the search
        // finds it within its witness quota) the search's own witness.
        const withPass = checkLinearizability(ops, { model });
        expect(withPass.valid).toBe(full);
        expect(withPass.stats.uniqueDecided).toBe(withPass.stats.partitions);
        if (!full) {
          expect(withPass.witness).toEqual(reference.witness);
          expect(withPass.anomalies).toEqual(reference.anomalies);
        }
      }
      console.log(`unique first pass, ${name}:`, counts);
      // Both verdicts are exercised often, and the pass decides (values are unique by construction).
      expect(counts.decidedTrue).toBeGreaterThan(2500);
      expect(counts.decidedFalse).toBeGreaterThan(800);
      expect(counts.unsure).toBe(0);
    });
  }
});
