import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { embedJson } from './embed-json.js';
import { listRuns, type RunEntry } from './runs.js';
import { REPORT_CSS } from './style.js';

// Browser code, inlined by toString: renders the runs table with textContent and filters it as you type.
function runsPage(): void {
  const runs = JSON.parse(document.getElementById('runs-data')!.textContent || '[]') as RunEntry[];
  const body = document.querySelector('#runs tbody')!;
  const filter = document.getElementById('filter') as HTMLInputElement;
  const count = document.getElementById('count')!;
  const rows = runs.map((r) => {
    const tr = document.createElement('tr');
    const cells = [r.verdict, r.db, r.workload, r.faults, r.date, r.path];
    cells.forEach((c, i) => {
      const td = document.createElement('td');
      if (i === 5 && r.hasReport) {
        const a = document.createElement('a');
        a.href = `${r.path}/index.html`;
        a.textContent = c;
        td.appendChild(a);
      } else td.textContent = c;
      if (i === 0) td.className = `verdict-${c}`;
      tr.appendChild(td);
    });
    body.appendChild(tr);
    return { tr, text: cells.join(' ').toLowerCase() };
  });
  const apply = () => {
    const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const r of rows) {
      const ok = words.every((w) => r.text.includes(w));
      r.tr.style.display = ok ? '' : 'none';
      if (ok) shown++;
    }
    count.textContent = `${shown} of ${rows.length} runs`;
  };
  filter.addEventListener('input', apply);
  apply();
}

/** The index of runs under a store: verdict, database, workload, faults, date; a filter box. */
export function runsIndexHtml(store: string): string {
  const runs = listRuns(store);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>faultline runs</title><style>${REPORT_CSS}</style></head><body>
<h1>faultline runs</h1>
<p><input id="filter" type="search" placeholder="filter: e.g. invalid postgres partition" size="50" autofocus> <span id="count"></span></p>
<table id="runs"><thead><tr><th>verdict</th><th>database</th><th>workload</th><th>faults</th><th>date</th><th>run</th></tr></thead><tbody></tbody></table>
<script type="application/json" id="runs-data">${embedJson(runs)}</script>
<script>"use strict";(${runsPage.toString()})();</script>
</body></html>
`;
}

export function writeRunsIndex(store: string): string {
  const file = join(store, 'index.html');
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, runsIndexHtml(store));
  renameSync(tmp, file);
  return file;
}
