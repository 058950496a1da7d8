import { escapeHtml } from '../../report/embed-json.js';
import { REPORT_CSS } from '../../report/style.js';
import type { EntryResult, SuiteResult } from '../types.js';
import { expectationText, foundText, linkPath, metricText, runLabel, runSentences, suiteTotals, validityWord } from './common.js';
import { trendChanged } from './trend.js';

// Values from histories and databases may hold any character: controls go (escapeHtml keeps them).
// eslint-disable-next-line no-control-regex
const h = (s: string) => escapeHtml(s.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, ''));

const VERDICT_CLASS: Record<EntryResult['outcome'], string> = { 'as-expected': 'valid', contradiction: 'invalid', unknown: 'unknown' };

function runItem(e: EntryResult, i: number): string {
  const x = e.runs[i]!;
  const word = x.error !== undefined ? 'failed to run' : validityWord(x.valid);
  const cls = x.error !== undefined || x.valid === 'unknown' ? 'unknown' : x.valid ? 'valid' : 'invalid';
  const label = x.report !== undefined ? `<a href="${h(linkPath(x.report))}">${h(runLabel(x))}</a>` : `${h(runLabel(x))} <span class="hint">(no report)</span>`;
  const sentences = [...(x.error !== undefined ? [`error: ${x.error}`] : []), ...runSentences(x)];
  return (
    `<li>${label}: <span class="verdict-${cls}">${h(word)}</span>` +
    (sentences.length > 0 ? `<ul>${sentences.map((s) => `<li>${h(s)}</li>`).join('')}</ul>` : '') +
    '</li>'
  );
}

/**
 * index.html of a suite's folder: the headline, a table of the entries and, per entry, its repetitions
 * linked to their reports with their anomaly sentences, and the trend against the baseline. One static
 * file in the run reports' style (their CSS, inline), no script and no external asset: it opens offline
 * and from an unpacked CI artifact. Every value is HTML-escaped; links are relative, their segments
 * percent-encoded.
 */
export function suiteIndexHtml(r: SuiteResult): string {
  const t = suiteTotals(r);
  const head =
    t.contradictions > 0
      ? `<p class="verdict verdict-invalid">${t.contradictions} ${t.contradictions === 1 ? 'contradiction' : 'contradictions'} of ${t.entries} entries${t.unknown > 0 ? `, ${t.unknown} unknown` : ''}</p>`
      : t.unknown > 0
        ? `<p class="verdict verdict-unknown">${t.unknown} unknown of ${t.entries} entries, no contradiction</p>`
        : `<p class="verdict verdict-valid">all as expected: ${t.entries} entries, ${t.runs} runs</p>`;
  const rows = r.entries.map(
    (e) =>
      `<tr><td><a href="#entry-${h(linkPath(e.entry.id))}">${h(e.entry.id)}</a></td><td>${h(e.entry.db)}</td><td>${h(e.entry.workload)}</td>` +
      `<td>${h(e.entry.nemesis)}</td><td>${h(expectationText(e.entry.expect))}</td>` +
      `<td class="verdict-${VERDICT_CLASS[e.outcome] ?? 'unknown'}">${h(e.outcome)}</td><td>${h(foundText(e))}</td>` +
      `<td>${h(metricText(e.runs, (x) => x.stats?.okPerS, 1))}</td><td>${h(metricText(e.runs, (x) => x.stats?.p99Ms, 1))}</td></tr>`,
  );
  const sections = r.entries.map(
    (e) =>
      `<section class="card${e.outcome === 'as-expected' ? ' lin' : ''}" id="entry-${h(linkPath(e.entry.id))}"><h3>${h(e.entry.id)}</h3>` +
      `<p>${h(e.why)}</p><ul>${e.runs.map((_, i) => runItem(e, i)).join('')}</ul></section>`,
  );
  let trend = '';
  if (r.baseline) {
    const b = r.baseline;
    const items = b.trends.filter(trendChanged).map((tr) => {
      const parts: string[] = [];
      if (tr.newAnomalies.length > 0) parts.push(`new anomalies: ${tr.newAnomalies.join(', ')}`);
      if (tr.disappeared.length > 0) parts.push(`disappeared: ${tr.disappeared.join(', ')}`);
      const pct = (c: number) => `${c > 0 ? '+' : ''}${(c * 100).toFixed(0)}%`;
      if (tr.throughput) parts.push(`ok ops/s ${tr.throughput.before.toFixed(1)} → ${tr.throughput.after.toFixed(1)} (${pct(tr.throughput.change)})`);
      if (tr.p99) parts.push(`p99 ${tr.p99.before.toFixed(1)} → ${tr.p99.after.toFixed(1)} ms (${pct(tr.p99.change)})`);
      return `<li>${h(tr.id)}: ${h(parts.join('; '))}</li>`;
    });
    if (b.added.length > 0) items.push(`<li>added: ${h(b.added.join(', '))}</li>`);
    if (b.removed.length > 0) items.push(`<li>removed: ${h(b.removed.join(', '))}</li>`);
    trend =
      `<h2>Against the baseline</h2><p>Baseline ${h(b.dir)}; throughput and p99 changes only beyond noise.</p>` +
      (items.length > 0 ? `<ul>${items.join('')}</ul>` : '<p>No change beyond noise.</p>');
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>faultline suite ${h(r.name)}</title>
<style>${REPORT_CSS}</style>
</head><body>
<h1>faultline suite ${h(r.name)}</h1>
${head}
<dl class="facts"><dt>suite file</dt><dd>${h(r.file)}</dd><dt>started</dt><dd>${h(r.startedAt)}</dd><dt>duration</dt><dd>${(r.durationS / 60).toFixed(1)} min</dd></dl>
<h2>Entries</h2>
<table><thead><tr><th>entry</th><th>database</th><th>workload</th><th>faults</th><th>expectation</th><th>outcome</th><th>anomalies found</th><th>ok ops/s</th><th>p99 ms</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
<h2>Runs</h2>
${sections.join('\n')}
${trend}
</body></html>
`;
}
