import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Client, ClientOptions, Db } from '../../src/adapters/types.js';
import { checkConvergence } from '../../src/checkers/replication/convergence.js';
import { loadHistory } from '../../src/history/load.js';
import type { Op } from '../../src/history/op.js';
import { HistoryWriter } from '../../src/history/writer.js';
import { perNodeFinalReads, type NodeReadsOptions } from '../../src/run/node-reads.js';

/**
 * The run's per-node final reads against replicas held in memory (the loop's logic: rounds, re-reading only
 * keys in doubt, the deadline, repair once, the history it writes). Real databases: the integration tests.
 * Each node holds its own copy; `heal(n)` is applied before the n-th round's reads (a replica catching up).
 */
class Replicas {
  readonly copies = new Map<string, Map<number, number>>();
  readonly reads = new Map<string, number>();
  repairs = 0;
  constructor(nodes: string[], init: Record<string, Record<number, number>>) {
    for (const n of nodes) this.copies.set(n, new Map(Object.entries(init[n] ?? {}).map(([k, v]) => [Number(k), v])));
  }
  db(repairable: boolean, failRepair = false): Db {
    const { copies, reads } = this;
    const count = () => this.repairs++;
    const db = {
      async client(_session: number, opts: ClientOptions = {}): Promise<Client> {
        const node = opts.node!;
        return {
          async invoke(f: string, value: unknown) {
            const [k] = value as [number, null];
            reads.set(node, (reads.get(node) ?? 0) + 1);
            return { type: 'ok', value: [k, copies.get(node)!.get(k) ?? null], node };
          },
          async close() {},
        };
      },
      ...(repairable
        ? {
            async repair() {
              count();
              if (failRepair) throw new Error('nodetool: connection refused');
              // Anti-entropy: every copy takes n1's values.
              const n1 = copies.get('n1')!;
              for (const c of copies.values()) for (const [k, v] of n1) c.set(k, v);
              return { nodes: [...copies.keys()] };
            },
          }
        : {}),
    };
    return db as unknown as Db;
  }
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-node-reads-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function options(db: Db, keys: number[], untilMs: number, ops: Op[]): { o: NodeReadsOptions; writer: HistoryWriter; lines: string[] } {
  const writer = new HistoryWriter(join(dir, 'h.jsonl'));
  const lines: string[] = [];
  const o: NodeReadsOptions = {
    db,
    nodes: ['n1', 'n2', 'n3'],
    keys: new Set(keys),
    untilMs,
    withinS: 1,
    since: 'the final heal',
    common: { writer, opTimeoutMs: 1000, startNs: process.hrtime.bigint(), onOp: (op) => ops.push(op) },
    log: (l) => lines.push(l),
  };
  return { o, writer, lines };
}

describe('per-node final reads', () => {
  it('nodes that agree: one round, every key read on every node through a client pinned to it', async () => {
    const r = new Replicas(['n1', 'n2', 'n3'], { n1: { 1: 5, 2: 7 }, n2: { 1: 5, 2: 7 }, n3: { 1: 5, 2: 7 } });
    const ops: Op[] = [];
    const { o, writer } = options(r.db(true), [1, 2], Date.now() + 5000, ops);
    const out = await perNodeFinalReads(o);
    writer.close();
    expect(out).toMatchObject({ rounds: 1, agreed: 2, disagreeing: [], aborted: false });
    expect(out.agreedAfterMs).not.toBeNull();
    expect(out.repair).toBeUndefined();
    expect(Object.fromEntries(r.reads)).toEqual({ n1: 2, n2: 2, n3: 2 });
    const reads = ops.filter((x) => x.type === 'ok');
    expect(reads.map((x) => `${x.node}:${JSON.stringify(x.value)}`).sort()).toEqual(['n1:[1,5]', 'n1:[2,7]', 'n2:[1,5]', 'n2:[2,7]', 'n3:[1,5]', 'n3:[2,7]']);
  });

  it('a replica that catches up: later rounds read only the keys in doubt, until all agree', async () => {
    const r = new Replicas(['n1', 'n2', 'n3'], { n1: { 1: 5, 2: 7 }, n2: { 1: 5, 2: 7 }, n3: { 1: 5, 2: 3 } });
    setTimeout(() => r.copies.get('n3')!.set(2, 7), 500);
    const ops: Op[] = [];
    const { o, writer, lines } = options(r.db(true), [1, 2], Date.now() + 10_000, ops);
    const out = await perNodeFinalReads(o);
    writer.close();
    expect(out.rounds).toBeGreaterThanOrEqual(2);
    expect(out).toMatchObject({ agreed: 2, disagreeing: [] });
    expect(out.repair).toBeUndefined();
    // Key 1 agreed in the first round and was not read again.
    expect(ops.filter((x) => x.type === 'ok' && (x.value as number[])[0] === 1)).toHaveLength(3);
    expect(lines.join('\n')).toMatch(/disagree on 1 keys/);
    // The convergence checker, from the history alone, sees the split and the agreement.
    const v = checkConvergence((await loadHistory(join(dir, 'h.jsonl'))).ops, { convergeWithinMs: 10_000 });
    expect(v.valid).toBe(true);
    expect((v.stats as { convergedLate: unknown[] }).convergedLate).toHaveLength(1);
  });

  it('still disagreeing at the deadline: the repair runs once, recorded in the history, then every key is read again', async () => {
    const r = new Replicas(['n1', 'n2', 'n3'], { n1: { 1: 5, 2: 7 }, n2: { 1: 5, 2: 7 }, n3: { 1: 4, 2: 7 } });
    const ops: Op[] = [];
    const { o, writer } = options(r.db(true), [1, 2], Date.now() + 300, ops);
    const out = await perNodeFinalReads(o);
    writer.close();
    expect(r.repairs).toBe(1);
    expect(out.repair).toMatchObject({ ok: true });
    expect(out).toMatchObject({ agreed: 2, disagreeing: [] });
    const nem = ops.filter((x) => x.process === 'nemesis');
    expect(nem.map((x) => [x.type, x.f])).toEqual([
      ['invoke', 'repair'],
      ['info', 'repair'],
    ]);
    expect(nem[1]!.value).toEqual({ nodes: ['n1', 'n2', 'n3'] });
    // After the repair both keys were read from every node again.
    const after = ops.slice(ops.indexOf(nem[1]!)).filter((x) => x.type === 'ok');
    expect(after).toHaveLength(6);
  });

  it('no repair to run, or a repair that fails: the keys still in doubt are named, nothing hangs', async () => {
    const r = new Replicas(['n1', 'n2', 'n3'], { n1: { 1: 5 }, n2: { 1: 5 }, n3: { 1: 4 } });
    const a = await perNodeFinalReads(options(r.db(false), [1], Date.now() + 200, []).o);
    expect(a).toMatchObject({ agreed: 0, disagreeing: [1], agreedAfterMs: null });
    expect(a.repair).toBeUndefined();
    const ops: Op[] = [];
    const b = await perNodeFinalReads(options(r.db(true, true), [1], Date.now() + 200, ops).o);
    expect(b.repair).toMatchObject({ ok: false, error: expect.stringMatching(/connection refused/) });
    expect(b.disagreeing).toEqual([1]);
    expect(ops.find((x) => x.process === 'nemesis' && x.type !== 'invoke')?.error).toMatch(/connection refused/);
  });
});
