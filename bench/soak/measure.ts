import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadHistory, pairOps, type Op, type OpPair } from '../../src/history/index.js';
import { faultTimeline } from '../../src/checkers/replication/windows.js';
import type { Anomaly, Validity } from '../../src/checkers/types.js';

/** What a stored run says about availability and recovery, read from its history.jsonl and results.json. */
export interface RunFigures {
  history: string;
  ok: number;
  fail: number;
  info: number;
  /** Longest time without an ok client op during the workload (first invocation to its last op before the final heal), ms. */
  longestGapMs: number;
  longestGapAtS: number;
  /** Fault windows in the history, and whether every one was healed. */
  windows: number;
  finalHealAtS?: number;
  healed: boolean;
  /**
   * From the final heal (the end of the last fault window, the checkers' definition: windows.ts) to the
   * first ok client op invoked after it, ms; undefined when none. When the last window is closed by the
   * run's own final heal after the workload, that op is a final read, after the run's 3 s of quiet.
   */
  healToOkMs?: number;
  /** Client ops invoked after the final heal, and how many were ok. */
  afterHeal: { ok: number; all: number };
  /** The final reads (client ops invoked after the history's last nemesis op), and how many were ok. */
  finalReads: { ok: number; all: number };
  /** verdicts.recovery from results.json when the run has that checker, else our own reading. */
  recovery: { source: 'checker' | 'history'; recovered: boolean | 'unknown'; why?: string };
  valid: Validity | 'missing';
  /** Checkers whose verdict is not true, with their anomalies (or cause). */
  verdicts: { name: string; valid: Validity; anomalies: Anomaly[]; cause?: string }[];
  ops: Op[];
  pairs: OpPair[];
}

interface StoredVerdict {
  valid: Validity;
  anomalies?: Anomaly[];
  cause?: string;
}

export async function measureRun(dir: string): Promise<RunFigures> {
  const history = join(dir, 'history.jsonl');
  const { ops } = await loadHistory(history);
  const pairs = pairOps(ops);
  const tl = faultTimeline(ops);
  const heal = typeof tl.finalHeal === 'object' ? tl.finalHeal : undefined;
  const before = (p: OpPair) => heal === undefined || p.invoke.index < heal.index;

  let ok = 0,
    fail = 0,
    info = 0;
  for (const p of pairs) {
    if (p.type === 'ok') ok++;
    else if (p.type === 'fail') fail++;
    else info++;
  }

  // The workload's span: its first invocation to its last op before the final heal (after the heal come
  // the run's 3 s of quiet and the final reads, which are not the workload).
  const main = pairs.filter(before);
  let gap = 0,
    gapAt = 0;
  if (main.length > 0) {
    const start = main[0]!.invoke.time;
    let end = start;
    for (const p of main) end = Math.max(end, p.complete?.time ?? p.invoke.time);
    const oks = main
      .filter((p) => p.type === 'ok')
      .map((p) => p.complete!.time)
      .sort((a, b) => a - b);
    let prev = start;
    for (const t of [...oks, end]) {
      if (t - prev > gap) {
        gap = t - prev;
        gapAt = prev;
      }
      prev = Math.max(prev, t);
    }
  }

  const after = heal ? pairs.filter((p) => p.invoke.index > heal.index) : [];
  const firstOk = after
    .filter((p) => p.type === 'ok')
    .map((p) => p.complete!.time)
    .sort((a, b) => a - b)[0];
  const afterHeal = { ok: after.filter((p) => p.type === 'ok').length, all: after.length };
  let lastNemesis = -1;
  for (const op of ops) if (op.process === 'nemesis') lastNemesis = op.index;
  const finals = pairs.filter((p) => p.invoke.index > lastNemesis);
  const finalReads = { ok: finals.filter((p) => p.type === 'ok').length, all: finals.length };

  const resultsFile = join(dir, 'results.json');
  const results = existsSync(resultsFile)
    ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as { valid: Validity; verdicts: Record<string, StoredVerdict> })
    : undefined;
  const verdicts = Object.entries(results?.verdicts ?? {})
    .filter(([, v]) => v.valid !== true)
    .map(([name, v]) => ({ name, valid: v.valid, anomalies: v.anomalies ?? [], ...(v.cause ? { cause: v.cause } : {}) }));

  let recovery: RunFigures['recovery'];
  const rc = results?.verdicts.recovery;
  if (rc) {
    const nr = (rc.anomalies ?? []).filter((a) => a.kind === 'not-recovered');
    recovery = {
      source: 'checker',
      recovered: rc.valid === true ? true : rc.valid === false ? false : 'unknown',
      ...(nr[0] ? { why: nr[0].explanation } : rc.cause ? { why: rc.cause } : {}),
    };
  } else if (tl.finalHeal === 'never' || tl.finalHeal === 'failed') {
    recovery = {
      source: 'history',
      recovered: false,
      why: tl.finalHeal === 'failed' ? `the final heal failed: ${tl.healFailure!.f} ended with "${tl.healFailure!.error}"` : 'a fault was never healed',
    };
  } else if (!heal) {
    recovery = { source: 'history', recovered: 'unknown', why: 'no fault windows in the history' };
  } else if (afterHeal.ok === 0) {
    recovery = {
      source: 'history',
      recovered: false,
      why:
        afterHeal.all === 0
          ? 'no client op after the final heal'
          : `none of the ${afterHeal.all} ops after the final heal was ok; the first: ${describePair(after[0]!)}`,
    };
  } else if (finalReads.ok < finalReads.all) {
    // It served again, then the state it ended in could not be read in full.
    const missed = finals.filter((p) => p.type !== 'ok');
    recovery = {
      source: 'history',
      recovered: false,
      why: `${missed.length} of ${finals.length} final reads were not ok; the first: ${describePair(missed[0]!)}`,
    };
  } else {
    recovery = { source: 'history', recovered: true };
  }

  return {
    history,
    ok,
    fail,
    info,
    longestGapMs: gap / 1e6,
    longestGapAtS: gapAt / 1e9,
    windows: tl.windows.length,
    healed: tl.finalHeal !== 'never' && tl.finalHeal !== 'failed',
    ...(heal ? { finalHealAtS: heal.time / 1e9 } : {}),
    ...(heal && firstOk !== undefined ? { healToOkMs: (firstOk - heal.time) / 1e6 } : {}),
    afterHeal,
    finalReads,
    recovery,
    valid: results?.valid ?? 'missing',
    verdicts,
    ops,
    pairs,
  };
}

function describePair(p: OpPair): string {
  const err = p.complete?.error !== undefined ? `: ${String(typeof p.complete.error === 'string' ? p.complete.error : JSON.stringify(p.complete.error))}` : '';
  return `${p.f} ${JSON.stringify(p.invoke.value)} by process ${String(p.process)} at ${(p.invoke.time / 1e9).toFixed(3)} s -> ${p.type}${err}`;
}
