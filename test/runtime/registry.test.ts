import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { dockerRuntime } from '../../src/runtime/docker/index.js';
import { localRuntime } from '../../src/runtime/local/index.js';
import { AUTO, chooseRuntime, runtimeByName, runtimeNames, runtimes } from '../../src/runtime/index.js';
import { runTest } from '../../src/run/run.js';
import type { Runtime } from '../../src/runtime/types.js';

describe('the runtime registry', () => {
  it('resolves each name to its runtime, whose kind is that name', () => {
    expect(runtimeNames).toEqual(['local', 'docker']);
    expect(runtimeByName('local')).toBe(localRuntime);
    expect(runtimeByName('docker')).toBe(dockerRuntime);
    for (const name of runtimeNames) expect(runtimes[name]!.kind).toBe(name);
  });

  it('refuses a name it lacks as a usage error listing the runtimes, and never resolves an inherited key', () => {
    expect(() => runtimeByName('bogus')).toThrow(new UsageError("unknown runtime 'bogus'; runtimes: local, docker, auto"));
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
    await expect(runTest(spec, { log: (l) => lines.push(l) })).rejects.toThrow(new UsageError("unknown runtime 'bogus'; runtimes: local, docker, auto"));
    expect(lines).toEqual([]);
  });

  it('auto picks the first runtime that can run here, and says per runtime what is missing when none can', async () => {
    const fake = (kind: 'local' | 'docker', why?: string): Runtime => ({ ...localRuntime, kind, unavailable: async () => why });
    const local = fake('local', 'not root');
    const docker = fake('docker');
    expect(await chooseRuntime(AUTO, 'postgres', [local, docker])).toBe(docker);
    expect(await chooseRuntime(AUTO, 'postgres', [fake('local'), docker])).not.toBe(docker);
    await expect(chooseRuntime(AUTO, 'postgres', [local, fake('docker', 'no engine answers')])).rejects.toThrow(
      new UsageError('no runtime can run here.\n  local: not root\n  docker: no engine answers\nInstall what one of them needs, or see `faultline doctor`.'),
    );
    // A name is taken as it is: no probing.
    expect(await chooseRuntime('docker')).toBe(dockerRuntime);
  });
});
