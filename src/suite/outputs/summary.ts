import type { EntryResult, EntryTrend, SuiteResult } from '../types.js';
import { expectationText, foundText, linkPath, metricText, runCharts, runLabel, runSentences, suiteTotals, validityWord, type SuiteTotals } from './common.js';
import { trendChanged } from './trend.js';

/** suite-summary.json: the suite result as suite.json has it, plus the counts. */
export function summaryJson(r: SuiteResult): SuiteResult & { totals: SuiteTotals } {
  return { ...r, totals: suiteTotals(r) };
}

// Controls (other than tab and newline) never reach the Markdown: a value from a history may hold any.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f]/g;

/**
 * Text for Markdown (a paragraph, a list item or a table cell): newlines become spaces (one item is one
 * line), inline markup characters (` * _ [ ] | ~ \) and what would start a
 * block (a leading "# ", "- ", "> ", "1. ") are backslash-escaped, and & < > become entities, so a value like `<img src=x>` or `| x |` is shown as written, neither rendered nor breaking the table.
 */
export function mdText(s: string): string {
  return s
    .replace(CONTROLS, '')
    .replace(/\r?\n|\r/g, ' ')
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
    .replace(/^(\s*)([#+-](?=[\s#-]|$)|>)/, '$1\\$2') // nor start a heading, a list, a quote or a rule
    .replace(/^(\s*\d+)([.)])(?=\s|$)/, '$1\\$2'); // nor a numbered list
}

/** A relative link; the target's segments percent-encoded (see linkPath). */
function mdLink(text: string, path: string): string {
  return `[${mdText(text)}](${linkPath(path)})`;
}

const OUTCOME: Record<EntryResult['outcome'], string> = {
  'as-expected': '✅ as expected',
  contradiction: '❌ contradiction',
  unknown: '⚠️ unknown',
};

function headline(r: SuiteResult, t: SuiteTotals): string {
  const of = `${t.entries} ${t.entries === 1 ? 'entry' : 'entries'}`;
  if (t.contradictions > 0) {
    const more = t.unknown > 0 ? `, ${t.unknown} unknown` : '';
    return `❌ **${t.contradictions} ${t.contradictions === 1 ? 'contradiction' : 'contradictions'}** of ${of}${more}`;
  }
  if (t.unknown > 0) return `⚠️ **${t.unknown} unknown** of ${of}, no contradiction`;
  return `✅ **all as expected**: ${of}, ${t.runs} runs`;
}

function pct(x: number): string {
  return `${x > 0 ? '+' : ''}${(x * 100).toFixed(0)}%`;
}

function trendLines(t: EntryTrend): string[] {
  const out: string[] = [];
  if (t.newAnomalies.length > 0) out.push(`new anomalies: ${t.newAnomalies.join(', ')}`);
  if (t.disappeared.length > 0) out.push(`disappeared: ${t.disappeared.join(', ')}`);
  if (t.throughput) out.push(`ok ops/s ${t.throughput.before.toFixed(1)} → ${t.throughput.after.toFixed(1)} (${pct(t.throughput.change)})`);
  if (t.p99) out.push(`p99 ${t.p99.before.toFixed(1)} → ${t.p99.after.toFixed(1)} ms (${pct(t.p99.change)})`);
  return out;
}

/**
 * suite-summary.md, for a CI job summary ($GITHUB_STEP_SUMMARY) or a merge request comment: a headline,
 * a table of the entries, the contradictions and unknowns with their sentences, links to each run's report
 * and charts (relative to the suite's folder: they work in the unpacked artifact, not on the CI page), and
 * the trend against the baseline. `suiteDir` is where the charts are looked for.
 */
export function summaryMarkdown(r: SuiteResult, suiteDir: string): string {
  const t = suiteTotals(r);
  const out: string[] = [];
  out.push(`## faultline suite ${mdText(r.name)}`, '');
  out.push(headline(r, t), '');
  out.push(`Suite file ${mdText(r.file)}, started ${mdText(r.startedAt)}, ${(r.durationS / 60).toFixed(1)} min.`, '');
  if (r.entries.length > 0) {
    out.push('| entry | expectation | outcome | anomalies found (repetitions) | ok ops/s | p99 ms |');
    out.push('| --- | --- | --- | --- | ---: | ---: |');
    for (const e of r.entries) {
      const cells = [
        mdText(e.entry.id),
        mdText(expectationText(e.entry.expect)),
        OUTCOME[e.outcome] ?? mdText(String(e.outcome)),
        mdText(foundText(e)),
        mdText(metricText(e.runs, (x) => x.stats?.okPerS, 1)),
        mdText(metricText(e.runs, (x) => x.stats?.p99Ms, 1)),
      ];
      out.push(`| ${cells.join(' | ')} |`);
    }
    out.push('');
  }
  for (const [outcome, title] of [
    ['contradiction', 'Contradictions'],
    ['unknown', 'Unknown'],
  ] as const) {
    const es = r.entries.filter((e) => e.outcome === outcome);
    if (es.length === 0) continue;
    out.push(`### ${title}`, '');
    for (const e of es) {
      out.push(`#### ${mdText(e.entry.id)}`, '', mdText(e.why), '');
      for (const x of e.runs) {
        const verdict = x.error !== undefined ? `failed to run: ${x.error}` : validityWord(x.valid);
        const report = x.report !== undefined ? ` (${mdLink('report', x.report)})` : '';
        out.push(`- ${mdText(`${runLabel(x)}: ${verdict}`)}${report}`);
        for (const s of runSentences(x)) out.push(`  - ${mdText(s)}`);
      }
      out.push('');
    }
  }
  out.push('### Reports', '');
  for (const e of r.entries) {
    const links = e.runs.map((x) => (x.report !== undefined ? mdLink(`#${x.repetition}`, x.report) : `${mdText(`#${x.repetition}`)} (no report)`));
    out.push(`- ${mdText(e.entry.id)}: ${links.length > 0 ? links.join(' · ') : 'no runs'}`);
  }
  out.push('');
  const charts = r.entries.flatMap((e) => e.runs.map((x) => ({ e, x, pngs: runCharts(suiteDir, x) }))).filter((c) => c.pngs.length > 0);
  if (charts.length > 0) {
    out.push('### Charts', '');
    for (const { e, x, pngs } of charts) {
      out.push('<details>', `<summary>${mdText(`${e.entry.id}, ${runLabel(x)}`)}</summary>`, '');
      for (const p of pngs)
        out.push(
          `![${mdText(
            p
              .split('/')
              .pop()!
              .replace(/\.png$/, ''),
          )}](${linkPath(p)})`,
        );
      out.push('', '</details>', '');
    }
  }
  if (r.baseline) {
    const b = r.baseline;
    out.push('### Against the baseline', '', `Baseline ${mdText(b.dir)}. Changes in ok ops/s and p99 are shown only beyond noise (docs/suites.md).`, '');
    const changed = b.trends.filter(trendChanged);
    for (const tr of changed) out.push(`- ${mdText(tr.id)}: ${mdText(trendLines(tr).join('; '))}`);
    if (b.added.length > 0) out.push(`- added: ${mdText(b.added.join(', '))}`);
    if (b.removed.length > 0) out.push(`- removed: ${mdText(b.removed.join(', '))}`);
    if (changed.length === 0 && b.added.length === 0 && b.removed.length === 0) out.push('No change beyond noise.');
    out.push('');
  }
  return out.join('\n');
}
