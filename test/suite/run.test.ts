import { existsSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunFailure } from '../../src/errors.js';
import type { runTest, RunSpec } from '../../src/run/run.js';
import { readJson } from '../../src/run/store.js';
import { createSuiteDir, runSuite, specOf } from '../../src/suite/run.js';
import type { Suite } from '../../src/suite/file.js';
import type { SuiteEntry, SuiteResult } from '../../src/suite/types.js';

// The runner without clusters: a fake runTest writes a run folder as the real one does.

const tmp = mkdtempSync(join(tmpdir(), 'fl-suite-run-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const entry = (id: string, over: Partial<SuiteEntry> = {}): SuiteEntry => ({
  id,
  db: 'postgres',
  runtime: 'local',
  nodes: 3,
  replication: 'async',
  reads: 'replicas',
  workload: 'append',
  nemesis: 'none',
  timeLimitS: 2,
  concurrency: 2,
  rate: 10,
  seed: 100,
  repeat: 1,
  expect: { kind: 'valid' },
  keys: 1,
  ...over,
});

/** A fake runTest: `verdict(spec)` says read-your-writes' verdict; optional delay and failure. */
function fake(verdict: (s: RunSpec) => boolean | 'fail', opts: { delayMs?: number; onStart?: (s: RunSpec) => void } = {}) {
  const specs: RunSpec[] = [];
  let active = 0;
  let maxActive = 0;
  let n = 0;
  const stoppedBy: Record<string, boolean> = {};
  const run = (async (spec: RunSpec, io: { log: (l: string) => void; signal?: AbortSignal }) => {
    specs.push(spec);
    active++;
    maxActive = Math.max(maxActive, active);
    opts.onStart?.(spec);
    io.log('faultline run abc: a line of its own');
    await new Promise((r) => setTimeout(r, opts.delayMs ?? 5));
    active--;
    stoppedBy[spec.name!] = io.signal?.aborted === true;
    const dir = join(spec.store, spec.name!, `t${n++}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ runId: 'abc', spec }));
    const ops = [
      { index: 0, time: 0, type: 'invoke', process: 0, f: 'append', value: [1, 1] },
      { index: 1, time: 2e6, type: 'ok', process: 0, f: 'append', value: [1, 1] },
      { index: 2, time: 3e6, type: 'invoke', process: 0, f: 'read', value: [1, null] },
      { index: 3, time: 13e6, type: 'ok', process: 0, f: 'read', value: [1, [1]] },
    ];
    writeFileSync(join(dir, 'history.jsonl'), ops.map((o) => JSON.stringify(o)).join('\n') + '\n');
    const v = verdict(spec);
    if (v === 'fail')
      throw new RunFailure(
        `the run failed: postgres did not start\neverything it started was torn down; run.json, the history so far and node logs are in ${dir}`,
      );
    const verdicts = {
      'read-your-writes': { valid: v, anomalies: v ? [] : [{ kind: 'ryw', ops: [3], explanation: 'process 0 read key 1 from n2 without its append' }] },
    };
    const results = { valid: v, ops: 4, verdicts, elapsedMs: 1, warnings: [], history: 'history.jsonl', checkedAt: '' };
    writeFileSync(join(dir, 'results.json'), JSON.stringify(results));
    return { dir, results, aborted: false };
  }) as unknown as typeof runTest;
  return { run, specs, maxActive: () => maxActive, stoppedBy };
}

const suite = (entries: SuiteEntry[]): Suite => ({ name: 's', file: 's.json', entries });

describe('the suite runner', () => {
  it('runs every repetition with seed + i under <out>/runs/<id>/, records and judges them, and writes suite.json', async () => {
    const out = join(tmp, 'a');
    const f = fake((s) => !(s.name === 'unsafe'));
    const log: string[] = [];
    const { result } = await runSuite(
      suite([entry('safe', { repeat: 2 }), entry('unsafe', { expect: { kind: 'anomalies', anomalies: ['read-your-writes'] } })]),
      {
        out,
        log: (l) => log.push(l),
        run: f.run,
      },
    );
    expect(f.specs.map((s) => [s.name, s.seed, s.store, s.keys, s.opTimeoutMs])).toEqual([
      ['safe', 100, join(out, 'runs'), 1, 5000],
      ['safe', 101, join(out, 'runs'), 1, 5000],
      ['unsafe', 100, join(out, 'runs'), 1, 5000],
    ]);
    expect(result.outcome).toBe('as-expected');
    expect(readJson<SuiteResult>(join(out, 'suite.json'))).toEqual(result);
    const [safe, unsafe] = result.entries;
    expect(safe!.runs.map((r) => [r.repetition, r.seed, r.dir, r.valid])).toEqual([
      [0, 100, 'runs/safe/t0', true],
      [1, 101, 'runs/safe/t1', true],
    ]);
    // Two ok ops, 2 ms and 10 ms, over a 2 s time limit.
    expect(safe!.runs[0]!.stats).toEqual({ okPerS: 1, p50Ms: 2, p99Ms: 10, ops: 2 });
    expect(unsafe!.runs[0]!.sentences).toEqual({ 'read-your-writes': ['process 0 read key 1 from n2 without its append'] });
    expect(log).toEqual([
      expect.stringMatching(/^\[1\/3\] safe rep 1\/2: valid \d+\.\d s$/),
      expect.stringMatching(/^\[2\/3\] safe rep 2\/2: valid \d+\.\d s$/),
      expect.stringMatching(/^\[3\/3\] unsafe rep 1\/1: invalid \(read-your-writes\) \d+\.\d s$/),
    ]);
    // The run's own lines are kept next to it.
    expect(existsSync(join(out, 'runs/safe/t0/output.log'))).toBe(true);
  });

  it('a failed run is recorded with its error and folder, and leaves the entry unknown', async () => {
    const out = join(tmp, 'b');
    const log: string[] = [];
    const { result } = await runSuite(suite([entry('x')]), { out, log: (l) => log.push(l), run: fake(() => 'fail').run });
    expect(result.outcome).toBe('unknown');
    expect(result.entries[0]!.runs[0]).toMatchObject({ error: 'the run failed: postgres did not start', dir: 'runs/x/t0', valid: 'unknown' });
    expect(log[0]).toMatch(/^\[1\/1\] x rep 1\/1: failed: the run failed: postgres did not start/);
  });

  it('--parallel runs up to N at once and keeps the repetitions in order', async () => {
    const f = fake(() => true, { delayMs: 30 });
    const { result } = await runSuite(suite([entry('a', { repeat: 3 }), entry('b', { repeat: 2 })]), {
      out: join(tmp, 'c'),
      parallel: 2,
      log: () => {},
      run: f.run,
    });
    expect(f.maxActive()).toBe(2);
    expect(result.entries[0]!.runs.map((r) => r.repetition)).toEqual([0, 1, 2]);
    expect(result.outcome).toBe('as-expected');
  });

  it('a signal starts no new run; suite.json records what finished and the rest as not run', async () => {
    const out = join(tmp, 'd');
    const listeners = process.listenerCount('SIGINT');
    const f = fake(() => true, {
      onStart: (s) => {
        if (s.name === 'b') process.emit('SIGINT', 'SIGINT');
      },
    });
    const log: string[] = [];
    const r = await runSuite(suite([entry('a'), entry('b'), entry('c')]), { out, log: (l) => log.push(l), run: f.run });
    expect(f.specs.map((s) => s.name)).toEqual(['a', 'b']);
    // The run going on is told too (a run still being prepared has no signal handlers of its own yet).
    expect(f.stoppedBy).toEqual({ a: false, b: true });
    expect(r.stopped).toBe(true);
    expect(r.result.entries.map((e) => [e.entry.id, e.outcome])).toEqual([
      ['a', 'as-expected'],
      ['b', 'as-expected'],
      ['c', 'unknown'],
    ]);
    expect(readJson<SuiteResult>(join(out, 'suite.json')).outcome).toBe('unknown');
    expect(log.join('\n')).toMatch(/SIGINT: the suite starts no new run/);
    expect(process.listenerCount('SIGINT')).toBe(listeners);
  });

  it('the default folder is suites/<name>/<timestamp>/ with a latest link', () => {
    const d = createSuiteDir(join(tmp, 'suites'), 'nightly', new Date('2026-01-02T03:04:05Z'));
    expect(d).toBe(join(tmp, 'suites', 'nightly', '20260102T030405Z'));
    expect(readlinkSync(join(tmp, 'suites', 'nightly', 'latest'))).toBe('20260102T030405Z');
    expect(createSuiteDir(join(tmp, 'suites'), 'nightly', new Date('2026-01-02T03:04:05Z'))).toMatch(/20260102T030405Z-2$/);
  });

  it('a spec carries every option of the entry', () => {
    const s = specOf(entry('e', { sentinel: true, image: 'img', nemesisIntervalS: 2, recoveryTimeoutS: 9, seed: 0xffffffff }), 1, '/store', ['x']);
    expect(s).toMatchObject({ db: 'postgres', sentinel: true, image: 'img', nemesisIntervalS: 2, recoveryTimeoutS: 9, seed: 0, name: 'e', store: '/store' });
  });
});
