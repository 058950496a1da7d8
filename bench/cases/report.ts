import { closeSync, mkdirSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildReport } from '../../src/report/index.js';
import { launchChromium } from '../gen/chromium.js';
import type { BenchCase } from '../types.js';

const OPERATIONS = 1_000_000;
const THREADS = 50;

/** A run dir with 1,000,000 operations (2,000,000 lines): 50 threads, reads and appends, 1% info, 10 partitions. */
function writeRun(dir: string): void {
  const run = join(dir, 'runs', 'bench', '20260101T000000Z');
  mkdirSync(run, { recursive: true });
  const fd = openSync(join(run, 'history.jsonl'), 'w');
  const proc = Array.from({ length: THREADS }, (_, i) => i);
  let buf = '',
    index = 0,
    t = 0;
  const line = (o: object) => {
    buf += JSON.stringify({ index: index++, ...o }) + '\n';
    if (buf.length > 1 << 20) {
      writeSync(fd, buf);
      buf = '';
    }
  };
  const perFault = Math.floor(OPERATIONS / 20);
  for (let i = 0; i < OPERATIONS; i++) {
    if (i % perFault === 0 && i > 0) {
      const f = (i / perFault) % 2 === 1 ? 'start-partition' : 'stop-partition';
      line({ time: t, type: 'invoke', process: 'nemesis', f, value: null });
      line({ time: t + 1e5, type: 'info', process: 'nemesis', f, value: null });
    }
    const th = i % THREADS,
      p = proc[th]!,
      key = i % 1000,
      write = i % 3 === 0;
    line({ time: t, type: 'invoke', process: p, f: write ? 'append' : 'read', value: [key, write ? i : null] });
    const lat = 2e5 + ((i * 7919) % 50) * 1e5;
    const type = i % 100 === 7 ? 'info' : i % 50 === 3 ? 'fail' : 'ok';
    line({ time: t + lat, type, process: p, f: write ? 'append' : 'read', value: [key, write ? i : [i - 3, i - 1]], node: `n${(th % 5) + 1}` });
    if (type === 'info') proc[th] = p + THREADS;
    t += 2e4;
  }
  writeSync(fd, buf);
  closeSync(fd);
  writeFileSync(
    join(run, 'run.json'),
    JSON.stringify({
      runId: 'bench',
      seed: 1,
      command: ['faultline', 'run', '--nemesis', 'partition'],
      spec: { db: 'postgres', workload: 'append', nemesis: 'partition', replication: 'async', reads: 'replicas', nodes: 5, concurrency: THREADS },
    }),
  );
  writeFileSync(join(run, 'results.json'), JSON.stringify({ valid: true, ops: index, verdicts: { stats: { valid: true, anomalies: [] } } }));
}

// The report for a 1M-operation history: build time (Node), then the time until the page has drawn
// its timeline in headless Chromium (performance.now() at the first draw, from navigation start).
export const cases: BenchCase[] = [
  {
    name: 'report: build + open in Chromium, 1,000,000 operations',
    async prepare(dir) {
      writeRun(dir);
    },
    async run(dir) {
      const run = join(dir, 'runs', 'bench', '20260101T000000Z');
      const t0 = performance.now();
      const { html } = await buildReport(run);
      const buildMs = performance.now() - t0;
      const browser = await launchChromium();
      try {
        const page = await browser.context.newPage();
        await page.goto(pathToFileURL(html).href, { timeout: 120_000 });
        const rendered = await page.waitForFunction(() => (window as unknown as { __timelineRendered?: number }).__timelineRendered, null, {
          timeout: 120_000,
        });
        const renderMs = (await rendered.jsonValue()) as number;
        // A zoom step and a full redraw, as a reader would trigger.
        const redrawMs = await page.evaluate(() => {
          const tl = (window as unknown as { __timeline: { redraw(): void } }).__timeline;
          const a = performance.now();
          tl.redraw();
          return performance.now() - a;
        });
        const mb = statSync(html).size / 1e6;
        return {
          ops: OPERATIONS * 2,
          note:
            `build ${(buildMs / 1000).toFixed(1)} s; index.html ${mb.toFixed(0)} MB; timeline rendered ${(renderMs / 1000).toFixed(2)} s after ` +
            `navigation; full redraw ${redrawMs.toFixed(0)} ms`,
        };
      } finally {
        await browser.close();
      }
    },
  },
];
