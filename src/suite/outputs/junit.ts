import type { EntryResult, SuiteResult } from '../types.js';
import { entryDurationS, runLabel, runSentences, suiteTotals, validityWord } from './common.js';

/**
 * Characters XML 1.0 forbids anywhere, even as references: controls other than tab, LF and CR, lone
 * surrogates, U+FFFE and U+FFFF. They are removed (a history's value may hold any of them; a JUnit file
 * with one is rejected whole by every CI parser).
 */
const FORBIDDEN = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text for element content (not CDATA: a "]]>" in a value would end it): forbidden characters removed, & < > " ' as references. */
export function xmlText(s: string): string {
  return s.replace(FORBIDDEN, '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Text for an attribute value: as xmlText, and tab, LF, CR as references (a parser turns them into spaces otherwise). */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function seconds(s: number): string {
  return (Number.isFinite(s) && s >= 0 ? s : 0).toFixed(3);
}

/** The body of a failure or error: per repetition, its verdict, its anomaly sentences or error, its report. */
function details(e: EntryResult): string {
  const lines: string[] = [e.why, ''];
  for (const r of e.runs) {
    lines.push(`${runLabel(r)}: ${r.error !== undefined ? 'failed to run' : validityWord(r.valid)}`);
    if (r.error !== undefined) lines.push(`  error: ${r.error}`);
    for (const s of runSentences(r)) lines.push(`  ${s}`);
    const unknown = Object.entries(r.verdicts ?? {}).filter(([, v]) => v === 'unknown');
    if (unknown.length > 0) lines.push(`  unknown: ${unknown.map(([n]) => n).join(', ')}`);
    lines.push(`  report: ${r.report ?? `${r.dir} (no report built)`}`);
  }
  return lines.join('\n');
}

/**
 * JUnit XML: one <testsuite> named after the suite, one <testcase> per entry (name: its id, classname:
 * its database), time from the repetitions' durations.
 *
 * - A contradiction is a <failure>: its message is the entry's `why`, its body the anomaly sentences of
 *   each repetition and the path of each run's report.
 * - An unknown outcome (a verdict unknown, or a repetition that failed to run, none contradicting) is an
 *   <error>, not <skipped>: GitHub's JUnit reporters, GitLab's test report and Jenkins all show <skipped>
 *   as neutral (grey, "skipped"), and a nightly whose cluster did not start, or whose checker ran out of
 *   time, would look fine. <error> is counted apart from failures (the testsuite's `errors`), shown red or
 *   marked in all three, and says "the suite could not tell", not "the database contradicted the expectation".
 * - Every testcase carries its repetitions' verdicts and report paths in <system-out>, which GitLab and
 *   Jenkins show on the test's page.
 */
export function junitXml(r: SuiteResult): string {
  const t = suiteTotals(r);
  const cases = r.entries.map((e) => {
    const open = `  <testcase name="${xmlAttr(e.entry.id)}" classname="${xmlAttr(e.entry.db)}" time="${seconds(entryDurationS(e))}"`;
    const inner: string[] = [];
    if (e.outcome === 'contradiction') inner.push(`    <failure message="${xmlAttr(e.why)}" type="contradiction">${xmlText(details(e))}</failure>`);
    else if (e.outcome === 'unknown') inner.push(`    <error message="${xmlAttr(e.why)}" type="unknown">${xmlText(details(e))}</error>`);
    const out = e.runs.map((x) => `${runLabel(x)}: ${x.error !== undefined ? 'failed to run' : validityWord(x.valid)}; report: ${x.report ?? x.dir}`);
    inner.push(`    <system-out>${xmlText([e.why, ...out].join('\n'))}</system-out>`);
    return `${open}>\n${inner.join('\n')}\n  </testcase>`;
  });
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="faultline" tests="${t.entries}" failures="${t.contradictions}" errors="${t.unknown}" time="${seconds(r.durationS)}">\n` +
    `<testsuite name="${xmlAttr(r.name)}" tests="${t.entries}" failures="${t.contradictions}" errors="${t.unknown}" skipped="0" ` +
    `time="${seconds(r.durationS)}" timestamp="${xmlAttr(r.startedAt)}">\n` +
    `  <properties><property name="suite-file" value="${xmlAttr(r.file)}"/></properties>\n` +
    cases.join('\n') +
    (cases.length > 0 ? '\n' : '') +
    '</testsuite>\n</testsuites>\n'
  );
}
