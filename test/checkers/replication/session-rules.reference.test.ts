import { describe, expect, it } from 'vitest';
import {
  checkConsistentPrefix,
  checkMonotonicReads,
  checkMonotonicWrites,
  checkReadYourWrites,
  checkWritesFollowReads,
} from '../../../src/checkers/replication/index.js';
import type { Op, OpType } from '../../../src/history/op.js';

// The near-linear checkers against the definitions written out by brute force (every pair of ops,
// "earlier" = completed before the later op was invoked, within the session), on small random
// histories of one list key with overlapping ops and sessions of several processes.

interface P {
  session: string | number;
  process: number;
  f: 'append' | 'read';
  type: OpType;
  inv: number;
  done?: number;
  elem?: number;
  list?: number[];
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function generate(seed: number): { ops: Op[]; pairs: P[] } {
  const r = rng(seed);
  const procs = 4;
  const shared = r() < 0.5;
  const sessionOf = (p: number) => (shared ? (p < 2 ? 'a' : 'b') : p);
  const ops: Op[] = [];
  const pairs: P[] = [];
  const open = new Map<number, P>();
  const appended: number[] = [];
  let next = 1;
  const emit = (p: P, type: OpType, value: unknown) => {
    ops.push({ index: ops.length, time: ops.length * 1e6, type, process: p.process, f: p.f, value, session: p.session });
  };
  const steps = 10 + Math.floor(r() * 20);
  for (let i = 0; i < steps || open.size > 0; i++) {
    const p = Math.floor(r() * procs);
    const o = open.get(p);
    if (o) {
      open.delete(p);
      o.done = ops.length;
      if (o.f === 'append') {
        const x = r();
        o.type = x < 0.75 ? 'ok' : x < 0.88 ? 'info' : 'fail';
        emit(o, o.type, ['x', o.elem]);
      } else {
        o.type = r() < 0.9 ? 'ok' : 'info';
        // Mostly prefixes of the append order, sometimes a shuffled subset (a broken replica).
        let list: number[];
        if (r() < 0.6) list = appended.slice(0, Math.floor(r() * (appended.length + 1)));
        else {
          list = appended.filter(() => r() < 0.6);
          for (let k = list.length - 1; k > 0; k--) {
            const j = Math.floor(r() * (k + 1));
            [list[k], list[j]] = [list[j]!, list[k]!];
          }
        }
        o.list = list;
        emit(o, o.type, o.type === 'ok' ? ['x', list] : ['x', null]);
      }
      pairs.push(o);
    } else if (i < steps) {
      const q: P =
        r() < 0.5
          ? { session: sessionOf(p), process: p, f: 'append', type: 'info', inv: ops.length, elem: next++ }
          : { session: sessionOf(p), process: p, f: 'read', type: 'info', inv: ops.length };
      if (q.f === 'append') appended.push(q.elem!);
      open.set(p, q);
      emit(q, 'invoke', ['x', q.f === 'append' ? q.elem : null]);
    }
  }
  return { ops, pairs };
}

const before = (a: P, b: P) => a.done !== undefined && a.done < b.inv;
const sorted = (xs: Iterable<number>) => [...new Set(xs)].sort((a, b) => a - b);

function reference(pairs: P[]) {
  const reads = pairs.filter((p) => p.f === 'read' && p.type === 'ok');
  const appends = pairs.filter((p) => p.f === 'append');
  const same = (a: P, b: P) => a.session === b.session;
  const ryw = reads.filter((r) => appends.some((w) => w.type === 'ok' && same(w, r) && before(w, r) && !r.list!.includes(w.elem!)));
  const mr = reads.filter((r) => reads.some((e) => same(e, r) && before(e, r) && e.list!.some((x) => !r.list!.includes(x))));
  // b's (by element) that some read holds without, or after, an append a of b's session acknowledged before b was invoked.
  const mw = appends.filter(
    (b) =>
      b.type !== 'fail' &&
      reads.some((x) => {
        const j = x.list!.indexOf(b.elem!);
        return j >= 0 && appends.some((a) => a.type === 'ok' && same(a, b) && before(a, b) && !(x.list!.indexOf(a.elem!) >= 0 && x.list!.indexOf(a.elem!) < j));
      }),
  );
  const wfr = appends.filter((b) => {
    if (b.type === 'fail') return false;
    const seen = reads.filter((e) => same(e, b) && before(e, b));
    if (seen.some((e) => e.list!.includes(b.elem!))) return false;
    return reads.some((x) => {
      const j = x.list!.indexOf(b.elem!);
      return j >= 0 && seen.some((e) => e.list!.some((y) => !(x.list!.indexOf(y) >= 0 && x.list!.indexOf(y) < j)));
    });
  });
  return { ryw: sorted(ryw.map((r) => r.inv)), mr: sorted(mr.map((r) => r.inv)), mw: sorted(mw.map((b) => b.elem!)), wfr: sorted(wfr.map((b) => b.elem!)) };
}

describe('session guarantees: near-linear checkers agree with the definitions', () => {
  it('on 3,000 random histories with overlapping ops and shared sessions', () => {
    let anomalies = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const { ops, pairs } = generate(seed);
      const ref = reference(pairs);
      // A read's invocation is the second-largest witness index (it follows the earlier op's completion).
      const laterRead = (ks: { ops: number[] }[]) => sorted(ks.map((a) => a.ops[a.ops.length - 2]!));
      const got = {
        ryw: laterRead(checkReadYourWrites(ops).anomalies),
        mr: laterRead(checkMonotonicReads(ops).anomalies),
        mw: sorted(checkMonotonicWrites(ops).anomalies.map((a) => a.data!.second as number)),
        wfr: sorted(checkWritesFollowReads(ops).anomalies.map((a) => a.data!.append as number)),
      };
      const cp = sorted(
        checkConsistentPrefix(ops)
          .anomalies.filter((a) => a.kind === 'out-of-order')
          .map((a) => a.data!.second as number),
      );
      expect({ seed, ...got, cp }).toEqual({ seed, ...ref, cp: ref.mw });
      anomalies += ref.ryw.length + ref.mr.length + ref.mw.length + ref.wfr.length;
    }
    expect(anomalies).toBeGreaterThan(1000); // the histories do exercise the rules
  });
});
