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
  const kind = replicationTopology(run);
  if (nodes && nodes.length > 0)
    return `${kind}${nodes.length} node${nodes.length === 1 ? '' : 's'}: ${nodes.map((n) => (n.role ? `${n.name} (${n.role})` : n.name)).join(', ')}`;
  return run.spec?.nodes !== undefined ? `${kind}${run.spec.nodes} nodes` : 'unknown';
}

/** "multi-leader (writes through the key's leader), " for a run that names a topology other than single-leader. */
function replicationTopology(run: RunInfo): string {
  const t = run.spec?.topology;
  if (typeof t !== 'string' || t === 'single-leader') return '';
  if (t !== 'multi-leader') return `${t}, `;
  return `multi-leader (writes through ${run.spec?.writesTo === 'key' ? "the key's leader" : "each session's leader"}), `;
}

/**
 * What a multi-leader or leaderless run's per-node final reads saw (run.json nodeReads), in words; undefined
 * for runs without them.
 */
export function nodeReadsWords(run: RunInfo): string | undefined {
  const r = run.nodeReads;
  if (!r || typeof r !== 'object' || typeof r.rounds !== 'number') return undefined;
  const n = Array.isArray(r.disagreeing) ? r.disagreeing.length : 0;
  const repair = r.repair
    ? r.repair.ok
      ? `, after the database's repair (${(r.repair.ms / 1000).toFixed(1)} s)`
      : `; the repair failed: ${r.repair.error ?? 'no reason given'}`
    : '';
  const rounds = `${r.rounds} round${r.rounds === 1 ? '' : 's'}`;
  return n === 0
    ? `every node read the same of every key (${rounds}${repair})`
    : `the nodes still disagreed on ${n} key${n === 1 ? '' : 's'} after ${rounds}${repair}`;
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
