import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { writeOutputs } from '../../src/suite/outputs/index.js';
import { suiteIndexHtml } from '../../src/suite/outputs/index-html.js';
import { junitXml, xmlText } from '../../src/suite/outputs/junit.js';
import { mdText, summaryJson, summaryMarkdown } from '../../src/suite/outputs/summary.js';
import { changeBeyondNoise, compareSuites, readBaseline } from '../../src/suite/outputs/trend.js';
import { SUITE_SCHEMA, type EntryResult, type RunRecord, type SuiteEntry, type SuiteResult } from '../../src/suite/types.js';

// Hand-made suite results: the outputs are judged on what they say, not on a real run.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-suite-outputs-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function entry(id: string, more: Partial<SuiteEntry> = {}): SuiteEntry {
  return {
    id,
    db: 'postgres',
    runtime: 'local',
    nodes: 3,
    reads: 'replicas',
    workload: 'append',
    nemesis: 'partition',
    timeLimitS: 30,
    concurrency: 10,
    rate: 200,
    seed: 42,
    repeat: 3,
    expect: { kind: 'valid' },
    ...more,
  };
}

function run(repetition: number, more: Partial<RunRecord> = {}): RunRecord {
  return {
    repetition,
    seed: 42 + repetition,
    dir: `runs/e/${repetition}`,
    report: `runs/e/${repetition}/index.html`,
    valid: true,
    verdicts: { 'read-your-writes': true, 'lost-writes': true },
    sentences: {},
    stats: { okPerS: 100, p50Ms: 2, p99Ms: 20, ops: 3000 },
    durationS: 40,
    ...more,
  };
}

function result(id: string, outcome: EntryResult['outcome'], runs: RunRecord[], more: Partial<EntryResult> = {}, e: Partial<SuiteEntry> = {}): EntryResult {
  const found: Record<string, number> = {};
  for (const r of runs) for (const [n, v] of Object.entries(r.verdicts)) if (v === false) found[n] = (found[n] ?? 0) + 1;
  return { entry: entry(id, { repeat: runs.length, ...e }), runs, outcome, why: `why ${id}`, found, ...more };
}

function suite(entries: EntryResult[], more: Partial<SuiteResult> = {}): SuiteResult {
  const outcome = entries.some((e) => e.outcome === 'contradiction')
    ? 'contradiction'
    : entries.some((e) => e.outcome === 'unknown')
      ? 'unknown'
      : 'as-expected';
  return {
    schema: SUITE_SCHEMA,
    name: 'nightly',
    file: 'examples/suites/nightly.json',
    startedAt: '2026-12-01T00:00:00Z',
    durationS: 600,
    entries,
    outcome,
    ...more,
  };
}

const ryw = (i: number) =>
  run(i, {
    valid: false,
    verdicts: { 'read-your-writes': false, 'lost-writes': true },
    sentences: { 'read-your-writes': [`process ${i} wrote 5 to key 1 and then read [1 2] without it`] },
  });

const contradiction = result('pg-sync-valid', 'contradiction', [run(0), ryw(1), run(2)], {
  why: 'expected every checker valid; 1 of 3 repetitions found read-your-writes anomalies',
});
const fine = result('pg-async-anomalies', 'as-expected', [ryw(0), ryw(1)], { why: 'expected read-your-writes anomalies; 2 of 2 found them' });
const unknown = result('redis-wait', 'unknown', [run(0, { valid: 'unknown', error: 'the cluster did not start: port in use', report: undefined })], {
  why: '1 of 1 repetitions failed to run',
});

describe('JUnit XML', () => {
  const xml = junitXml(suite([contradiction, fine, unknown]));

  it('one testsuite, one testcase per entry named by its id with the db as classname and the repetitions time', () => {
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n/);
    expect(xml.match(/<testsuite /g)).toHaveLength(1);
    expect(xml).toMatch(/<testsuite name="nightly" tests="3" failures="1" errors="1" skipped="0" time="600.000"/);
    expect(xml).toContain('<testcase name="pg-sync-valid" classname="postgres" time="120.000">');
    expect(xml).toContain('<testcase name="pg-async-anomalies" classname="postgres" time="80.000">');
  });

  it('a contradiction is a failure: message the why, body the sentences of each repetition and the report paths', () => {
    const tc = xml.slice(xml.indexOf('<testcase name="pg-sync-valid"'), xml.indexOf('</testcase>'));
    expect(tc).toContain('<failure message="expected every checker valid; 1 of 3 repetitions found read-your-writes anomalies" type="contradiction">');
    expect(tc).toContain('repetition 1 (seed 43): invalid');
    expect(tc).toContain('read-your-writes: process 1 wrote 5 to key 1 and then read [1 2] without it');
    for (const i of [0, 1, 2]) expect(tc).toContain(`report: runs/e/${i}/index.html`);
    // As expected: no failure, no error.
    const ok = xml.slice(xml.indexOf('<testcase name="pg-async-anomalies"'));
    expect(ok.slice(0, ok.indexOf('</testcase>'))).not.toMatch(/<failure|<error/);
  });

  it('an unknown outcome is an error with the run error', () => {
    const tc = xml.slice(xml.indexOf('<testcase name="redis-wait"'));
    expect(tc).toContain('<error message="1 of 1 repetitions failed to run" type="unknown">');
    expect(tc).toContain('error: the cluster did not start: port in use');
  });

  it('escapes & < > " \' and strips characters XML 1.0 forbids, in attributes and bodies', () => {
    const nasty = 'a<b & "c" \'d\'\u0001\u001b]]>\uFFFE e';
    const e = result(`id-${nasty}`, 'contradiction', [ryw(0)], { why: nasty }, { db: nasty });
    e.runs[0]!.sentences = { 'read-your-writes': [`read ${nasty}`] };
    const x = junitXml(suite([e], { name: nasty }));
    // eslint-disable-next-line no-control-regex
    expect(x).not.toMatch(/[\u0001\u001b\uFFFE]/);
    expect(x).not.toContain('a<b');
    expect(x).not.toContain(']]>');
    expect(x).toContain('a&#60;b &#38; &#34;c&#34; &#39;d&#39;]]&#62; e');
    expect(x).toContain('<testcase name="id-a&#60;b');
    expect(xmlText('\uD800x')).toBe('x'); // a lone surrogate
    expect(xmlText('tab\tnewline\n😀')).toBe('tab\tnewline\n😀');
    // Well-formed: every value escaped, so the only tags are ours.
    const tags = [...x.matchAll(/<\/?([a-z-]+)/g)].map((m) => m[1]);
    expect(new Set(tags)).toEqual(new Set(['testsuites', 'testsuite', 'properties', 'property', 'testcase', 'failure', 'system-out']));
  });
});

describe('Markdown summary', () => {
  it('headline: all as expected, or N contradictions', () => {
    expect(summaryMarkdown(suite([fine]), dir)).toContain('✅ **all as expected**: 1 entry, 2 runs');
    expect(summaryMarkdown(suite([contradiction, fine, unknown]), dir)).toContain('❌ **1 contradiction** of 3 entries, 1 unknown');
    expect(summaryMarkdown(suite([unknown]), dir)).toContain('⚠️ **1 unknown** of 1 entry, no contradiction');
  });

  it('a table row per entry: id, expectation, outcome, repetitions per anomaly, ok ops/s and p99', () => {
    const md = summaryMarkdown(suite([contradiction, fine]), dir);
    expect(md).toContain('| entry | expectation | outcome | anomalies found (repetitions) | ok ops/s | p99 ms |');
    expect(md).toContain('| pg-sync-valid | valid | ❌ contradiction | read-your-writes 1/3 | 100.0 (100.0–100.0) | 20.0 (20.0–20.0) |');
    expect(md).toContain('| pg-async-anomalies | valid | ✅ as expected | read-your-writes 2/2 |');
    // The contradiction's sentences and report links.
    expect(md).toContain('### Contradictions');
    expect(md).toContain('  - read-your-writes: process 1 wrote 5 to key 1 and then read \\[1 2\\] without it');
    expect(md).toContain('[report](runs/e/1/index.html)');
  });

  it('escapes pipes, newlines, backticks and markup in cells so the table holds', () => {
    expect(mdText('a|b\nc `d` <img src=x>')).toBe('a\\|b c \\`d\\` &lt;img src=x&gt;');
    expect(mdText('# not a heading')).toBe('\\# not a heading');
    expect(mdText('1. not a list')).toBe('1\\. not a list');
    const e = result('x|y\n`z`', 'as-expected', [run(0)]);
    const row = summaryMarkdown(suite([e]), dir)
      .split('\n')
      .find((l) => l.startsWith('| x'))!;
    expect(row.startsWith('| x\\|y \\`z\\` | valid |')).toBe(true);
    expect(row.split(/(?<!\\)\|/).length).toBe(8); // 6 cells between 7 unescaped pipes
  });

  it('links the PNG charts a run folder has, relative to the suite folder; none when it has none', () => {
    const s = join(dir, 'charts-suite');
    mkdirSync(join(s, 'runs/e/0/charts'), { recursive: true });
    writeFileSync(join(s, 'runs/e/0/charts/latency.png'), '');
    const md = summaryMarkdown(suite([fine]), s);
    expect(md).toContain('![latency](runs/e/0/charts/latency.png)');
    expect(md).not.toContain('runs/e/1/charts');
    expect(summaryMarkdown(suite([fine]), join(dir, 'nothing'))).not.toContain('### Charts');
  });

  it('suite-summary.json is the result plus totals', () => {
    const j = summaryJson(suite([contradiction, fine, unknown]));
    expect(j.schema).toBe(SUITE_SCHEMA);
    expect(j.totals).toEqual({ entries: 3, asExpected: 1, contradictions: 1, unknown: 1, runs: 6, runErrors: 1 });
  });
});

describe('index.html', () => {
  it('links every report, escapes values, loads nothing from outside', () => {
    const xss = '<script>alert(1)</script>';
    const e = result(`evil-${xss}`, 'contradiction', [ryw(0)], { why: xss });
    e.runs[0]!.sentences = { 'read-your-writes': [`value ${xss}`] };
    e.runs[0]!.report = 'javascript:alert(1)/index.html';
    const html = suiteIndexHtml(suite([e, fine], { name: xss }));
    expect(html).not.toContain('<script');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('href="runs/e/1/index.html"');
    expect(html).toContain('href="javascript%3Aalert(1)/index.html"');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});

describe('trend against a baseline', () => {
  it('finds a new anomaly and a disappeared one, and lists entries only one side has', () => {
    const before = suite([result('a', 'as-expected', [run(0), run(1)]), result('b', 'as-expected', [ryw(0), run(1)]), result('gone', 'as-expected', [run(0)])]);
    const after = suite([result('a', 'contradiction', [ryw(0), run(1)]), result('b', 'as-expected', [run(0), run(1)]), result('new', 'as-expected', [run(0)])]);
    const t = compareSuites(before, after, 'base');
    expect(t.added).toEqual(['new']);
    expect(t.removed).toEqual(['gone']);
    expect(t.trends.find((x) => x.id === 'a')).toMatchObject({ newAnomalies: ['read-your-writes'], disappeared: [] });
    expect(t.trends.find((x) => x.id === 'b')).toMatchObject({ newAnomalies: [], disappeared: ['read-your-writes'] });
    const md = summaryMarkdown({ ...after, baseline: t }, dir);
    expect(md).toContain('- a: new anomalies: read-your-writes');
    expect(md).toContain('- b: disappeared: read-your-writes');
    expect(md).toContain('- added: new');
  });

  it('noise: a 10% change is not reported; a 50% change beyond the repetitions spread is', () => {
    expect(changeBeyondNoise([100, 102, 98], [110, 112, 108])).toBeUndefined();
    expect(changeBeyondNoise([100, 102, 98], [150, 152, 148])).toEqual({ before: 100, after: 150, change: 0.5 });
    // 50% on average, but one night's repetitions already range wider: noise.
    expect(changeBeyondNoise([40, 160, 100], [150, 150, 150])).toBeUndefined();
    // One repetition a side shows no spread: it needs more than 50%.
    expect(changeBeyondNoise([100], [140])).toBeUndefined();
    expect(changeBeyondNoise([100], [200])).toMatchObject({ change: 1 });
    // Nothing to divide by.
    expect(changeBeyondNoise([0, 0], [50, 50])).toBeUndefined();
    const slow = (i: number, okPerS: number, p99Ms: number) => run(i, { stats: { okPerS, p50Ms: 1, p99Ms, ops: 1 } });
    const t = compareSuites(
      suite([result('a', 'as-expected', [slow(0, 100, 20), slow(1, 101, 21), slow(2, 99, 19)])]),
      suite([result('a', 'as-expected', [slow(0, 50, 22), slow(1, 51, 21), slow(2, 49, 20)])]),
      'base',
    );
    expect(t.trends[0]!.throughput).toEqual({ before: 100, after: 50, change: -0.5 });
    expect(t.trends[0]!.p99).toBeUndefined();
  });

  it('a missing, unreadable or wrong-schema baseline is an InputError (exit 65) naming the file', () => {
    expect(() => readBaseline(join(dir, 'no-such'))).toThrow(InputError);
    const empty = join(dir, 'empty-baseline');
    mkdirSync(empty);
    expect(() => readBaseline(empty)).toThrow(/no suite\.json/);
    const bad = join(dir, 'bad-baseline');
    mkdirSync(bad);
    writeFileSync(join(bad, 'suite.json'), '{"schema": "faultline.suite-result/0", "entries": []}');
    expect(() => readBaseline(bad)).toThrow(/schema "faultline.suite-result\/0", not "faultline.suite-result\/1"/);
    writeFileSync(join(bad, 'suite.json'), '{"schema": "faultline.suite-result/1", "entr');
    expect(() => readBaseline(bad)).toThrow(/not valid JSON/);
    writeFileSync(join(bad, 'suite.json'), JSON.stringify({ schema: SUITE_SCHEMA, entries: [{ entry: { id: 'a' }, runs: 'x' }] }));
    expect(() => readBaseline(bad)).toThrow(/entries\[0\]\.runs should be an array/);
  });
});

describe('writeOutputs', () => {
  it('writes the five files, the trend in suite.json, 64-bit integers exact', () => {
    const base = join(dir, 'night1');
    const now = join(dir, 'night2');
    writeOutputs(suite([fine]), base);
    const big = result('pg-async-anomalies', 'contradiction', [
      run(0, { stats: { okPerS: 100, p50Ms: 1, p99Ms: 20, ops: 9007199254740993n as unknown as number } }),
    ]);
    const r = suite([big]);
    const paths = writeOutputs(r, now, base);
    for (const p of Object.values(paths)) expect(readFileSync(p, 'utf8').length).toBeGreaterThan(0);
    const text = readFileSync(paths.suiteJson, 'utf8');
    expect(text).toContain('"ops": 9007199254740993');
    expect(r.baseline?.trends[0]?.disappeared).toEqual(['read-your-writes']);
    expect(readBaseline(now).baseline?.dir).toBe(base);
    expect(readFileSync(paths.junit, 'utf8')).toContain('<failure');
    expect(readFileSync(paths.summaryMd, 'utf8')).toContain('### Against the baseline');
  });

  it('a bad baseline still writes the outputs (without a trend), then throws the InputError', () => {
    const out = join(dir, 'night3');
    expect(() => writeOutputs(suite([fine]), out, join(dir, 'missing-baseline'))).toThrow(InputError);
    expect(readFileSync(join(out, 'suite.json'), 'utf8')).not.toContain('"baseline"');
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('all as expected');
  });
});
