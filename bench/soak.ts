// `npm run soak` (issue 11): each database's safe configuration with every fault package it supports at
// once, several seeds, each run a child process of the real CLI. Per run: verdict, ops, the longest gap
// without an ok op, time from the final heal to the first ok op, wall time, whether the process exited
// by itself, and what it left behind. Exits 1 when any run shows something no documented anomaly explains.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { leftovers } from '../src/runtime/local/leftovers.js';
import { CLI, runChild, type ChildOutcome } from './soak/child.js';
import { SAFE_CONFIGS, configLabel, supportedPackages, type SoakConfig } from './soak/configs.js';
import { classify, KNOWN_ANOMALIES, type Classified } from './soak/known.js';
import { measureRun, type RunFigures } from './soak/measure.js';

const int =
  (what: string) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected ${what}: a whole number of at least 1`);
    return n;
  };

const opts = new Command('soak')
  .description("each database's safe configuration with every fault it supports at once; prints a table, exits 1 on any unexplained result")
  .option('--time-limit <s>', "seconds each run's workload lasts", int('seconds'), 60)
  .option('--seeds <n>', 'runs per configuration (seeds first-seed, first-seed+1, ...)', int('a count'), 3)
  .option('--first-seed <n>', 'the first seed (default: random, printed)', (v) => Number(v))
  .option('--only <dbs>', 'comma-separated databases (postgres, mysql, redis, cassandra)')
  .option('--workloads <names>', 'comma-separated workloads (e.g. list-append,txn-register): only the configurations running them')
  .option('--concurrency <n>', "client workers, instead of each database's default", int('a worker count'))
  .option('--rate <n>', "ops/s, instead of each database's default", int('a rate'))
  .option('--nemesis-interval <s>', 'mean seconds a fault stays on', int('seconds'), 5)
  .option('--grace <s>', "a run still alive this long after its workload's scheduled end is killed as hung", int('seconds'), 240)
  .option('--store <dir>', 'where the runs are stored (default: a new faultline-soak-* folder in the temp dir, kept)')
  .parse()
  .opts<{
    timeLimit: number;
    seeds: number;
    firstSeed?: number;
    only?: string;
    workloads?: string;
    concurrency?: number;
    rate?: number;
    nemesisInterval: number;
    grace: number;
    store?: string;
  }>();

const only = opts.only
  ?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const workloads = opts.workloads
  ?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const configs = SAFE_CONFIGS.filter((c) => (!only || only.includes(c.db)) && (!workloads || workloads.includes(c.workload)));
if (configs.length === 0) {
  console.error(
    `soak: --only ${opts.only ?? '(all)'} --workloads ${opts.workloads ?? '(all)'} name no configuration; configurations: ` +
      SAFE_CONFIGS.map((c) => `${c.db} ${c.workload}`).join(', '),
  );
  process.exit(64);
}
const store = resolve(opts.store ?? mkdtempSync(join(tmpdir(), 'faultline-soak-')));
mkdirSync(store, { recursive: true });
const firstSeed = opts.firstSeed ?? Math.floor(Math.random() * 1e6);

interface Row {
  cfg: SoakConfig;
  seed: number;
  nemesis: string;
  child: ChildOutcome;
  figures?: RunFigures;
  measureError?: string;
  classified?: Classified;
  left: string[];
  findings: string[];
}

/** Every way a run differs from valid, recovered, exited and clean: a faultline bug until shown otherwise. */
function judge(r: Row, limitS: number): void {
  const f = r.findings;
  const c = r.child;
  if (c.ended === 'hung') f.push(`hung: killed by the soak ${(c.wallMs / 1000).toFixed(0)} s after it started`);
  else if (c.exitAfterWorkloadMs === undefined) f.push(`the workload never started (exit ${c.code ?? c.signal})`);
  else if (c.exitAfterWorkloadMs > 60_000) f.push(`exited ${(c.exitAfterWorkloadMs / 1000).toFixed(0)} s after the workload's end (bound 60 s)`);
  if (c.code !== null && c.code >= 64) f.push(`exit code ${c.code}`);
  if (r.left.length > 0) f.push(`left behind: ${r.left.join('; ')}`);
  if (!r.figures) {
    f.push(r.measureError ? `history unreadable: ${r.measureError}` : 'no stored history');
    return;
  }
  const g = r.figures;
  if (g.valid === 'missing') f.push('no results.json (the run was not checked)');
  for (const u of r.classified?.unexplained ?? []) {
    f.push(
      u.anomaly
        ? `${u.checker}: ${u.anomaly.kind}: ${u.anomaly.explanation}`
        : `${u.checker}: ${r.figures.verdicts.find((v) => v.name === u.checker)?.valid}${u.cause ? `: ${u.cause}` : ''}`,
    );
  }
  if (g.recovery.recovered !== true && g.windows > 0) f.push(`not recovered (${g.recovery.source}): ${g.recovery.why ?? g.recovery.recovered}`);
  if (g.windows === 0) f.push('no fault window in the history: the faults were never injected');
  void limitS;
}

function verdictWord(r: Row): string {
  const g = r.figures;
  if (!g) return 'none';
  if (g.valid === true) return 'valid';
  const known = r.classified?.known ?? [];
  const unexplained = r.classified?.unexplained.length ?? 0;
  if (unexplained === 0 && known.length > 0) return `known (${known.map((k) => `${k.entry.id} x${k.count}`).join(', ')})`;
  return `${g.valid === false ? 'INVALID' : String(g.valid).toUpperCase()}${known.length > 0 ? ` (+${known.reduce((n, k) => n + k.count, 0)} known)` : ''}`;
}

const s = (ms: number | undefined) => (ms === undefined ? '-' : ms < 10_000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(1)} s`);

function cells(r: Row): string[] {
  const g = r.figures;
  const c = r.child;
  const exit =
    c.ended === 'hung'
      ? 'HUNG (killed)'
      : c.exitAfterWorkloadMs === undefined
        ? `no workload (${c.code ?? c.signal})`
        : `${c.exitAfterWorkloadMs <= 60_000 ? 'yes' : 'LATE'} +${(c.exitAfterWorkloadMs / 1000).toFixed(0)} s (exit ${c.code ?? c.signal})`;
  const rec = !g
    ? '-'
    : g.recovery.recovered === true
      ? `yes, ${s(g.healToOkMs)}`
      : g.recovery.recovered === false
        ? `NO${g.healToOkMs !== undefined ? `, ${s(g.healToOkMs)}` : ''} (final reads ${g.finalReads.ok}/${g.finalReads.all} ok)`
        : 'unknown';
  return [
    configLabel(r.cfg),
    String(r.seed),
    verdictWord(r),
    g ? `${g.ok}/${g.fail}/${g.info}` : '-',
    g ? `${s(g.longestGapMs)} at ${g.longestGapAtS.toFixed(1)} s` : '-',
    rec,
    `${(c.wallMs / 1000).toFixed(0)} s / ${opts.timeLimit} s`,
    exit,
    r.left.length === 0 ? 'none' : `${r.left.length} LEFT`,
    r.findings.length === 0 ? 'as expected' : 'BUG?',
  ];
}

const HEAD = ['configuration', 'seed', 'verdict', 'ok/fail/info', 'longest gap without ok', 'heal->ok', 'wall / limit', 'exited <=60 s', 'leftovers', 'result'];

function report(r: Row): void {
  const c = cells(r);
  console.log(`   ${HEAD.map((h, i) => `${h}: ${c[i]}`).join(' | ')}`);
  if (r.figures) console.log(`   history: ${r.figures.history}`);
  console.log(`   log: ${r.child.log}`);
  for (const f of r.findings.slice(0, 8)) console.log(`   finding: ${f.length > 400 ? `${f.slice(0, 397)}...` : f}`);
  if (r.findings.length > 8) console.log(`   ... and ${r.findings.length - 8} more findings`);
  if (r.findings.length > 0) for (const e of r.child.errors.slice(0, 4)) console.log(`   first errors: ${e}`);
}

function summary(all: Row[]): void {
  console.log(
    `\nSummary (${new Date().toISOString()}; heal->ok: from the end of the last fault window to the first ok op invoked after it; when the run's own final heal after the workload ends that window, the op is a final read and the figure includes the run's 3 s of quiet)`,
  );
  const table = [HEAD, ...all.map(cells)];
  const w = HEAD.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((x, i) => x.padEnd(w[i]!)).join(' | ')} |`;
  console.log(line(HEAD));
  console.log(`| ${w.map((n) => '-'.repeat(n)).join(' | ')} |`);
  for (const row of table.slice(1)) console.log(line(row));
  const bugs = all.filter((r) => r.findings.length > 0);
  console.log(`\nKnown anomalies (documented; classified, not bugs):`);
  for (const k of KNOWN_ANOMALIES) console.log(`- ${k.id} (${k.db} ${k.replication} ${k.workload}; ${k.checkers.join(', ')}): ${k.sentence}`);
  console.log(
    bugs.length === 0
      ? '\nEvery run: valid or a documented anomaly, recovered, exited by itself, nothing left.'
      : `\n${bugs.length} of ${all.length} runs show something no documented anomaly explains: faultline bugs until shown otherwise.`,
  );
}

console.log(
  `faultline soak: ${configs.length} configurations x ${opts.seeds} seeds, ${opts.timeLimit} s each, seeds from ${firstSeed}; ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}; ${new Date().toISOString()}`,
);
console.log(`runs stored in ${store}`);
const rows: Row[] = [];
for (const cfg of configs) {
  const { supported, refused } = supportedPackages(cfg.db);
  const nemesis = supported.join(',');
  console.log(`\n== ${configLabel(cfg)}: nemesis ${nemesis}`);
  for (const [name, why] of Object.entries(refused)) console.log(`   not run: ${name}: ${why}`);
  for (let i = 0; i < opts.seeds; i++) {
    const seed = firstSeed + i;
    const name = `soak-${cfg.db}-${cfg.replication.replace('/', '-')}-${cfg.workload}`;
    const args = [
      '--db',
      cfg.db,
      '--replication',
      cfg.replication,
      '--workload',
      cfg.workload,
      '--nemesis',
      nemesis,
      '--time-limit',
      String(opts.timeLimit),
      '--concurrency',
      String(opts.concurrency ?? cfg.concurrency),
      '--rate',
      String(opts.rate ?? cfg.rate),
      '--nemesis-interval',
      String(opts.nemesisInterval),
      '--seed',
      String(seed),
      '--store',
      store,
      '--name',
      name,
    ];
    console.log(`-- seed ${seed}: node ${CLI} run ${args.join(' ')}`);
    const child = await runChild({
      args,
      timeLimitS: opts.timeLimit,
      store,
      name,
      graceS: opts.grace,
      startS: cfg.db === 'cassandra' ? 300 : 120,
      log: join(store, `${name}-${seed}.log`),
      onLine: (l) => {
        if (/^(faultline run|running the workload|final reads|checking|soak:|stored in)|: (true|false|unknown)\b/.test(l)) console.log(`   ${l}`);
      },
    });
    const row: Row = { cfg, seed, nemesis, child, left: [], findings: [] };
    if (!child.runId && child.dir && existsSync(join(child.dir, 'run.json'))) {
      try {
        child.runId = (JSON.parse(readFileSync(join(child.dir, 'run.json'), 'utf8')) as { runId?: string }).runId;
      } catch {
        /* reported below */
      }
    }
    if (child.runId) {
      row.left = leftovers(child.runId, { workDir: true });
      // Reported as found; then removed, so the soak itself leaves nothing behind.
      if (row.left.length > 0) {
        try {
          execFileSync(process.execPath, [CLI, 'cleanup', '--run', child.runId], { stdio: ['ignore', 'ignore', 'inherit'] });
        } catch {
          /* cleanup prints why */
        }
      }
    }
    if (child.dir && existsSync(join(child.dir, 'history.jsonl'))) {
      try {
        row.figures = await measureRun(child.dir);
        row.classified = classify(cfg, row.figures.verdicts, row.figures.pairs, row.figures.ops);
      } catch (e) {
        row.measureError = (e as Error).message;
      }
    }
    judge(row, opts.timeLimit);
    report(row);
    rows.push(row);
  }
}

summary(rows);
process.exitCode = rows.some((r) => r.findings.length > 0) ? 1 : 0;
