import type { FileResult } from '../check.js';
import type { Anomaly, Validity, Verdict } from '../checkers/types.js';
import { modelWords } from '../report/cycle.js';
import { termSafe } from '../terminal.js';

export function word(v: Validity): string {
  return v === true ? 'valid' : v === false ? 'INVALID' : 'UNKNOWN';
}

function ms(n: number): string {
  return n < 1000 ? `${n} ms` : `${(n / 1000).toFixed(2)} s`;
}

/**
 * The lines for one file: a verdict line, then per checker the cause of unknown, the consistency models
 * ruled out (transactional checkers), and each anomaly's sentence (first few).
 */
export function formatFileResult(r: FileResult, opts: { maxAnomalies?: number } = {}): string[] {
  const max = opts.maxAnomalies ?? 5;
  const names = Object.keys(r.verdicts);
  const per = names.length > 1 ? '  ' + names.map((n) => `${n}=${word(r.verdicts[n].valid).toLowerCase()}`).join(' ') : ` (${names[0]})`;
  const out = [`${r.file}: ${word(r.valid)}${per}  [${r.ops.toLocaleString('en-US')} ops, ${ms(r.elapsedMs)}]`];
  for (const w of r.warnings) out.push(`  warning: line ${w.line}: ${w.message}`);
  for (const n of names) out.push(...detail(n, r.verdicts[n], max));
  return out.map(termSafe); // values from the history are data, not terminal escapes
}

function detail(name: string, v: Verdict, max: number): string[] {
  const out: string[] = [];
  if (v.valid === 'unknown' && v.cause) out.push(`  ${name}: ${v.cause}`);
  const models = modelWords(v.stats);
  // Anomalies outside the checked models still say which models they rule out (unreported in Elle's words).
  if (models) out.push(v.valid === true ? `  ${name}: the checked models hold; beyond them: ${models}` : `  ${name}: ${models}`);
  if (v.valid === false || v.anomalies.length > 0) {
    for (const a of v.anomalies.slice(0, max)) out.push(...(models || a.data?.cycle ? txnAnomaly(name, a) : [`  ${name}: ${a.explanation}`]));
    if (v.anomalies.length > max) out.push(`  ${name}: ... and ${v.anomalies.length - max} more anomalies (use --json for all)`);
  }
  return out;
}

/**
 * A transactional anomaly: its name (G2-item...) and its explanation, whose lines already say who the
 * cycle's T1..Tk are, then the chain.
 */
function txnAnomaly(name: string, a: Anomaly): string[] {
  const [first = '', ...rest] = a.explanation.split('\n');
  return [`  ${name}: ${first.startsWith(a.kind) ? first : `${a.kind}: ${first}`}`, ...rest.map((l) => `      ${l}`)];
}
