import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { localRuntime } from '../../src/runtime/local/index.js';
import { runtimeByName, runtimeNames, runtimes } from '../../src/runtime/index.js';
import { runTest } from '../../src/run/run.js';

describe('the runtime registry', () => {
  it('resolves each name to its runtime, whose kind is that name', () => {
    expect(runtimeNames).toEqual(['local']);
    expect(runtimeByName('local')).toBe(localRuntime);
    for (const name of runtimeNames) expect(runtimes[name]!.kind).toBe(name);
  });

  it('refuses a name it lacks as a usage error listing the runtimes, and never resolves an inherited key', () => {
    expect(() => runtimeByName('bogus')).toThrow(new UsageError("unknown runtime 'bogus'; runtimes: local"));
    expect(() => runtimeByName('toString')).toThrow(UsageError);
  });

  it('a run given a runtime name it lacks is refused before anything starts, with the same sentence', async () => {
    const lines: string[] = [];
    const spec = {
      db: 'postgres',
      workload: 'append',
      nemesis: 'none',
      timeLimitS: 1,
      concurrency: 1,
      rate: 10,
      nodes: 3,
      reads: 'primary' as const,
      keys: 1,
      seed: 1,
      runtime: 'bogus',
      opTimeoutMs: 1000,
      nemesisIntervalS: 5,
      store: '/nonexistent/faultline-store',
      argv: ['faultline', 'run', '--runtime', 'bogus'],
    };
    await expect(runTest(spec, { log: (l) => lines.push(l) })).rejects.toThrow(new UsageError("unknown runtime 'bogus'; runtimes: local"));
    expect(lines).toEqual([]);
  });
});
