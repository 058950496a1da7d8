import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { any, clients, fromFn, timeLimit } from '../../src/generators/index.js';
import { loadHistory } from '../../src/history/load.js';
import type { ScheduledFault } from '../../src/nemesis/index.js';
import { interpret } from '../../src/run/interpreter.js';
import { scheduleGen } from '../../src/run/run.js';
import { HistoryWriter } from '../../src/history/writer.js';

// No fault starts after the workload's time limit, even when a blocking fault op (a slow restart)
// delays the schedule behind it: the faults that would catch up late test nothing (the workload has
// stopped) and delay the final heal.

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-schedgen-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const ms = 1e6;
const fault = (f: string, at: number): ScheduledFault => ({ f, value: null, at: at * ms, package: f.replace(/^(start|stop)-/, '') });

async function runWith(schedule: ScheduledFault[], durationMs: number, slow: (f: string, n: number) => number) {
  const file = join(dir, 'h.jsonl');
  const writer = new HistoryWriter(file);
  let calls = 0;
  const nemesis = {
    invoke: async (f: string, value: unknown) => {
      await new Promise((r) => setTimeout(r, slow(f, calls++)));
      return { type: 'info' as const, value };
    },
  };
  try {
    await interpret({
      generator: any(
        clients(
          timeLimit(
            durationMs * ms,
            fromFn(() => ({ f: 'noop', value: null })),
          ),
        ),
        scheduleGen(schedule, durationMs * ms),
      ),
      clients: async () => ({
        invoke: async (_f: string, value: unknown) => {
          await new Promise((r) => setTimeout(r, 2));
          return { type: 'ok' as const, value };
        },
        close: async () => {},
      }),
      nemesis,
      concurrency: 2,
      writer,
      opTimeoutMs: 1000,
      nemesisTimeoutMs: 5000,
      startNs: process.hrtime.bigint(),
      seed: 1,
    });
  } finally {
    writer.close();
  }
  return (await loadHistory(file)).ops.filter((o) => o.process === 'nemesis');
}

describe('the fault schedule generator', () => {
  it('invokes no fault after the time limit when a blocking op delays the schedule', async () => {
    const schedule = [fault('start-kill', 10), fault('stop-kill', 60), fault('start-loss', 100), fault('stop-loss', 150)];
    // The first start-kill takes 400 ms: past the 250 ms limit.
    const ops = await runWith(schedule, 250, (_f, n) => (n === 0 ? 400 : 1));
    const invoked = ops.filter((o) => o.type === 'invoke');
    expect(invoked.map((o) => o.f)).toEqual(['start-kill']);
    for (const o of invoked) expect(o.time).toBeLessThan(250 * ms);
  });

  it('counts the limit from the start of the run, not from the first fault (which may come late)', async () => {
    // The first fault is due at 150 ms and blocks 120 ms; the next ones are due before the 250 ms limit
    // but could only start after it. With a limit counted from the first fault they ran until 400 ms.
    const schedule = [fault('start-kill', 150), fault('stop-kill', 200), fault('start-loss', 230)];
    const ops = await runWith(schedule, 250, (_f, n) => (n === 0 ? 120 : 1));
    const invoked = ops.filter((o) => o.type === 'invoke');
    expect(invoked.map((o) => o.f)).toEqual(['start-kill']);
    for (const o of invoked) expect(o.time).toBeLessThan(250 * ms);
  });

  it('keeps the whole schedule, each op not before its time, when nothing blocks', async () => {
    const schedule = [fault('start-kill', 10), fault('stop-kill', 60), fault('start-loss', 100), fault('stop-loss', 150)];
    const ops = await runWith(schedule, 250, () => 1);
    const invoked = ops.filter((o) => o.type === 'invoke');
    expect(invoked.map((o) => o.f)).toEqual(['start-kill', 'stop-kill', 'start-loss', 'stop-loss']);
    invoked.forEach((o, i) => expect(o.time).toBeGreaterThanOrEqual(schedule[i]!.at));
  });
});
