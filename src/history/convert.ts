import { open, rename, rm } from 'node:fs/promises';
import type { HistoryWarning } from './errors.js';
import { HistoryError } from './errors.js';
import { assertLinted } from './lint.js';
import { loadHistory } from './load.js';
import { formatOpLine } from './writer.js';

/**
 * Converts a history in any supported format to our JSONL, after linting it (the first lint error
 * is thrown). Indices are kept; ops that had none already carry their position 0..n-1 (the
 * loader's rule). The output is written to a temporary file and renamed, so it is never half written.
 */
export async function convertHistory(input: string, output: string): Promise<{ ops: number; warnings: HistoryWarning[] }> {
  const h = await loadHistory(input);
  assertLinted(h);
  const tmp = `${output}.tmp-${process.pid}-${Date.now()}`;
  try {
    const fh = await open(tmp, 'w');
    try {
      const BATCH = 4096;
      for (let k = 0; k < h.ops.length; k += BATCH) {
        let chunk = '';
        const end = Math.min(h.ops.length, k + BATCH);
        for (let j = k; j < end; j++) chunk += formatOpLine(h.ops[j]!);
        await fh.write(chunk);
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, output);
  } catch (e) {
    await rm(tmp, { force: true });
    if (e instanceof HistoryError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new HistoryError(`cannot write converted history: ${err.code ?? err.message}`, output, undefined, 'unreadable');
  }
  return { ops: h.ops.length, warnings: h.warnings };
}
