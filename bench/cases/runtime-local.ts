import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localRuntime } from '../../src/runtime/local/index.js';
import type { RuntimeNode } from '../../src/runtime/types.js';
import type { BenchCase } from '../types.js';

const ms = (t0: number) => performance.now() - t0;

/** Polls until f() holds (the service has exec'd, a process is stopped); the bench's own bound, 5 s. */
async function until(what: string, f: () => boolean): Promise<void> {
  const end = Date.now() + 5000;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
const comm = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
};
const state = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0];
  } catch {
    return '';
  }
};

/**
 * The local runtime's own speed, the figures its integration test used to assert (ARCHITECTURE.md: a
 * 3-node cluster starts in about a second; a kill -9 is seen at once): up(3 nodes), the first partition
 * (creates the chain) and its heal, how soon a kill -9 resolves `exited`, stop() of a paused service,
 * and down(). Printed, never asserted: test/integration/runtime-local.test.ts asserts the behaviour.
 */
export const cases: BenchCase[] = [
  {
    name: 'local runtime: up, partition, heal, kill -9, stop paused, down (3 nodes)',
    async run() {
      const why = await localRuntime.unavailable();
      if (why) throw new Error(why);
      const dir = mkdtempSync(join(tmpdir(), 'fl-bench-runtime-'));
      try {
        let t0 = performance.now();
        const cluster = await localRuntime.up({ runId: `bench-runtime-${process.pid}`, dir, nodes: 3 });
        const upMs = ms(t0);
        try {
          const [n1, n2] = cluster.nodes as [RuntimeNode, RuntimeNode];
          t0 = performance.now();
          await n1.partition([n2.ip]);
          const partMs = ms(t0);
          t0 = performance.now();
          await n1.healPartition();
          const healMs = ms(t0);

          const k = await n1.spawn({ name: 'sleep', argv: ['sleep', '1000'], logFile: join(n1.dir, 'k.log') });
          await until('sleep to exec', () => comm(k.pid) === 'sleep');
          t0 = performance.now();
          process.kill(k.pid, 'SIGKILL');
          await k.exited;
          const killMs = ms(t0);

          const p = await n2.spawn({ name: 'sleep', argv: ['sleep', '1000'], logFile: join(n2.dir, 'p.log') });
          await until('sleep to exec', () => comm(p.pid) === 'sleep');
          p.signal('SIGSTOP');
          await until('sleep to stop', () => state(p.pid) === 'T');
          t0 = performance.now();
          await p.stop(10_000);
          const stopMs = ms(t0);

          t0 = performance.now();
          await cluster.down();
          const downMs = ms(t0);
          const f = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
          return {
            ops: 0,
            note: `up ${f(upMs)}, partition ${f(partMs)}, heal ${f(healMs)}, kill -9 seen ${f(killMs)}, stop paused ${f(stopMs)}, down ${f(downMs)}`,
          };
        } finally {
          await cluster.down();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];
