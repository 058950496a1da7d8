import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { historyCharts, statsCharts } from './charts.js';
import { digestHistory } from './collect.js';
import { reportHtml } from './html.js';
import { writeRunsIndex } from './index-page.js';
import { pageData, wantedOps, windowSpans } from './page-data.js';
import { renderPngs } from './png.js';
import { readRunFiles } from './run-files.js';

let chartJsCache: string | undefined;
/** chart.js's UMD bundle, inlined into every report (no CDN: the file opens offline). */
function chartJsBundle(): string {
  if (chartJsCache === undefined) {
    const req = createRequire(import.meta.url);
    chartJsCache = readFileSync(join(dirname(req.resolve('chart.js')), 'chart.umd.js'), 'utf8');
  }
  return chartJsCache;
}

export interface BuiltReport {
  /** Path of the run's index.html. */
  html: string;
  /** Paths of the PNG charts. */
  pngs: string[];
  /** Why there are no PNG charts (canvas not installed), when that is the case. */
  note?: string;
}

/**
 * Builds a run's report: <runDir>/index.html (one self-contained file) and <runDir>/charts/*.png,
 * then the index of runs two levels up (<store>/index.html), as `faultline run` lays runs out.
 */
export async function buildReport(runDir: string, opts: { index?: boolean } = {}): Promise<BuiltReport> {
  const dir = resolve(runDir);
  const { run, results, historyFile } = readRunFiles(dir);
  const digest = await digestHistory(historyFile, wantedOps(results), run.spec?.concurrency);
  const windows = windowSpans(digest);
  const charts = [...historyCharts(digest, windows), ...statsCharts(results)];
  let note: string | undefined;
  const pngs = await renderPngs(dir, charts, (n) => { note = n; });
  const html = reportHtml(pageData(run, results, digest, charts, windows), chartJsBundle(), pngs);
  const file = join(dir, 'index.html');
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, html);
  renameSync(tmp, file);
  if (opts.index !== false) writeRunsIndex(dirname(dirname(dir)));
  return { html: file, pngs: [...pngs.values()].map((p) => join(dir, p)), ...(note ? { note } : {}) };
}
