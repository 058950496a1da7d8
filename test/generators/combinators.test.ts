import { describe, expect, it } from 'vitest';
import type { Op } from '../../src/history/op.js';
import {
  any,
  clients,
  cycle,
  eachThread,
  finalGen,
  fromFn,
  limit,
  mix,
  nemesis,
  nemesisCycle,
  once,
  phases,
  repeat,
  reserve,
  simulate,
  sleep,
  stagger,
  timeLimit,
} from '../../src/generators/index.js';

const invokes = (h: Op[]): Op[] => h.filter((o) => o.type === 'invoke');
const fs = (h: Op[]): string[] => invokes(h).map((o) => o.f);
const always = (f: string) => fromFn(() => ({ f }));
const ms = 1e6;

describe('leaves', () => {
  it('once emits one op, repeat re-emits it, limit bounds it', () => {
    expect(fs(simulate(clients(once({ f: 'a' })), { concurrency: 3, seed: 1 }))).toEqual(['a']);
    expect(fs(simulate(clients(repeat(once({ f: 'a' }), 4)), { concurrency: 3, seed: 1 }))).toEqual(['a', 'a', 'a', 'a']);
    expect(fs(simulate(clients(limit(5, always('x'))), { concurrency: 2, seed: 1 }))).toHaveLength(5);
  });

  it('fromFn stops when the function returns null, and its values come from ctx.rng', () => {
    let n = 0;
    const g = fromFn((ctx) => (n++ < 3 ? { f: 'w', value: ctx.rng.int(1000) } : null));
    expect(fs(simulate(clients(g), { concurrency: 1, seed: 1 }))).toEqual(['w', 'w', 'w']);
  });

  it('an op goes only to a free process: no process invokes twice without completing', () => {
    const h = simulate(clients(limit(200, always('x'))), { concurrency: 4, seed: 3, latencyNs: (o) => (((o.process as number) % 3) + 1) * ms });
    const open = new Set<unknown>();
    for (const o of h) {
      if (o.type === 'invoke') {
        expect(open.has(o.process)).toBe(false);
        open.add(o.process);
      } else open.delete(o.process);
    }
    expect(invokes(h)).toHaveLength(200);
  });
});

describe('combinators', () => {
  it('mix draws from every generator', () => {
    const h = simulate(clients(limit(300, mix([always('a'), always('b'), always('c')]))), { concurrency: 5, seed: 7 });
    const count = (f: string) => fs(h).filter((x) => x === f).length;
    for (const f of ['a', 'b', 'c']) expect(count(f)).toBeGreaterThan(60);
  });

  it('mix drops an exhausted generator and carries on with the others', () => {
    const h = simulate(clients(limit(50, mix([once({ f: 'one' }), always('b')]))), { concurrency: 2, seed: 2 });
    expect(fs(h).filter((f) => f === 'one')).toHaveLength(1);
    expect(fs(h)).toHaveLength(50);
  });

  it('stagger spaces ops at the given overall rate (exponential and uniform)', () => {
    for (const gaps of ['exponential', 'uniform'] as const) {
      const h = simulate(clients(timeLimit(10e9, stagger(100, always('x'), gaps))), { concurrency: 10, seed: 11, latencyNs: 1e5 });
      const n = invokes(h).length;
      expect(n).toBeGreaterThan(850);
      expect(n).toBeLessThan(1150);
      const ts = invokes(h).map((o) => o.time);
      for (let i = 1; i < ts.length; i++) expect(ts[i]!).toBeGreaterThanOrEqual(ts[i - 1]!);
    }
  });

  it('timeLimit stops issuing at the cutoff, counted from its first op', () => {
    const h = simulate(phases(sleep(5e9), clients(timeLimit(1e9, always('x')))), { concurrency: 2, seed: 1, latencyNs: 10 * ms });
    const ts = invokes(h).map((o) => o.time);
    expect(Math.min(...ts)).toBe(5e9);
    expect(Math.max(...ts)).toBeLessThan(6e9);
    expect(ts.length).toBeGreaterThan(150);
  });

  it('timeLimit ends even while its generator is pending', () => {
    const h = simulate(phases(nemesis(timeLimit(1e9, nemesisCycle([{ f: 'start' }], 5e9))), clients(once({ f: 'after' }))), { concurrency: 1, seed: 1 });
    expect(fs(h)).toEqual(['after']);
    expect(h[0]!.time).toBe(1e9);
  });

  it('phases waits until every op of a phase has completed before the next begins', () => {
    const h = simulate(phases(clients(limit(6, always('a'))), clients(limit(3, always('b')))), {
      concurrency: 3,
      seed: 5,
      latencyNs: (o) => (o.f === 'a' ? 7 * ms : ms),
    });
    const lastA = Math.max(...h.filter((o) => o.f === 'a' && o.type !== 'invoke').map((o) => o.time));
    const firstB = Math.min(...h.filter((o) => o.f === 'b').map((o) => o.time));
    expect(firstB).toBeGreaterThanOrEqual(lastA);
    expect(fs(h).join('')).toBe('aaaaaabbb');
  });

  it('eachThread gives every thread its own copy', () => {
    const h = simulate(clients(eachThread(once({ f: 'hello' }))), { concurrency: 4, seed: 1 });
    expect(
      invokes(h)
        .map((o) => o.process)
        .sort(),
    ).toEqual([0, 1, 2, 3]);
  });

  it('eachThread copies survive process renumbering after info', () => {
    const h = simulate(clients(eachThread(limit(2, always('x')))), { concurrency: 2, seed: 1, complete: () => ({ type: 'info' }) });
    expect(
      invokes(h)
        .map((o) => o.process)
        .sort(),
    ).toEqual([0, 1, 2, 3]);
  });

  it('reserve gives the first n threads to one generator and the rest to another', () => {
    const h = simulate(clients(limit(100, reserve(2, always('w'), always('r')))), { concurrency: 5, seed: 4 });
    for (const o of invokes(h)) expect(o.f).toBe((o.process as number) < 2 ? 'w' : 'r');
    expect(new Set(invokes(h).map((o) => o.f))).toEqual(new Set(['w', 'r']));
  });

  it('clients and nemesis route ops to their threads only', () => {
    const h = simulate(limit(40, clients(always('c'), always('n'))), { concurrency: 3, seed: 1 });
    for (const o of invokes(h)) expect(o.f === 'n').toBe(o.process === 'nemesis');
    expect(fs(h)).toContain('n');
  });

  it('any takes the soonest op and keeps pending state', () => {
    const h = simulate(limit(3, any(nemesis(sleep(1e9)), clients(stagger(1, always('c'))))), { concurrency: 1, seed: 1 });
    expect(fs(h)).toEqual(['c', 'c', 'c']);
  });

  it('nemesisCycle alternates its steps on the nemesis, an interval after each completes', () => {
    const g = any(
      nemesis(timeLimit(35e9, nemesisCycle([{ f: 'start-partition' }, { f: 'stop-partition' }], 10e9))),
      clients(timeLimit(35e9, stagger(10, always('r')))),
    );
    const h = simulate(g, { concurrency: 2, seed: 9, latencyNs: 100 * ms });
    const nem = invokes(h).filter((o) => o.process === 'nemesis');
    expect(nem.map((o) => o.f)).toEqual(['start-partition', 'stop-partition', 'start-partition']);
    expect(nem.map((o) => o.time)).toEqual([10e9, 20.1e9, 30.2e9]);
  });

  it('cycle restarts a finite generator', () => {
    const h = simulate(clients(limit(5, cycle(phases(once({ f: 'a' }), once({ f: 'b' }))))), { concurrency: 1, seed: 1 });
    expect(fs(h)).toEqual(['a', 'b', 'a', 'b', 'a']);
  });

  it('finalGen heals, waits, then reads after the main phase', () => {
    const main = any(clients(timeLimit(2e9, stagger(50, always('w')))), nemesis(timeLimit(2e9, nemesisCycle([{ f: 'start' }, { f: 'stop' }], 0.5e9))));
    const g = finalGen(main, { heal: once({ f: 'stop' }), quietNs: 1e9, reads: once({ f: 'read' }) });
    const h = simulate(g, { concurrency: 3, seed: 2 });
    const f = fs(h);
    expect(f.slice(-2)).toEqual(['stop', 'read']);
    const heal = invokes(h).at(-2)!;
    const read = invokes(h).at(-1)!;
    expect(heal.process).toBe('nemesis');
    expect(read.time - heal.time).toBeGreaterThanOrEqual(1e9);
  });
});
