// Browser code (see dom.ts): reads the embedded JSON (never evaluated as script) and renders each part.
import type { PageApi, PageData } from './api.js';
declare const FL: PageApi;

export function main(): void {
  const raw = document.getElementById('report-data')!.textContent || '{}';
  const d = JSON.parse(raw) as PageData;
  document.title = d.title;
  FL.header(document.getElementById('header')!, d);
  FL.cards(document.getElementById('anomalies')!, d);
  FL.lin(document.getElementById('linearizability')!, d);
  FL.tl = FL.timeline(document.getElementById('timeline')!, d.timeline, d.windows);
  (window as unknown as Record<string, unknown>).__timeline = FL.tl;
  try {
    FL.charts(document.getElementById('charts')!, d);
  } catch (e) {
    document.getElementById('charts')!.appendChild(FL.el('p', `charts failed: ${String(e)}`));
  }
  (window as unknown as Record<string, unknown>).__reportReady = performance.now();
}
