import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deadlineOrThrow, withDeadline, type Outcomes } from '../../src/adapters/deadline.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The three outcomes as a client maps them, recording which were called. */
function outcomes(): Outcomes<number, string> & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    ok: (v) => {
      calls.push('ok');
      return `ok ${v}`;
    },
    failed: (e) => {
      calls.push('failed');
      return `fail ${(e as Error).message}`;
    },
    timedOut: () => {
      calls.push('timedOut');
      return 'info timed out';
    },
  };
}

const refTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('withDeadline', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => {
    unhandled.push(e);
  };
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it('an op that resolves before the deadline is ok, and the deadline never fires afterwards', async () => {
    const o = outcomes();
    expect(await withDeadline(Promise.resolve(7), 30, o)).toBe('ok 7');
    await sleep(60);
    expect(o.calls).toEqual(['ok']);
  });

  it('an op that rejects before the deadline goes to failed, with its error', async () => {
    const o = outcomes();
    expect(await withDeadline(Promise.reject(new Error('refused')), 30, o)).toBe('fail refused');
    await sleep(60);
    expect(o.calls).toEqual(['failed']);
  });

  it('an op still pending at the deadline goes to timedOut, no earlier than the deadline', async () => {
    const o = outcomes();
    const t0 = performance.now();
    expect(await withDeadline(new Promise<number>(() => {}), 50, o)).toBe('info timed out');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(49); // timers may round down by under 1 ms
    expect(o.calls).toEqual(['timedOut']);
  });

  it('a late resolve after the deadline is ignored', async () => {
    const o = outcomes();
    let resolveLate!: (v: number) => void;
    expect(
      await withDeadline(
        new Promise<number>((r) => {
          resolveLate = r;
        }),
        20,
        o,
      ),
    ).toBe('info timed out');
    resolveLate(1);
    await sleep(20);
    expect(o.calls).toEqual(['timedOut']);
  });

  it('a late rejection after the deadline is swallowed, not an unhandled rejection', async () => {
    const o = outcomes();
    let rejectLate!: (e: Error) => void;
    expect(
      await withDeadline(
        new Promise<number>((_, r) => {
          rejectLate = r;
        }),
        20,
        o,
      ),
    ).toBe('info timed out');
    rejectLate(new Error('socket closed after the deadline'));
    await sleep(50);
    expect(unhandled).toEqual([]);
    expect(o.calls).toEqual(['timedOut']);
  });

  it('the timer never keeps the process alive', async () => {
    const before = refTimers();
    const pending = withDeadline(new Promise<number>(() => {}), 60_000, outcomes());
    expect(refTimers()).toBe(before); // unref'd: not a handle that holds the event loop open
    void pending;
  });

  it('an outcome that throws rejects the result', async () => {
    await expect(
      withDeadline(Promise.resolve(1), 30, {
        ...outcomes(),
        ok: () => {
          throw new Error('mapping broke');
        },
      }),
    ).rejects.toThrow('mapping broke');
  });
});

describe('deadlineOrThrow', () => {
  it('passes the value and the error through, and throws the given error at the deadline', async () => {
    expect(await deadlineOrThrow(Promise.resolve('v'), 30, () => new Error('late'))).toBe('v');
    await expect(deadlineOrThrow(Promise.reject(new Error('down')), 30, () => new Error('late'))).rejects.toThrow('down');
    await expect(deadlineOrThrow(new Promise<string>(() => {}), 20, () => new Error('query timed out after 20 ms'))).rejects.toThrow('timed out after 20 ms');
  });
});
