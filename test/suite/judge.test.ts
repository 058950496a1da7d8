import { describe, expect, it } from 'vitest';
import { judgeEntry, suiteOutcome } from '../../src/suite/judge.js';
import type { EntryResult, Expectation, RunRecord, SuiteEntry } from '../../src/suite/types.js';

const entry = (expect: Expectation, repeat = 3): SuiteEntry => ({
  id: 'postgres-async-replicas-append-none',
  db: 'postgres',
  runtime: 'local',
  nodes: 3,
  replication: 'async',
  reads: 'replicas',
  workload: 'append',
  nemesis: 'none',
  timeLimitS: 8,
  concurrency: 10,
  rate: 2000,
  seed: 7,
  repeat,
  expect,
});

let rep = 0;
function run(verdicts: Record<string, boolean | 'unknown'>, error?: string): RunRecord {
  const vs = Object.values(verdicts);
  const valid = vs.includes(false) ? false : vs.includes('unknown') || vs.length === 0 ? 'unknown' : true;
  return {
    repetition: rep++,
    seed: 7,
    dir: 'runs/x',
    valid,
    verdicts,
    sentences: {},
    stats: { okPerS: 1, p50Ms: 1, p99Ms: 2, ops: 10 },
    durationS: 9,
    ...(error !== undefined ? { error } : {}),
  };
}
const ok = () => run({ 'read-your-writes': true, 'monotonic-reads': true });
const ryw = () => run({ 'read-your-writes': false, 'monotonic-reads': true });
const unknownRyw = () => run({ 'read-your-writes': 'unknown', 'monotonic-reads': true });
const failed = () => run({}, 'the run failed: postgres did not start');
const ANOM: Expectation = { kind: 'anomalies', anomalies: ['read-your-writes'] };

describe('judging an entry: expect valid', () => {
  it('every repetition valid: as expected', () => {
    expect(judgeEntry(entry({ kind: 'valid' }), [ok(), ok(), ok()])).toMatchObject({ outcome: 'as-expected', why: 'valid in all 3 repetitions', found: {} });
  });
  it('one invalid repetition contradicts, even next to a failed one', () => {
    const r = judgeEntry(entry({ kind: 'valid' }), [ok(), ryw(), failed()]);
    expect(r.outcome).toBe('contradiction');
    expect(r.why).toBe('expected valid; 1 of 3 repetitions invalid (read-your-writes in 1)');
    expect(r.found).toEqual({ 'read-your-writes': 1 });
  });
  it('an unknown verdict or a failed run, nothing invalid: unknown, saying which', () => {
    expect(judgeEntry(entry({ kind: 'valid' }), [ok(), unknownRyw()]).why).toBe(
      'expected valid; none was invalid, but 1 of 2 repetitions had unknown verdicts (read-your-writes)',
    );
    const f = judgeEntry(entry({ kind: 'valid' }), [ok(), failed()]);
    expect(f.outcome).toBe('unknown');
    expect(f.why).toMatch(/1 of 2 repetitions did not complete \(the run failed: postgres did not start\)/);
  });
});

describe('judging an entry: expect anomalies', () => {
  it('every repetition found every listed anomaly: as expected, with the count', () => {
    const r = judgeEntry(entry(ANOM), [ryw(), ryw(), ryw()]);
    expect(r.outcome).toBe('as-expected');
    expect(r.why).toBe('expected read-your-writes anomalies; found in all 3 repetitions (read-your-writes 3 of 3)');
  });
  it('a repetition whose checker said valid contradicts, saying how many found it', () => {
    const r = judgeEntry(entry(ANOM), [ryw(), ok(), ryw()]);
    expect(r.outcome).toBe('contradiction');
    expect(r.why).toBe('expected read-your-writes anomalies; 1 of 3 repetitions did not find read-your-writes (found: read-your-writes 2 of 3)');
    expect(r.found).toEqual({ 'read-your-writes': 2 });
  });
  it('none found in any: contradiction, 0 of n', () => {
    const r = judgeEntry(entry(ANOM, 2), [ok(), ok()]);
    expect(r.why).toMatch(/2 of 2 repetitions did not find read-your-writes \(found: read-your-writes 0 of 2\)/);
    expect(r.found).toEqual({ 'read-your-writes': 0 });
  });
  it('each of several listed anomalies must be found', () => {
    const two: Expectation = { kind: 'anomalies', anomalies: ['read-your-writes', 'monotonic-reads'] };
    expect(judgeEntry(entry(two, 1), [run({ 'read-your-writes': false, 'monotonic-reads': false })]).outcome).toBe('as-expected');
    expect(judgeEntry(entry(two, 1), [ryw()]).outcome).toBe('contradiction');
  });
  it('an unknown verdict for a listed checker, or a failed run, none missing it: unknown', () => {
    expect(judgeEntry(entry(ANOM), [ryw(), unknownRyw()]).outcome).toBe('unknown');
    const f = judgeEntry(entry(ANOM), [ryw(), failed()]);
    expect(f.outcome).toBe('unknown');
    expect(f.why).toMatch(/did not complete/);
  });
  it('a contradiction wins over a failed run', () => {
    expect(judgeEntry(entry(ANOM), [failed(), ok()]).outcome).toBe('contradiction');
  });
  it('anomalies a run found that were not listed are counted too (flakiness shows)', () => {
    expect(judgeEntry(entry(ANOM, 1), [run({ 'read-your-writes': false, 'monotonic-reads': false })]).found).toEqual({
      'read-your-writes': 1,
      'monotonic-reads': 1,
    });
  });
});

describe('judging an entry: expect any', () => {
  it('never contradicts; a failed run leaves it unknown', () => {
    expect(judgeEntry(entry({ kind: 'any' }), [ok(), ryw(), unknownRyw()])).toMatchObject({
      outcome: 'as-expected',
      why: 'any result was expected; found read-your-writes in 1 of 3',
    });
    expect(judgeEntry(entry({ kind: 'any' }), [ok(), failed()]).outcome).toBe('unknown');
  });
});

describe('no repetition, and the suite', () => {
  it('an entry the suite never reached is unknown', () => {
    expect(judgeEntry(entry({ kind: 'valid' }), [])).toMatchObject({ outcome: 'unknown', why: 'not run: the suite was stopped before this entry started' });
  });
  it('the suite: any contradiction, else any unknown, else as expected', () => {
    const e = (outcome: EntryResult['outcome']) => ({ outcome }) as EntryResult;
    expect(suiteOutcome([e('as-expected'), e('unknown'), e('contradiction')])).toBe('contradiction');
    expect(suiteOutcome([e('as-expected'), e('unknown')])).toBe('unknown');
    expect(suiteOutcome([e('as-expected')])).toBe('as-expected');
  });
});
