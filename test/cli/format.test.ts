import { describe, expect, it } from 'vitest';
import { formatFileResult } from '../../src/cli/format.js';
import { KEY, listAppendVerdict, VALUE } from '../report/cycle-fixture.js';

describe('CLI text for the transactional checkers', () => {
  const file = { file: 'h.edn', valid: false as const, ops: 8, elapsedMs: 3, warnings: [] };

  it('prints the models ruled out, then each cycle anomaly: its name, its chain, and who T1..Tk are', () => {
    const lines = formatFileResult({ ...file, verdicts: { 'list-append': listAppendVerdict() } }, { maxAnomalies: 2 });
    const k = JSON.stringify(KEY),
      v = JSON.stringify(VALUE);
    expect(lines).toEqual([
      'h.edn: INVALID (list-append)  [8 ops, 3 ms]',
      '  list-append: not read-uncommitted; also not read-committed, repeatable-read, serializable, strict-serializable',
      `  list-append: G2-item: T1 read key ${k} without ${v}; T2 appended ${v} to it, so T1 precedes T2 (rw); ` +
        'T2 read key "y" without 1; T3 appended 1 to it, so T2 precedes T3 (rw); ' +
        'T3 appended 1 to key "z" and T1 appended 2 after it (a read saw [1 2]), so T3 precedes T1 (ww): a cycle, so not repeatable-read',
      `      T1 = process 0, ok, history index 4: [r ${k} []] [append "z" 2]`,
      `      T2 = process 1, ok, history index 5: [append ${k} ${v}] [r "y" []]`,
      '      T3 = process 2, ok, history index 6: [append "y" 1] [append "z" 1]',
      '  list-append: G1c-realtime: T2 read 1 from key "z", which T1 appended, so T1 precedes T2 (wr); ' +
        'T2 completed before T1 began, so T2 precedes T1 (realtime): a cycle, so not strong-session-read-committed',
      '      T1 = process 2, ok, history index 6: [append "y" 1] [append "z" 1]',
      '      T2 = process 3, ok, history index 7: [r "z" [1 2]]',
      '  list-append: ... and 1 more anomalies (use --json for all)',
    ]);
  });

  it('puts a multi-line chain on indented lines, keeps terminal escapes from the history inert, caps long cycles', () => {
    const verdict = listAppendVerdict();
    const long = verdict.anomalies[2]!;
    const lines = formatFileResult({
      ...file,
      verdicts: { 'rw-register': { ...verdict, anomalies: [{ ...long, explanation: 'G0: T1 wrote \u001b[2J to x;\nT2 overwrote it' }] } },
    });
    expect(lines.slice(2, 4)).toEqual(['  rw-register: G0: T1 wrote \\x1b[2J to x;', '      T2 overwrote it']);
    expect(lines.slice(4)).toHaveLength(13);
    expect(lines.at(-1)).toBe('      ... and 1 more transactions (use --json for all)');
  });

  it('leaves the other checkers as they were: one sentence per anomaly', () => {
    const lines = formatFileResult({ ...file, verdicts: { bank: { valid: false, anomalies: [{ kind: 'wrong-total', ops: [1], explanation: 'total 99' }] } } });
    expect(lines).toEqual(['h.edn: INVALID (bank)  [8 ops, 3 ms]', '  bank: total 99']);
  });
});
