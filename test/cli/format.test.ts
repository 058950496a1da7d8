import { describe, expect, it } from 'vitest';
import { formatFileResult } from '../../src/cli/format.js';
import { KEY, listAppendVerdict, VALUE } from '../report/cycle-fixture.js';

describe('CLI text for the transactional checkers', () => {
  const file = { file: 'h.edn', valid: false as const, ops: 8, elapsedMs: 3, warnings: [] };

  it('prints the models ruled out, then each cycle anomaly: its name and its explanation (which names T1..Tk)', () => {
    const lines = formatFileResult({ ...file, verdicts: { 'list-append': listAppendVerdict() } }, { maxAnomalies: 2 });
    const k = JSON.stringify(KEY),
      v = JSON.stringify(VALUE);
    expect(lines).toEqual([
      'h.edn: INVALID (list-append)  [8 ops, 3 ms]',
      '  list-append: not read-uncommitted; also not read-committed, repeatable-read, serializable, strict-serializable',
      `  list-append: G2-item: T1 read key ${k} without ${v}; T2 appended ${v} to it, so T1 precedes T2 (rw); ` +
        'T2 read key "y" without 1; T3 appended 1 to it, so T2 precedes T3 (rw); ' +
        'T3 appended 1 to key "z" and T1 appended 2 after it (a read saw [1 2]), so T3 precedes T1 (ww): a cycle, so not repeatable-read',
      '  list-append: G1c-realtime: T2 read 1 from key "z", which T1 appended, so T1 precedes T2 (wr); ' +
        'T2 completed before T1 began, so T2 precedes T1 (realtime): a cycle, so not strong-session-read-committed',
      '  list-append: ... and 1 more anomalies (use --json for all)',
    ]);
  });

  it('puts a multi-line explanation on indented lines and keeps terminal escapes from the history inert', () => {
    const verdict = listAppendVerdict();
    const long = verdict.anomalies[2]!;
    const lines = formatFileResult({
      ...file,
      verdicts: { 'rw-register': { ...verdict, anomalies: [{ ...long, explanation: 'G0: T1 wrote \u001b[2J to x;\nT2 overwrote it' }] } },
    });
    expect(lines.slice(2, 4)).toEqual(['  rw-register: G0: T1 wrote \\x1b[2J to x;', '      T2 overwrote it']);
    expect(lines).toHaveLength(4);
  });

  it('a valid verdict says what was found beyond the checked models, without calling it a violation', () => {
    const verdict = { ...listAppendVerdict(), valid: true as const, anomalies: [] };
    const lines = formatFileResult({ ...file, valid: true, verdicts: { 'list-append': verdict } });
    expect(lines[1]).toBe(
      '  list-append: the checked models hold; beyond them: not read-uncommitted; also not read-committed, repeatable-read, serializable, strict-serializable',
    );
  });

  it('leaves the other checkers as they were: one sentence per anomaly', () => {
    const lines = formatFileResult({ ...file, verdicts: { bank: { valid: false, anomalies: [{ kind: 'wrong-total', ops: [1], explanation: 'total 99' }] } } });
    expect(lines).toEqual(['h.edn: INVALID (bank)  [8 ops, 3 ms]', '  bank: total 99']);
  });
});
