import { Worker } from 'node:worker_threads';
import type { CheckRequest, FileResult } from '../check.js';
import type { FileFailure } from './check-failure.js';
import type { WorkerTask } from './check-worker.js';

type Entry = FileResult | FileFailure;

type Reply = { i: number; progress: string } | { i: number; result: FileResult } | { i: number; failure: FileFailure };

/**
 * Checks files on `threads` worker threads, each taking the next file when it is free; `done` is called
 * in input order (a result waits for the files before it), so output and exit code are those of the
 * sequential loop. A worker that dies (a crash, out of memory) makes its file an internal error and is
 * replaced for the files left.
 */
export async function checkFilesOnThreads(
  files: string[],
  req: Omit<CheckRequest, 'onProgress'>,
  threads: number,
  hooks: { done: (i: number, e: Entry) => void; progress: (file: string, msg: string) => void },
): Promise<void> {
  const entries: (Entry | undefined)[] = new Array<Entry | undefined>(files.length);
  let nextTask = 0;
  let nextDone = 0;
  const url = new URL('./check-worker.js', import.meta.url);

  const settle = (i: number, e: Entry) => {
    entries[i] = e;
    while (nextDone < files.length && entries[nextDone] !== undefined) {
      const ready = entries[nextDone]!;
      entries[nextDone] = undefined; // the caller keeps it
      hooks.done(nextDone++, ready);
    }
  };

  await new Promise<void>((resolve) => {
    let running = 0;
    const start = () => {
      if (nextTask >= files.length) {
        if (running === 0) resolve();
        return;
      }
      running++;
      const worker = new Worker(url);
      let current = -1;
      const give = () => {
        if (nextTask >= files.length) {
          current = -1;
          void worker.terminate();
          return;
        }
        current = nextTask++;
        const task: WorkerTask = { i: current, file: files[current], req };
        worker.postMessage(task);
      };
      worker.on('message', (m: Reply) => {
        if ('progress' in m) return hooks.progress(files[m.i], m.progress);
        settle(m.i, 'result' in m ? m.result : m.failure);
        give();
      });
      let failed: unknown;
      worker.on('error', (e) => (failed = e));
      worker.on('exit', (code) => {
        running--;
        if (current >= 0) {
          const why = failed instanceof Error ? (failed.stack ?? failed.message) : `the worker thread exited with code ${code}`;
          settle(current, { file: files[current], error: { kind: 'internal', messages: [`${files[current]}: internal error: ${why}`] } });
        }
        start();
      });
      give();
    };
    for (let k = 0; k < Math.min(threads, files.length); k++) start();
  });
}
