import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, embedJson, listRuns, serveReports, shellQuote } from '../../src/report/index.js';
import { pngSize } from './png.js';
import { writeSyntheticRun, XSS_SCRIPT } from './fixture.js';

describe('report build', () => {
  let store: string, dir: string, built: Awaited<ReturnType<typeof buildReport>>;
  beforeAll(async () => {
    store = mkdtempSync(join(tmpdir(), 'faultline-report-'));
    dir = writeSyntheticRun(store);
    built = await buildReport(dir);
  });
  afterAll(() => rmSync(store, { recursive: true, force: true }));

  it('writes one self-contained index.html: chart.js inlined, no external script or stylesheet', () => {
    const html = readFileSync(built.html, 'utf8');
    expect(built.html).toBe(join(dir, 'index.html'));
    expect(html).toContain('Chart.js v4');
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+stylesheet/i);
    expect(html).not.toMatch(/https?:\/\/cdn/i);
  });

  it('embeds history values so they cannot leave the JSON block', () => {
    const html = readFileSync(built.html, 'utf8');
    expect(html).not.toContain(XSS_SCRIPT);
    expect(html).not.toContain('<img src=x');
    const data = /<script type="application\/json" id="report-data">([^]*?)<\/script>/.exec(html)![1]!;
    expect(data).not.toMatch(/[<>]/);
    expect(JSON.stringify(JSON.parse(data))).toContain(XSS_SCRIPT);
  });

  it('writes each chart as an 800x400 PNG and embeds it as a <noscript> fallback', () => {
    expect(built.pngs.map((p) => p.slice(dir.length + 1)).sort()).toEqual([
      'charts/availability.png',
      'charts/latency.png',
      'charts/quantiles.png',
      'charts/staleness.png',
      'charts/throughput.png',
      'charts/visibility-lag.png',
    ]);
    const html = readFileSync(built.html, 'utf8');
    for (const p of built.pngs) {
      const s = pngSize(p);
      expect(s).toMatchObject({ width: 800, height: 400 });
      expect(s.bytes).toBeGreaterThan(2000);
      expect(html).toContain(`<noscript><img src="${p.slice(dir.length + 1)}"`);
    }
  });

  it('writes the index of runs next to the run folders', () => {
    expect(existsSync(join(store, 'index.html'))).toBe(true);
    expect(listRuns(store)).toMatchObject([{ path: 'synthetic/20260101T000000Z', verdict: 'invalid', db: 'postgres', faults: 'partition', hasReport: true }]);
  });

  it('escapes <, >, &, U+2028 and U+2029 in embedded JSON and reads back the same value', () => {
    const v = { a: '</script><!-- & \u2028\u2029' };
    const s = embedJson(v);
    expect(s).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(s)).toEqual(v);
  });

  it('quotes a command line for a POSIX shell', () => {
    expect(shellQuote(['faultline', 'run', '--name', "it's x", '--seed', '42'])).toBe(`faultline run --name 'it'\\''s x' --seed 42`);
  });

  it('serves the reports folder on 127.0.0.1 with the index of runs, and nothing outside it', async () => {
    const { server, url } = await serveReports(store, 0);
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const index = await fetch(url);
      expect(await index.text()).toContain('synthetic/20260101T000000Z');
      const page = await fetch(`${url}synthetic/20260101T000000Z/index.html`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      const png = await fetch(`${url}synthetic/20260101T000000Z/charts/latency.png`);
      expect(png.headers.get('content-type')).toBe('image/png');
      expect((await fetch(`${url}..%2f..%2fetc/passwd`)).status).toBeGreaterThanOrEqual(400);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
