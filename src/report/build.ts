import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { historyCharts, statsCharts } from './charts.js';
import { digestHistory } from './collect.js';
import { reportHtml } from './html.js';
import { isStore, STORE_MARKER, writeRunsIndex } from './index-page.js';
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
  /** The index of runs rewritten, or why it was not (not in a store). */
  index?: string;
  /** Things the user should know: runs the index lists as unreadable, an index not written. */
  notes: string[];
}

/**
 * Builds a run's report: <runDir>/index.html (one self-contained file) and <runDir>/charts/*.png,
 * then the index of runs two levels up (<store>/index.html), as `faultline run` lays runs out, when
 * that folder is a store (isStore: it holds .faultline-store); otherwise a note says why not.
 */
export async function buildReport(runDir: string, opts: { index?: boolean } = {}): Promise<BuiltReport> {
  const dir = resolve(runDir);
  const { run, results, historyFile } = readRunFiles(dir);
  const digest = await digestHistory(historyFile, wantedOps(results), run.spec?.concurrency);
  const windows = windowSpans(digest);
  const charts = [...historyCharts(digest, windows), ...statsCharts(results)];
  let note: string | undefined;
  const pngs = await renderPngs(dir, charts, (n) => {
    note = n;
  });
  const html = reportHtml(pageData(run, results, digest, charts, windows), chartJsBundle(), pngs);
  const file = join(dir, 'index.html');
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, html);
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
  const notes: string[] = note ? [note] : [];
  let index: string | undefined;
  if (opts.index !== false) {
    const store = dirname(dirname(dir));
    if (isStore(store)) {
      const w = writeRunsIndex(store);
      index = w.file;
      for (const r of w.unreadable) notes.push(`the index lists ${r.path} as unreadable: ${r.problem}`);
    } else {
      notes.push(`no index of runs written: ${store} is not a faultline store (no ${STORE_MARKER}; \`faultline run\` creates it, or create it by hand)`);
    }
  }
  return { html: file, pngs: [...pngs.values()].map((p) => join(dir, p)), index, notes };
}
