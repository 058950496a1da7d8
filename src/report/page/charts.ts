// Browser code (see dom.ts): the chart.js charts (the Chart global comes from the inlined UMD bundle),
// and the availability figures (RPO/RTO) as a table.
import type { PageApi, PageData } from './api.js';
declare const FL: PageApi;
declare const FL_PLUGINS: unknown[];

export function charts(root: HTMLElement, d: PageData): void {
  const Chart = (window as unknown as { Chart?: new (c: HTMLCanvasElement, cfg: unknown) => unknown }).Chart;
  for (const spec of d.charts) {
    const fig = document.getElementById(`chart-${spec.id}`);
    const canvas = fig?.querySelector('canvas');
    if (!canvas || !Chart) continue;
    const config = JSON.parse(JSON.stringify(spec.config)) as Record<string, unknown>;
    config.plugins = FL_PLUGINS;
    new Chart(canvas, config);
  }
  if (d.availability.length > 1) {
    root.appendChild(FL.el('h3', 'Availability around each fault (RPO: acknowledged writes lost; RTO: longest time without a successful op)'));
    root.appendChild(FL.table(d.availability[0]!, d.availability.slice(1), 'availability'));
  }
}
