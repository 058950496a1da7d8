import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../bench/gen/chromium.js';
import { buildReport } from '../../src/report/index.js';
import { KEY, VALUE, writeCycleRun } from './cycle-fixture.js';
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

describe('transactional cycles in headless Chromium', () => {
  let store: string, browser: Awaited<ReturnType<typeof launchChromium>>, page: Page;
  const dialogs: string[] = [];
  const errors: string[] = [];
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    store = mkdtempSync(join(tmpdir(), 'faultline-report-cycle-browser-'));
    const html = (await buildReport(writeCycleRun(store))).html;
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => errors.push(String(e)));
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

  it('draws each cycle of up to 12 transactions as a graph: one node per transaction, one labelled arrow per step', async () => {
    const cards = page.locator('#anomalies .card');
    await expect(cards.count()).resolves.toBe(3);
    const g2 = cards.nth(0);
    await expect(g2.locator('svg.cycle-graph').count()).resolves.toBe(1);
    await expect(g2.locator('svg.cycle-graph g.cyc-node').count()).resolves.toBe(3);
    await expect(g2.locator('svg.cycle-graph g.cyc-node text.cyc-name').allTextContents()).resolves.toEqual(['T1', 'T2', 'T3']);
    await expect(g2.locator('svg.cycle-graph g.cyc-edge path').count()).resolves.toBe(3);
    await expect(g2.locator('svg.cycle-graph g.cyc-edge polygon').count()).resolves.toBe(3);
    await expect(g2.locator('svg.cycle-graph g.cyc-edge').evaluateAll((es) => es.map((e) => e.getAttribute('class')))).resolves.toEqual([
      'cyc-edge cyc-rw',
      'cyc-edge cyc-rw',
      'cyc-edge cyc-ww',
    ]);
    // The key is markup: shown as text (shortened on the arrow, whole in the tooltip and the chain), never parsed.
    const labels = await g2.locator('text.cyc-label').allTextContents();
    expect(labels).toEqual([`rw "<script>alert(1)<…`, 'rw "y"', 'ww "z"']);
    await expect(g2.locator('g.cyc-edge title').first().textContent()).resolves.toBe(
      `T1 → T2 (rw, key "${KEY}", value "${VALUE}"): T1 read key "${KEY}" without "${VALUE}"; T2 appended "${VALUE}" to it, so T1 precedes T2 (rw)`,
    );
    await expect(g2.locator('g.cyc-node title').nth(1).textContent()).resolves.toBe(
      `T2: process 1, ok, history index 5\n[append "${KEY}" "${VALUE}"] [r "y" []]`,
    );
    await expect(g2.locator('ol.chain li').count()).resolves.toBe(3);
    await expect(g2.locator('ol.chain li').nth(2).textContent()).resolves.toBe(
      'T3 → T1 (ww, key "z", value 2): T3 appended 1 to key "z" and T1 appended 2 after it (a read saw [1 2]), so T3 precedes T1 (ww)',
    );
    await expect(g2.locator('ul.cyc-legend li').allTextContents()).resolves.toEqual([
      'ww: write-write, the second overwrote the first',
      'rw: read-write (anti-dependency), the first read a version the second overwrote',
    ]);
    // Two transactions: two arrows; thirteen: no drawing, the list only.
    await expect(cards.nth(1).locator('svg.cycle-graph g.cyc-node').count()).resolves.toBe(2);
    await expect(cards.nth(1).locator('svg.cycle-graph g.cyc-edge').count()).resolves.toBe(2);
    await expect(cards.nth(2).locator('svg.cycle-graph').count()).resolves.toBe(0);
    await expect(cards.nth(2).locator('ol.chain li').count()).resolves.toBe(13);
    await expect(cards.nth(2).locator('p.hint').textContent()).resolves.toBe('A cycle of 13 transactions, too long to draw: its steps are listed below.');
    // Drawn: the graph has a real size on the page, and the arrows are visible strokes.
    const box = await g2.locator('svg.cycle-graph').boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(200);
    await expect(
      g2
        .locator('g.cyc-edge path')
        .first()
        .evaluate((p) => [getComputedStyle(p).stroke, getComputedStyle(p).strokeDasharray]),
    ).resolves.toEqual(['rgb(192, 57, 43)', '6px, 4px']);
    await g2.screenshot({ path: join(OUT, 'cycle.png') });
    // A click on a node shows that transaction on the timeline.
    await g2.locator('g.cyc-node text.cyc-name').nth(1).click();
    const tl = await page.evaluate(() => (window as unknown as { __timeline: { highlighted: number[] } }).__timeline.highlighted);
    const bar = await page.evaluate(
      () =>
        (JSON.parse(document.getElementById('report-data')!.textContent!) as { anomalies: { cycle: { txns: { bar: number }[] } }[] }).anomalies[0]!.cycle
          .txns[1]!.bar,
    );
    expect(tl).toEqual([bar]);
    await cards.nth(1).screenshot({ path: join(OUT, 'cycle-two.png') });
  });

  it('shows the models ruled out next to the verdict, and runs nothing from the history', async () => {
    await expect(page.locator('.verdicts').textContent()).resolves.toBe(
      'list-append: invalid: 3 anomalies found; not read-uncommitted; also not read-committed, repeatable-read, serializable, strict-serializable',
    );
    await expect(page.locator('script').count()).resolves.toBe(3);
    expect(await page.locator('body').textContent()).toContain(KEY);
    await page.waitForTimeout(200);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });
});
