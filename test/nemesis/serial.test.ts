import { describe, expect, it } from 'vitest';
import { Nemesis } from '../../src/nemesis/index.js';
import type { FaultPackage, NemesisContext } from '../../src/nemesis/types.js';

// The soak's postgres sync run (seed 102): a stop-failover rebuild outlived the interpreter's nemesis
// timeout, the next stop-kill started another rebuild of the same node beside it ("could not create
// file"), and the final heal found the slot still held by the first. The nemesis runs one call at a time.

function slowPackage(log: string[]): FaultPackage {
  const step = (name: string, ms: number, fail = false) =>
    new Promise<void>((resolve, reject) =>
      setTimeout(() => {
        log.push(`end ${name}`);
        if (fail) reject(new Error(`${name} failed`));
        else resolve();
      }, ms),
    );
  return {
    name: 'slow',
    needs: [],
    fs: ['start-slow', 'stop-slow', 'start-bad'],
    final: { f: 'stop-slow', value: null },
    cycle: () => [
      { f: 'start-slow', value: null },
      { f: 'stop-slow', value: null },
    ],
    invoke: async (_ctx, a) => {
      log.push(`begin ${a.f}`);
      await step(a.f, a.f === 'start-slow' ? 150 : 5, a.f === 'start-bad');
      return { type: 'info', value: a.f };
    },
    heal: async () => {
      log.push('begin heal');
      await step('heal', 5);
    },
  };
}

describe('nemesis: one call at a time', () => {
  it('a call made while another still runs (the interpreter timed it out) starts only after it settles', async () => {
    const log: string[] = [];
    const p = slowPackage(log);
    const n = new Nemesis([p], {} as NemesisContext);
    const first = n.invoke({ f: 'start-slow', value: null });
    const second = n.invoke({ f: 'stop-slow', value: null });
    const heal = n.healPackage(p);
    await Promise.all([first, second, heal]);
    expect(log).toEqual(['begin start-slow', 'end start-slow', 'begin stop-slow', 'end stop-slow', 'begin heal', 'end heal']);
  });

  it('a call that throws does not block the next, and its caller still sees the error', async () => {
    const log: string[] = [];
    const n = new Nemesis([slowPackage(log)], {} as NemesisContext);
    const bad = n.invoke({ f: 'start-bad', value: null });
    const next = n.invoke({ f: 'stop-slow', value: null });
    await expect(bad).rejects.toThrow('start-bad failed');
    await expect(next).resolves.toMatchObject({ value: 'stop-slow' });
    expect(log).toEqual(['begin start-bad', 'end start-bad', 'begin stop-slow', 'end stop-slow']);
  });

  it('an unknown op fails at once, without waiting', async () => {
    const n = new Nemesis([slowPackage([])], {} as NemesisContext);
    void n.invoke({ f: 'start-slow', value: null });
    await expect(n.invoke({ f: 'nope', value: null })).resolves.toMatchObject({ type: 'fail', error: 'no nemesis handles nope' });
  });
});
