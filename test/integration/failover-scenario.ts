import { expect } from 'vitest';
import type { Answer, FailoverPolicy } from '../../src/adapters/failover-choice.js';
import type { Client, Completion, Db } from '../../src/adapters/types.js';
import type { Op, Process } from '../../src/history/op.js';
import { lintHistory } from '../../src/history/lint.js';
import { failoverPackage, killPackage } from '../../src/nemesis/process-faults.js';
import type { NemesisContext, NemesisResult } from '../../src/nemesis/types.js';
import type { Cluster } from '../../src/runtime/types.js';

/** Records a history as the interpreter would: each invocation before the call, its completion after. */
export class Recorder {
  readonly ops: Op[] = [];
  private readonly t0 = process.hrtime.bigint();
  private push(p: Process, type: Op['type'], f: string, value: unknown, extra: { node?: string; error?: string } = {}): void {
    const op: Op = { index: this.ops.length, time: Number(process.hrtime.bigint() - this.t0), type, process: p, f, value };
    if (extra.node !== undefined) op.node = extra.node;
    if (extra.error !== undefined) op.error = extra.error;
    this.ops.push(op);
  }
  async client(c: Client, p: number, f: string, value: unknown): Promise<Completion> {
    this.push(p, 'invoke', f, value);
    const r = await c.invoke(f, value, 3000);
    this.push(p, r.type, f, r.value, { node: r.node, error: r.error });
    return r;
  }
  /** A nemesis action; a throw is recorded as info with its message (it may have acted). */
  async nemesis(f: string, value: unknown, act: () => Promise<NemesisResult | void>): Promise<NemesisResult> {
    this.push('nemesis', 'invoke', f, value);
    let r: NemesisResult;
    try {
      r = (await act()) ?? { type: 'info', value };
    } catch (e) {
      r = { type: 'info', value, error: (e as Error).message };
    }
    this.push('nemesis', r.type, f, r.value, { error: r.error });
    return r;
  }
  lint() {
    return lintHistory({ file: '(test)', format: 'jsonl', ops: this.ops, lines: this.ops.map((_, i) => i + 1), warnings: [] } as never);
  }
}

/**
 * The deterministic steps of issue 9 item 12 on a 3-node cluster whose commits wait for ONE of the two
 * standbys (Postgres sync, MySQL semi-sync):
 *   1. appends 1..5 acknowledged while both standbys stream;
 *   2. n2 is cut off from the primary, so appends 6..10 are acknowledged by n3 alone;
 *   3. n3 is paused: the only standby holding them cannot answer;
 *   4. start-failover with `policy` (fenced, isolation 200 ms, safe waits up to 3 s);
 *   5. heal (resume n3, heal n2, stop-failover), then the final read on the primary.
 * `position` reads a standby's position for the check that n2 really lags n3 before the failover.
 * With resumeAfterMs, a timer resumes n3 that long into the failover (the pause ends while the failover
 * waits); the recorded `resume` op, after the failover (the nemesis is one worker), then closes the window.
 */
export async function onlyLaggingStandbyAnswers(
  db: Db,
  cluster: Cluster,
  policy: FailoverPolicy,
  position: (node: string) => Promise<Answer | undefined>,
  resumeAfterMs?: number,
) {
  const [n1, n2, n3] = cluster.nodes as [Cluster['nodes'][0], Cluster['nodes'][0], Cluster['nodes'][0]];
  const rec = new Recorder();
  const c = await db.client(0);
  for (let e = 1; e <= 5; e++) expect((await rec.client(c, 0, 'append', [1, e])).type).toBe('ok');
  await rec.nemesis('start-partition', { n2: ['n1'] }, () => n2.partition([n1.ip]));
  for (let e = 6; e <= 10; e++) expect((await rec.client(c, 0, 'append', [1, e])).type).toBe('ok');
  const p2 = await position('n2'),
    p3 = await position('n3');
  expect(p2!.at).toBeLessThan(p3!.at); // only n3 acknowledged 6..10
  await rec.nemesis('pause', { node: 'n3' }, () => db.pause(n3));
  const pkg = failoverPackage(true, 200, policy, 3000);
  const timer =
    resumeAfterMs === undefined
      ? undefined
      : setTimeout(() => {
          void db.resume(n3);
        }, resumeAfterMs);
  const fo = await rec.nemesis('start-failover', { fence: true, isolateMs: 200, policy }, () =>
    pkg.invoke({ cluster, db }, { f: 'start-failover', value: null }),
  );
  clearTimeout(timer);
  await rec.nemesis('resume', null, () => db.resume(n3));
  await rec.nemesis('stop-partition', null, () => n2.healPartition());
  await rec.nemesis('stop-failover', null, () => pkg.invoke({ cluster, db }, { f: 'stop-failover', value: null }));
  const final = await finalRead(rec, c);
  return { ops: rec.ops, fo, final, positions: { n2: p2!.text, n3: p3!.text } };
}

/**
 * What a promoted standby inherited (the soak's postgres sync run, seed 103), on the same 3-node
 * one-ack cluster:
 *   1. appends 1..5 acknowledged while both standbys stream;
 *   2. n3 is cut off from n1 and n2, so appends 6..10 are acknowledged by n2 alone;
 *   3. start-failover (safe): both standbys answer, n2 (the most advanced) is promoted; n3 is told to
 *      follow n2 but stays cut off, behind what n2 held when promoted (the floor);
 *   4. start-failover again: n1 is fenced, so n3 is the only standby and the rule (one ack of n3) is met
 *      by n3 alone, which lacks 6..10: a careful failover refuses, and n2 starts again as the primary;
 *   5. heal (n3's cut, stop-failover rebuilding n1), then the final read on the primary.
 */
export async function promotedStandbyInheritedWrites(db: Db, cluster: Cluster, position: (node: string) => Promise<Answer | undefined>) {
  const [n1, n2, n3] = cluster.nodes as [Cluster['nodes'][0], Cluster['nodes'][0], Cluster['nodes'][0]];
  const rec = new Recorder();
  const c = await db.client(0);
  for (let e = 1; e <= 5; e++) expect((await rec.client(c, 0, 'append', [1, e])).type).toBe('ok');
  await rec.nemesis('start-partition', { n3: ['n1', 'n2'] }, () => n3.partition([n1.ip, n2.ip]));
  for (let e = 6; e <= 10; e++) expect((await rec.client(c, 0, 'append', [1, e])).type).toBe('ok');
  const p2 = await position('n2'),
    p3 = await position('n3');
  expect(p3!.at).toBeLessThan(p2!.at); // only n2 acknowledged 6..10
  const pkg = failoverPackage(true, 200, 'safe', 1000);
  const first = await rec.nemesis('start-failover', { fence: true, isolateMs: 200, policy: 'safe' }, () =>
    pkg.invoke({ cluster, db }, { f: 'start-failover', value: null }),
  );
  const second = await rec.nemesis('start-failover', { fence: true, isolateMs: 200, policy: 'safe' }, () =>
    pkg.invoke({ cluster, db }, { f: 'start-failover', value: null }),
  );
  await rec.nemesis('stop-partition', null, () => n3.healPartition());
  await rec.nemesis('stop-failover', null, () => pkg.invoke({ cluster, db }, { f: 'stop-failover', value: null }));
  const final = await finalRead(rec, c);
  return { ops: rec.ops, first, second, final, positions: { n2: p2!.text, n3: p3!.text } };
}

/**
 * The final read of key 1 on the primary, retried until ok (a session whose connection died with a killed
 * node reconnects); then closes the session and checks the recorded history is well formed.
 */
async function finalRead(rec: Recorder, c: Client): Promise<Completion> {
  let final: Completion | undefined;
  for (let i = 0; i < 50 && final?.type !== 'ok'; i++) {
    final = await rec.client(c, 0, 'read', [1, null]);
    if (final.type !== 'ok') await new Promise((r) => setTimeout(r, 100));
  }
  expect(final!.type).toBe('ok');
  await c.close();
  expect(rec.lint()).toEqual([]);
  return final!;
}

/** Appends again (a fresh session) until one is acknowledged: the cluster took writes after the heal. */
export async function writableAgain(db: Db, value: [number, number]): Promise<Completion | undefined> {
  const c = await db.client(1);
  let w: Completion | undefined;
  for (let i = 0; i < 100 && w?.type !== 'ok'; i++) {
    w = await c.invoke('append', value, 3000);
    if (w.type !== 'ok') await new Promise((r) => setTimeout(r, 100));
  }
  await c.close();
  return w;
}

/**
 * Kills the primary three times with a (fenced) failover between kills, so every node is down, then
 * invokes stop-kill. Returns the nodes killed, in order, and stop-kill's result.
 */
export async function killEveryPrimaryAcrossTwoFailovers(ctx: NemesisContext) {
  const kill = killPackage();
  const failover = failoverPackage(true, 100);
  const killed: string[] = [];
  for (let round = 0; round < 3; round++) {
    const name = ctx.db.primary().name;
    expect(await kill.invoke(ctx, { f: 'start-kill', value: { node: 'primary' } })).toMatchObject({ type: 'info', value: { node: name } });
    killed.push(name);
    if (round < 2) {
      const r = await failover.invoke(ctx, { f: 'start-failover', value: null });
      expect(r.error).toBeUndefined();
      expect((r.value as { promoted?: string }).promoted).toBeDefined();
    }
  }
  const stop = await kill.invoke(ctx, { f: 'stop-kill', value: null });
  console.log(`stop-kill after ${killed.join(', ')} killed: ${JSON.stringify(stop)}`);
  return { killed, stop };
}
