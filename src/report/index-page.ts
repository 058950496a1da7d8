import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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
    const cells = [r.verdict, r.db, r.workload, r.faults, r.date, r.problem ? `${r.path}: ${r.problem}` : r.path];
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
  return pageHtml(listRuns(store));
}

function pageHtml(runs: RunEntry[]): string {
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

/**
 * A store is a folder faultline made: `faultline run` leaves STORE_MARKER in it. The index of runs is
 * written only there (or where an index.html we wrote already stands, from before the marker), so
 * `faultline report DIR` on a run copied elsewhere never overwrites someone's index.html two folders up.
 */
export const STORE_MARKER = '.faultline-store';

export function isStore(store: string): boolean {
  if (existsSync(join(store, STORE_MARKER))) return true;
  try {
    return readFileSync(join(store, 'index.html'), 'utf8').slice(0, 400).includes('<title>faultline runs</title>');
  } catch {
    return false;
  }
}

/** Writes <store>/index.html; returns it and the runs listed as unreadable (for a note). */
export function writeRunsIndex(store: string): { file: string; unreadable: RunEntry[] } {
  const file = join(store, 'index.html');
  const runs = listRuns(store);
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, pageHtml(runs));
  renameSync(tmp, file);
  return { file, unreadable: runs.filter((r) => r.verdict === 'unreadable') };
}
