import type { EntryResult, RunRecord, SuiteEntry, SuiteResult } from './types.js';

/**
 * An entry's repetitions against its expectation (docs/suites.md):
 * - valid: every repetition valid. A repetition with an invalid verdict contradicts it.
 * - anomalies: every repetition found every listed anomaly (its checker said invalid). A repetition where
 *   a listed checker said valid contradicts it; the sentence says how many repetitions found each.
 * - any: never contradicted; only a failed run makes it unknown (there is no result at all then).
 * A failed run or an unknown verdict is unknown unless another repetition contradicts. No repetition at
 * all (the suite was stopped first) is unknown.
 */
export function judgeEntry(entry: SuiteEntry, runs: RunRecord[]): EntryResult {
  const found: Record<string, number> = {};
  for (const r of runs) for (const [name, v] of Object.entries(r.verdicts)) if (v === false) found[name] = (found[name] ?? 0) + 1;
  const n = runs.length;
  const reps = (k: number) => `${k} of ${n} repetition${n === 1 ? '' : 's'}`;
  const result = (outcome: EntryResult['outcome'], why: string): EntryResult => ({ entry, runs, outcome, why, found });
  const failed = runs.filter((r) => r.error !== undefined);
  const failedWhy = failed.length > 0 ? `${reps(failed.length)} did not complete (${failed[0]!.error})` : '';
  if (n === 0) return result('unknown', 'not run: the suite was stopped before this entry started');
  const e = entry.expect;
  if (e.kind === 'any') {
    if (failed.length > 0) return result('unknown', `any result was expected, but ${failedWhy}`);
    return result('as-expected', `any result was expected; ${describeFound(found, n)}`);
  }
  if (e.kind === 'valid') {
    const invalid = runs.filter((r) => r.valid === false);
    if (invalid.length > 0) {
      const names = Object.keys(found).sort();
      return result('contradiction', `expected valid; ${reps(invalid.length)} invalid (${names.map((c) => `${c} in ${found[c]}`).join(', ')})`);
    }
    const unknown = runs.filter((r) => r.valid !== true && r.error === undefined);
    if (failed.length > 0) return result('unknown', `expected valid; none was invalid, but ${failedWhy}`);
    if (unknown.length > 0) {
      const names = [
        ...new Set(
          unknown.flatMap((r) =>
            Object.entries(r.verdicts)
              .filter(([, v]) => v === 'unknown')
              .map(([c]) => c),
          ),
        ),
      ].sort();
      return result('unknown', `expected valid; none was invalid, but ${reps(unknown.length)} had unknown verdicts (${names.join(', ') || 'no verdict'})`);
    }
    return result('as-expected', `valid in ${n === 1 ? 'the only repetition' : `all ${n} repetitions`}`);
  }
  const listed = e.anomalies;
  for (const c of listed) found[c] ??= 0;
  const tally = listed.map((c) => `${c} ${found[c]} of ${n}`).join(', ');
  const missed = runs.filter((r) => listed.some((c) => r.verdicts[c] === true));
  const what = `expected ${listed.join(', ')} anomalies`;
  if (missed.length > 0) {
    const miss = listed.filter((c) => runs.some((r) => r.verdicts[c] === true));
    return result('contradiction', `${what}; ${reps(missed.length)} did not find ${miss.join(', ')} (found: ${tally})`);
  }
  const undecided = runs.filter((r) => listed.some((c) => r.verdicts[c] !== false));
  if (undecided.length > 0)
    return result(
      'unknown',
      `${what}; none missed them, but ${failed.length > 0 ? failedWhy : `${reps(undecided.length)} had no verdict for them`} (found: ${tally})`,
    );
  return result('as-expected', `${what}; found in ${n === 1 ? 'the only repetition' : `all ${n} repetitions`} (${tally})`);
}

function describeFound(found: Record<string, number>, n: number): string {
  const names = Object.keys(found).sort();
  return names.length === 0 ? `valid in all ${n}` : `found ${names.map((c) => `${c} in ${found[c]} of ${n}`).join(', ')}`;
}

/** The suite's outcome: any contradiction, else any unknown, else as expected. */
export function suiteOutcome(entries: readonly EntryResult[]): SuiteResult['outcome'] {
  if (entries.some((e) => e.outcome === 'contradiction')) return 'contradiction';
  if (entries.some((e) => e.outcome === 'unknown')) return 'unknown';
  return 'as-expected';
}
