// Elle-style transactional checkers (issue 14): list-append and rw-register histories from the
// simulated database of bench/gen/txn.ts, checked in process and through the whole `faultline check`
// command in a child process (its wall time and its own peak RSS). The goals are printed beside the
// figures, never asserted. A checker that is missing or throws prints "not available": the bench goes on.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkListAppend, checkRwRegister } from '../../src/checkers/txn/index.js';
import type { CheckOptions, Verdict } from '../../src/checkers/types.js';
import type { Op } from '../../src/history/op.js';
import { generateTxnHistory, writeTxnHistory, type TxnWorkload } from '../gen/txn.js';
import type { BenchCase } from '../types.js';

const CONCURRENCY = 10;
const CHECK_GOAL_MS = 10_000;
const RSS_GOAL_MB = 1536;
const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

const fmtMs = (ms: number) => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`);
const rate = (txns: number, ms: number) => `${Math.round(txns / (ms / 1000)).toLocaleString('en-US')} txns/s`;
const count = (n: number) => n.toLocaleString('en-US');

/** A verdict in a few words: its validity, and its cause or anomaly kinds. */
function verdictWords(v: Pick<Verdict, 'valid' | 'cause' | 'anomalies'>): string {
  const kinds = [...new Set((v.anomalies ?? []).map((a) => a.kind))];
  return `verdict ${String(v.valid)}${v.cause ? ` (${v.cause.slice(0, 80)})` : ''}${kinds.length ? ` [${kinds.slice(0, 5).join(', ')}]` : ''}`;
}

/** The history as the checker sees it in process: generated in memory, then only the checker is timed. */
function inProcess(workload: TxnWorkload, txns: number): BenchCase {
  const check = workload === 'list-append' ? checkListAppend : checkRwRegister;
  return {
    name: `${workload} ${count(txns)} txns x${CONCURRENCY} procs: checker in process`,
    async run() {
      const g0 = performance.now();
      const { ops, stats } = generateTxnHistory({ workload, txns, processes: CONCURRENCY, seed: 14 });
      const genMs = performance.now() - g0;
      const opts: CheckOptions = { timeLimitMs: 300_000, memoryLimitBytes: 1024 * 1024 * 1024, keyed: 'auto' };
      const fn = workload === 'list-append' ? 'checkListAppend' : 'checkRwRegister';
      const t0 = performance.now();
      let v: Verdict;
      try {
        v = check(ops as readonly Op[], opts);
      } catch (e) {
        return { ops: ops.length, note: `${fn} not available (${(e as Error).message}); generated in ${fmtMs(genMs)}` };
      }
      const ms = performance.now() - t0;
      const goal = workload === 'list-append' ? `; goal < 10 s: ${ms < CHECK_GOAL_MS ? 'met' : 'missed'}` : '';
      return {
        ops: ops.length,
        note: `${fn} ${fmtMs(ms)}, ${rate(stats.txns, ms)}, ${verdictWords(v)}${goal}; generated in ${fmtMs(genMs)}`,
      };
    },
  };
}

// Written into the case's dir and preloaded into the child (--require): at exit it records the
// child's own peak RSS, exactly, whatever the platform (no /usr/bin/time, no polling that misses the end).
const RSS_PRELOAD = `process.on('exit', () => { try { require('fs').writeFileSync(process.env.FAULTLINE_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)); } catch {} });\n`;

interface ChildResult {
  wallMs: number;
  rssMB?: number;
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/src/cli/main.js ARGS` as a user would run `faultline ARGS`, with its wall time and peak RSS. */
function runFaultline(dir: string, args: string[]): ChildResult {
  const preload = join(dir, 'rss-preload.cjs');
  const rssFile = join(dir, 'child-rss');
  writeFileSync(preload, RSS_PRELOAD);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--require', preload, CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, FAULTLINE_BENCH_RSS_FILE: rssFile },
    maxBuffer: 1 << 28,
  });
  const wallMs = performance.now() - t0;
  const rssMB = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) / 1024 : undefined;
  return { wallMs, rssMB, status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** The whole `faultline check FILE --checker NAME --json` on a generated JSONL file (written, streaming, in prepare). */
function viaCli(workload: TxnWorkload, txns: number, goal: 'time' | 'memory' | 'none'): BenchCase {
  return {
    name: `${workload} ${count(txns)} txns x${CONCURRENCY} procs: faultline check (child)`,
    async prepare(dir) {
      writeTxnHistory(join(dir, 'history.jsonl'), { workload, txns, processes: CONCURRENCY, seed: 14 });
    },
    async run(dir) {
      const ops = txns * 2;
      const r = runFaultline(dir, ['check', join(dir, 'history.jsonl'), '--checker', workload, '--json']);
      const rss = r.rssMB;
      const goalWords =
        goal === 'time'
          ? `goal < 10 s: ${r.wallMs < CHECK_GOAL_MS ? 'met' : 'missed'}`
          : goal === 'memory'
            ? `goal ${RSS_GOAL_MB} MB: ${rss === undefined ? 'unknown' : rss <= RSS_GOAL_MB ? 'met' : 'missed'} (peak RSS ${rss?.toFixed(0) ?? '?'} MB)`
            : `peak RSS ${rss?.toFixed(0) ?? '?'} MB`;
      const firstErr = r.stderr.trim().split('\n')[0] ?? '';
      if (r.status === 64)
        return {
          ops,
          rssMB: rss,
          note: `not available: ${firstErr
            .replace(/^faultline: /, '')
            .split(';')[0]!
            .slice(0, 80)}`,
        };
      if (r.status === null || ![0, 1, 2].includes(r.status)) {
        const how = r.signal ? `killed by ${r.signal}` : `exit ${r.status}`;
        return { ops, rssMB: rss, note: `failed: ${how}${firstErr ? `: ${firstErr.slice(0, 100)}` : ''}; ${goalWords}` };
      }
      let v: Verdict | undefined;
      try {
        const doc = JSON.parse(r.stdout) as { results: { verdicts?: Record<string, Verdict> }[] };
        v = doc.results[0]?.verdicts?.[workload];
      } catch {
        // No JSON: the verdict is unknown to us, the figures still stand.
      }
      // A crashing checker is reported by the command as unknown with "failed on this history": not available yet.
      if (v?.valid === 'unknown' && /checker failed on this history/.test(v.cause ?? '')) {
        // The figures are then loading and linting alone: a floor under the goals, worth seeing.
        const floor = `load + lint alone ${fmtMs(r.wallMs)}, peak RSS ${rss?.toFixed(0) ?? '?'} MB`;
        return { ops, rssMB: rss, note: `not available (the checker threw: ${v.cause!.split(': ').pop()!.slice(0, 60)}); ${floor}` };
      }
      return { ops, rssMB: rss, note: `exit ${r.status}, ${v ? verdictWords(v) : 'no verdict'}, ${rate(txns, r.wallMs)} end to end; ${goalWords}` };
    },
  };
}

/** Generation alone, streamed to JSONL: what preparing the 1M case costs (it must not hold the history). */
const generator: BenchCase = {
  name: 'txn generator: list-append 1,000,000 txns streamed to JSONL',
  async run(dir) {
    const t0 = performance.now();
    const s = writeTxnHistory(join(dir, 'gen.jsonl'), { txns: 1_000_000, processes: CONCURRENCY, seed: 14 });
    const ms = performance.now() - t0;
    return { ops: s.lines, note: `${rate(s.txns, ms)}; ${count(s.keys)} keys, ${count(s.info)} info, ${count(s.fail)} fail, max ${s.maxOpen} open` };
  },
};

/** No Elle figures are invented: Elle needs the JVM and elle-cli's jar from Clojars, which this machine cannot fetch. */
const elle: BenchCase = {
  name: 'list-append 100,000 txns: Elle (elle-cli), for comparison',
  async run() {
    return { ops: 0, note: 'not measured: elle-cli comes from Clojars, unreachable here; no Elle figure is given' };
  },
};

export const cases: BenchCase[] = [
  generator,
  inProcess('list-append', 100_000),
  viaCli('list-append', 100_000, 'time'),
  viaCli('list-append', 1_000_000, 'memory'),
  inProcess('rw-register', 100_000),
  viaCli('rw-register', 100_000, 'none'),
  elle,
];
