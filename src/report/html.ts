import type { ChartSpec } from './charts.js';
import { embedJson, escapeHtml } from './embed-json.js';
import { pageScript } from './page/bundle.js';
import type { PageData } from './page/api.js';
import { REPORT_CSS } from './style.js';

/**
 * The report page: static skeleton (chart figures with their PNG as <noscript> fallback), the chart.js
 * UMD bundle, the data as inert JSON, and the page script that renders the data with textContent and canvas.
 */
export function reportHtml(d: PageData, chartJs: string, pngs: Map<string, string>): string {
  const figure = (c: ChartSpec) => {
    const png = pngs.get(c.id);
    return (
      `<figure class="chart" id="chart-${escapeHtml(c.id)}"><canvas width="800" height="400" aria-label="${escapeHtml(c.title)}"></canvas>` +
      (png ? `<noscript><img src="${escapeHtml(png)}" width="800" height="400" alt="${escapeHtml(c.title)}"></noscript>` : '') +
      '</figure>'
    );
  };
  // The bundle is trusted code, but a literal "</script" inside it would still end the element.
  const safeJs = (js: string) => js.replace(/<\/script/gi, '<\\/script').replace(/<!--/g, '<\\!--');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>faultline report</title>
<style>${REPORT_CSS}</style>
</head><body>
<noscript><p>Scripting is off: the charts below are the PNG renderings; the header, anomalies and timeline need JavaScript
(results.json has the same verdicts).</p></noscript>
<header id="header"></header>
<section id="anomalies"></section>
<section id="linearizability"></section>
<h2>Timeline</h2>
<section id="timeline"></section>
<h2>Charts</h2>
<section id="charts">${d.charts.map(figure).join('\n')}</section>
<script type="application/json" id="report-data">${embedJson(d)}</script>
<script>${safeJs(chartJs)}</script>
<script>${safeJs(pageScript())}</script>
</body></html>
`;
}
