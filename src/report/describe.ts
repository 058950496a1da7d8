import type { RunInfo, StoredVerdict } from './run-files.js';

/** argv as one line a POSIX shell reads back to the same argv. */
export function shellQuote(argv: string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** The command to reproduce a run: its own argv, with --seed added when it was chosen at random. */
export function reproduceCommand(run: RunInfo): string {
  const argv = run.command && run.command.length > 0 ? [...run.command] : ['faultline', 'run'];
  if (argv[0] !== 'faultline' && !argv[0]?.endsWith('faultline')) argv.unshift('faultline');
  if (run.seed !== undefined && !argv.some((a) => a === '--seed' || a.startsWith('--seed='))) argv.push('--seed', String(run.seed));
  return shellQuote(argv);
}

export function validWord(v: boolean | 'unknown' | undefined): 'valid' | 'invalid' | 'unknown' {
  return v === true ? 'valid' : v === false ? 'invalid' : 'unknown';
}

/** One checker's verdict in plain words. */
export function verdictWords(v: StoredVerdict): string {
  const n = v.anomalies?.length ?? 0;
  if (v.valid === true) return 'valid: no anomaly found';
  if (v.valid === false) return `invalid: ${n} anomal${n === 1 ? 'y' : 'ies'} found`;
  return `unknown: ${v.cause ?? 'the checker could not decide'}`;
}

export function durationWords(run: RunInfo, lastTimeMs: number): string {
  const a = run.startedAt ? Date.parse(run.startedAt) : NaN,
    b = run.endedAt ? Date.parse(run.endedAt) : NaN;
  const hist = `${(lastTimeMs / 1000).toFixed(1)} s of history`;
  return Number.isFinite(a) && Number.isFinite(b) ? `${((b - a) / 1000).toFixed(1)} s wall clock (${hist})` : hist;
}

export function topologyWords(run: RunInfo): string {
  const nodes = run.cluster?.nodes;
  if (nodes && nodes.length > 0)
    return `${nodes.length} node${nodes.length === 1 ? '' : 's'}: ${nodes.map((n) => (n.role ? `${n.name} (${n.role})` : n.name)).join(', ')}`;
  return run.spec?.nodes !== undefined ? `${run.spec.nodes} nodes` : 'unknown';
}

export function faultWords(run: RunInfo): string {
  const n = run.spec?.nemesis;
  return !n || n === 'none'
    ? 'none'
    : n
        .split(',')
        .map((s) => s.trim())
        .join(', ');
}
