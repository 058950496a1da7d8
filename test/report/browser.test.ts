import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../bench/gen/chromium.js';
import { buildReport } from '../../src/report/index.js';
import { writeSyntheticRun, XSS_IMG, XSS_SCRIPT } from './fixture.js';

// Real headless Chromium (Debian's, installed by scripts/setup.sh). No skip: a missing browser fails.
const OUT = join(process.cwd(), 'test-output', 'report');

describe('report in headless Chromium', () => {
  let store: string, html: string, browser: Awaited<ReturnType<typeof launchChromium>>, page: Page;
  const dialogs: string[] = [];
  const errors: string[] = [];
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    store = mkdtempSync(join(tmpdir(), 'faultline-report-browser-'));
    html = (await buildReport(writeSyntheticRun(store))).html;
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    // A report never fetches anything: any request other than the file itself (and its PNGs) fails the test.
    await page.route(/^(?!file:)/, (r) => {
      errors.push(`request ${r.request().url()}`);
      void r.abort();
    });
    await page.goto(pathToFileURL(html).href);
    await page.waitForFunction(() => (window as unknown as { __reportReady?: number }).__reportReady, null, { timeout: 30_000 });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(store, { recursive: true, force: true });
  });

  it('renders the header, verdicts and the command to reproduce', async () => {
    await expect(page.locator('#header h1').textContent()).resolves.toContain('postgres append abc123');
    await expect(page.locator('.verdicts').textContent()).resolves.toContain('read-your-writes: invalid: 1 anomaly found');
    await expect(page.locator('pre.command').textContent()).resolves.toBe(
      `faultline run --db postgres --nemesis partition --name 'it'\\''s <b>bold</b>' --seed 42`,
    );
    expect(errors).toEqual([]);
  });

  it('shows one card per anomaly with its witness ops, and the link highlights them on the timeline', async () => {
    const cards = page.locator('#anomalies .card');
    await expect(cards.count()).resolves.toBe(2);
    const first = cards.nth(0);
    await expect(first.locator('h3').textContent()).resolves.toBe('read-your-writes: read-your-writes');
    await expect(first.locator('table.ops tbody tr').count()).resolves.toBe(2);
    await page.screenshot({ path: join(OUT, 'anomalies.png'), fullPage: true });
    await first.locator('a.show').click();
    await page.waitForFunction(() => (window as unknown as { __timelineFocused?: number }).__timelineFocused);
    const tl = await page.evaluate(() => {
      const t = (window as unknown as { __timeline: { highlighted: number[]; view: { from: number; to: number } } }).__timeline;
      return { highlighted: t.highlighted, view: { ...t.view } };
    });
    expect(tl.highlighted).toHaveLength(2);
    // Zoomed in on them: the two ops take a large part of the visible range (the whole run is ~250 ms).
    expect(tl.view.to - tl.view.from).toBeLessThan(50);
    const box = await page.locator('#timeline-canvas').boundingBox();
    expect(box!.y).toBeLessThan(900);
    await page.locator('#timeline').screenshot({ path: join(OUT, 'timeline-highlighted.png') });
    // The highlight is drawn: gold pixels on the canvas.
    const gold = await page.evaluate(() => {
      const c = document.getElementById('timeline-canvas') as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i]! > 240 && d[i + 1]! > 200 && d[i + 1]! < 225 && d[i + 2]! < 40) n++;
      return n;
    });
    expect(gold).toBeGreaterThan(20);
  });

  it('shows the linearizability witness with its model states', async () => {
    const lin = page.locator('#linearizability .card');
    await expect(lin.locator('ul.states li').allTextContents()).resolves.toEqual([`{1 [${XSS_IMG}]}`, '{1 [1 2]}']);
    await expect(lin.locator('tr.breaking').count()).resolves.toBe(1);
    await lin.locator('a.show').click();
    const n = await page.evaluate(() => (window as unknown as { __timeline: { highlighted: number[] } }).__timeline.highlighted.length);
    expect(n).toBe(5);
  });

  it('draws the charts with chart.js', async () => {
    const drawn = await page.evaluate(() =>
      [...document.querySelectorAll('figure.chart canvas')].map((c) => {
        const Chart = (window as unknown as { Chart: { getChart(c: Element): unknown } }).Chart;
        return Boolean(Chart.getChart(c));
      }),
    );
    expect(drawn).toEqual([true, true, true, true, true, true]);
    await page.locator('#charts').screenshot({ path: join(OUT, 'charts.png') });
  });

  it('shows markup from the history as text: no dialog, no injected element, no script run', async () => {
    const text = await page.locator('body').textContent();
    expect(text).toContain(XSS_IMG);
    expect(text).toContain(XSS_SCRIPT.replace(/\s/g, ''));
    await expect(page.locator('img[src="x"]').count()).resolves.toBe(0);
    await expect(page.locator('script').count()).resolves.toBe(3);
    await expect(page.locator('b').filter({ hasText: 'bold' }).count()).resolves.toBe(0);
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('lists runs in the index and filters them as you type', async () => {
    const p = await browser.context.newPage();
    p.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await p.goto(pathToFileURL(join(store, 'index.html')).href);
    await expect(p.locator('#runs tbody tr').count()).resolves.toBe(1);
    await p.fill('#filter', 'invalid postgres');
    await expect(p.locator('#count').textContent()).resolves.toBe('1 of 1 runs');
    await p.fill('#filter', 'cassandra');
    await expect(p.locator('#count').textContent()).resolves.toBe('0 of 1 runs');
    await p.screenshot({ path: join(OUT, 'index.png') });
    await p.close();
    expect(dialogs).toEqual([]);
  });
});
