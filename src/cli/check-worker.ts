// A worker thread of `faultline check` over many files (check-pool.ts): checks one file per message and
// posts back its FileResult or FileFailure (plain data: error classes do not cross threads), and its progress.
import { parentPort } from 'node:worker_threads';
import { checkHistoryFile, type CheckRequest } from '../check.js';
import { fileFailure } from './check-failure.js';

export interface WorkerTask {
  i: number;
  file: string;
  req: Omit<CheckRequest, 'onProgress'>;
}

const port = parentPort!;
port.on('message', (task: WorkerTask) => {
  void checkHistoryFile(task.file, { ...task.req, onProgress: (progress) => port.postMessage({ i: task.i, progress }) }).then(
    (result) => port.postMessage({ i: task.i, result }),
    (e: unknown) => port.postMessage({ i: task.i, failure: fileFailure(task.file, e) }),
  );
});
