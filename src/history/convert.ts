import { lstat, open, rename, rm } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { fsReason } from '../fs-words.js';
import type { HistoryWarning } from './errors.js';
import { HistoryError } from './errors.js';
import { assertLinted } from './lint.js';
import { loadHistory } from './load.js';
import { formatOpLine } from './writer.js';

/**
 * Converts a history in any supported format to our JSONL, after linting it (the first lint error
 * is thrown). Indices are kept; ops that had none already carry their position 0..n-1 (the
 * loader's rule). The output is written to a temporary file and renamed, so it is never half written;
 * an output that is not a regular file (a device, FIFO, symlink, directory) is refused (UsageError).
 */
export async function convertHistory(input: string, output: string): Promise<{ ops: number; warnings: HistoryWarning[] }> {
  await refuseSpecialOutput(output);
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
    await refuseSpecialOutput(output); // again: the check above was before a long load
    await rename(tmp, output);
  } catch (e) {
    await rm(tmp, { force: true });
    if (e instanceof HistoryError || e instanceof UsageError) throw e;
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'its folder does not exist' : fsReason(e);
    throw new HistoryError(`cannot write converted history: ${why}`, output, undefined, 'unreadable');
  }
  return { ops: h.ops.length, warnings: h.warnings };
}

/**
 * The output is replaced by a rename, so only a regular file (or a new path) may be named: renaming
 * over /dev/null, a FIFO or a symlink would replace the device, pipe or link with a regular file.
 */
async function refuseSpecialOutput(output: string): Promise<void> {
  let st;
  try {
    st = await lstat(output);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new HistoryError(`cannot write converted history: ${fsReason(e)}`, output, undefined, 'unreadable');
  }
  if (st.isFile()) return;
  const what = st.isSymbolicLink()
    ? 'a symlink'
    : st.isDirectory()
      ? 'a directory'
      : st.isCharacterDevice()
        ? 'a character device'
        : st.isBlockDevice()
          ? 'a block device'
          : st.isFIFO()
            ? 'a FIFO (named pipe)'
            : st.isSocket()
              ? 'a socket'
              : 'not a regular file';
  throw new UsageError(
    `${output} is ${what}; convert writes a new regular file and renames it over OUTPUT, ` +
      'which would replace it: give a regular file or a new path (to only lint a history, use faultline check)',
  );
}
