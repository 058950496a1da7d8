import { HistoryError } from './errors.js';
import type { LoadedHistory } from './load.js';
import type { Process } from './op.js';

export interface LintOptions {
  /** Most problems reported; one more entry then says how many were left out. Default 20. */
  max?: number;
}

/**
 * Checks the shape of a history before any checker sees it: every completion has an open
 * invocation by its process with the same f, no process invokes twice without completing, and
 * indices strictly increase. Nemesis ops get only the index rule (Jepsen's nemesis logs are looser).
 * Returns at most `max` errors (code 'lint', with file and source line), followed, when more were
 * found, by one line-less error saying how many more ("the first 20 of 31 are shown").
 */
export function lintHistory(h: LoadedHistory, opts: LintOptions = {}): HistoryError[] {
  const max = opts.max ?? 20;
  const { ops, lines, file } = h;
  const out: HistoryError[] = [];
  let more = 0;
  const report = (line: number, message: string): void => {
    if (out.length < max) out.push(new HistoryError(message, file, line, 'lint'));
    else more++;
  };
  const open = new Map<Process, number>(); // process -> position of its open invocation
  let prevIndex = -Infinity;
  let prevLine = 0;
  for (let k = 0; k < ops.length; k++) {
    const op = ops[k]!;
    const line = lines[k] ?? k + 1;
    if (op.index <= prevIndex) {
      report(line, `index ${op.index} is not greater than the previous index ${prevIndex} (line ${prevLine})`);
    }
    prevIndex = op.index;
    prevLine = line;
    if (op.process === 'nemesis') continue;
    const at = open.get(op.process);
    if (op.type === 'invoke') {
      if (at !== undefined) {
        const was = ops[at]!;
        report(line, `process ${op.process} invoked :${op.f} while its :${was.f} from line ${lines[at] ?? at + 1} was still open`);
      }
      open.set(op.process, k);
      continue;
    }
    if (at === undefined) {
      report(line, `process ${op.process} completed :${op.f} (${op.type}) but had no open invocation`);
      continue;
    }
    open.delete(op.process);
    const inv = ops[at]!;
    if (inv.f !== op.f) {
      report(line, `process ${op.process} completed :${op.f} (${op.type}) but its invocation at line ${lines[at] ?? at + 1} was :${inv.f}`);
    }
  }
  if (more > 0) {
    out.push(
      new HistoryError(
        `... and ${more} more problem${more === 1 ? '' : 's'}: the first ${out.length} of ${out.length + more} are shown`,
        file,
        undefined,
        'lint',
      ),
    );
  }
  return out;
}

/** Throws the first lint error, if any. */
export function assertLinted(h: LoadedHistory): void {
  const errors = lintHistory(h, { max: 1 });
  if (errors.length > 0) throw errors[0]!;
}
