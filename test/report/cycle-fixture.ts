import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Verdict } from '../../src/checkers/types.js';

export const KEY = '<script>alert(1)</script>';
export const VALUE = 'a&b';

/** The four transactions: process, invoked micro-ops, completed micro-ops. Invoked at indices 0..3, ok at 4..7. */
const TXNS: [number, unknown[], unknown[]][] = [
  [
    0,
    [
      ['r', KEY, null],
      ['append', 'z', 2],
    ],
    [
      ['r', KEY, []],
      ['append', 'z', 2],
    ],
  ],
  [
    1,
    [
      ['append', KEY, VALUE],
      ['r', 'y', null],
    ],
    [
      ['append', KEY, VALUE],
      ['r', 'y', []],
    ],
  ],
  [
    2,
    [
      ['append', 'y', 1],
      ['append', 'z', 1],
    ],
    [
      ['append', 'y', 1],
      ['append', 'z', 1],
    ],
  ],
  [3, [['r', 'z', null]], [['r', 'z', [1, 2]]]],
];

/**
 * A list-append verdict written by hand in the shape the txn checkers store (anomaly.data.cycle is a
 * CycleWitness, stats.not / stats.alsoNot the models ruled out), over the history of writeCycleRun:
 *  - G2-item over T1 -rw-> T2 -rw-> T3 -ww-> T1, whose first key is markup and whose value holds `&`;
 *  - G1c-realtime over two transactions (wr, realtime), to see the two-node drawing (its steps are
 *    illustrative: these tests are about showing cycles, not inferring them);
 *  - G0 over 13 transactions: too long to draw, listed only.
 */
export function listAppendVerdict(): Verdict {
  const k = JSON.stringify(KEY);
  const v = JSON.stringify(VALUE);
  const t = (name: string, i: number, mops: string) => ({ name, index: 4 + i, invokeIndex: i, process: TXNS[i]![0], type: 'ok', mops });
  const g2 = {
    txns: [t('T1', 0, `[r ${k} []] [append "z" 2]`), t('T2', 1, `[append ${k} ${v}] [r "y" []]`), t('T3', 2, `[append "y" 1] [append "z" 1]`)],
    edges: [
      { from: 0, to: 1, kind: 'rw', key: KEY, value: VALUE, sentence: `T1 read key ${k} without ${v}; T2 appended ${v} to it, so T1 precedes T2 (rw)` },
      { from: 1, to: 2, kind: 'rw', key: 'y', value: 1, sentence: 'T2 read key "y" without 1; T3 appended 1 to it, so T2 precedes T3 (rw)' },
      {
        from: 2,
        to: 0,
        kind: 'ww',
        key: 'z',
        value: 2,
        sentence: 'T3 appended 1 to key "z" and T1 appended 2 after it (a read saw [1 2]), so T3 precedes T1 (ww)',
      },
    ],
  };
  const g1c = {
    txns: [t('T1', 2, `[append "y" 1] [append "z" 1]`), t('T2', 3, '[r "z" [1 2]]')],
    edges: [
      { from: 0, to: 1, kind: 'wr', key: 'z', value: 1, sentence: 'T2 read 1 from key "z", which T1 appended, so T1 precedes T2 (wr)' },
      { from: 1, to: 0, kind: 'realtime', sentence: 'T2 completed before T1 began, so T2 precedes T1 (realtime)' },
    ],
  };
  const long = {
    txns: Array.from({ length: 13 }, (_, i) => t(`T${i + 1}`, i % 4, '[append "w" 1]')),
    edges: Array.from({ length: 13 }, (_, i) => ({
      from: i,
      to: (i + 1) % 13,
      kind: i % 2 === 0 ? 'ww' : 'process',
      ...(i % 2 === 0 ? { key: 'w' } : {}),
      sentence: `T${i + 1} precedes T${((i + 1) % 13) + 1}`,
    })),
  };
  const chain = (c: { edges: { sentence: string }[] }, model: string) => `${c.edges.map((e) => e.sentence).join('; ')}: a cycle, so not ${model}`;
  return {
    valid: false,
    anomalies: [
      { kind: 'G2-item', ops: [4, 5, 6], explanation: chain(g2, 'repeatable-read'), data: { cycle: g2 } },
      { kind: 'G1c-realtime', ops: [6, 7], explanation: chain(g1c, 'strong-session-read-committed'), data: { cycle: g1c } },
      { kind: 'G0', ops: [4], explanation: chain(long, 'read-uncommitted'), data: { cycle: long } },
    ],
    stats: { not: ['read-uncommitted'], alsoNot: ['read-committed', 'repeatable-read', 'serializable', 'strict-serializable'] },
  };
}

/** A stored list-append run (history, run.json, results.json) whose results hold listAppendVerdict. */
export function writeCycleRun(store: string): string {
  const dir = join(store, 'txn', '20260101T000000Z');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(store, '.faultline-store'), '');
  const lines: string[] = [];
  let index = 0;
  // All four invoked, then all four completed: all concurrent.
  for (const [p, inv] of TXNS) lines.push(JSON.stringify({ index: index++, time: 1e6 * index, type: 'invoke', process: p, f: 'txn', value: inv }));
  for (const [p, , ok] of TXNS) lines.push(JSON.stringify({ index: index++, time: 1e6 * index, type: 'ok', process: p, f: 'txn', value: ok, node: 'n1' }));
  writeFileSync(join(dir, 'history.jsonl'), lines.join('\n') + '\n');
  writeFileSync(join(dir, 'results.json'), JSON.stringify({ valid: false, ops: lines.length, verdicts: { 'list-append': listAppendVerdict() } }));
  writeFileSync(
    join(dir, 'run.json'),
    JSON.stringify({ runId: 'txn1', seed: 7, spec: { db: 'postgres', workload: 'list-append', nemesis: 'none', concurrency: 4 } }),
  );
  return dir;
}
