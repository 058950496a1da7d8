import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cassandraAdapter, type CassDb } from '../../src/adapters/cassandra/index.js';
import { hostPortsOf } from '../../src/adapters/index.js';
import type { Client, Completion } from '../../src/adapters/types.js';
import { runtimeByName } from '../../src/runtime/index.js';
import type { RuntimeNode } from '../../src/runtime/types.js';
import { requireRuntime, RUNTIMES, tearDown, type Started } from './support.js';

// Per-node reads at ONE and repair (issue 16) against one real 3-node Cassandra 5.0 cluster (RF 3) per runtime,
// shared by the file's cases (a start costs ~30-60 s on 2 cores). Writes at ONE (replication 'one').

const T = 5000;

/** Asserts an ok completion through `node` (with `value` when given), showing the completion's error otherwise. */
function expectOk(c: Completion, node: string, value?: unknown): void {
  expect(c, JSON.stringify(c)).toMatchObject({ type: 'ok', node, ...(value === undefined ? {} : { value }) });
}

/** Polls f until ok(value) or the bound passes; returns the last completion either way. */
async function until(f: () => Promise<Completion>, ok: (c: Completion) => boolean, boundMs: number): Promise<{ c: Completion; ms: number }> {
  const t0 = Date.now();
  for (;;) {
    const c = await f();
    if (ok(c) || Date.now() - t0 > boundMs) return { c, ms: Date.now() - t0 };
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.each(RUNTIMES)('cassandra per-node reads at ONE and repair on %s', (runtime) => {
  let s: Started<CassDb> | undefined;
  let nodes: RuntimeNode[] = [];
  const pinned = new Map<string, Client>();
  const pin = (n: RuntimeNode) => pinned.get(n.name)!;
  const read = (n: RuntimeNode, k: number) => pin(n).invoke('read', [k, null], T);
  const write = (n: RuntimeNode, k: number, v: number) => pin(n).invoke('write', [k, v], T);
  const valueOf = (c: Completion) => (c.value as [number, number | null])[1];

  beforeAll(async () => {
    const rt = runtimeByName(runtime);
    await requireRuntime(async () => (await rt.unavailable(cassandraAdapter.name)) ?? (await cassandraAdapter.unavailable(rt.probe(cassandraAdapter.name))));
    const dir = mkdtempSync(join(tmpdir(), 'fl-cassnodes-'));
    chmodSync(dir, 0o755); // the cassandra user must reach its node directories
    const cluster = await rt.up({
      runId: `cassnodes-${process.pid}-${runtime}`,
      dir,
      nodes: 3,
      image: cassandraAdapter.name,
      ports: hostPortsOf(cassandraAdapter.description),
    });
    try {
      const db = (await cassandraAdapter.setup(cluster, { replication: 'one', reads: 'primary', workload: 'register' })) as CassDb;
      s = { cluster, db, dir, runtime };
    } catch (e) {
      await cluster.down();
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
    nodes = cluster.nodes;
    for (const n of nodes) pinned.set(n.name, await s.db.client(0, { node: n.name }));
  }, 300_000);

  afterAll(async () => {
    for (const n of nodes) await pinned.get(n.name)?.close();
    if (s) await tearDown(s);
  }, 120_000);

  it("a pinned client's writes and reads go through its node and say so", async () => {
    for (const [i, n] of nodes.entries()) {
      const w = await write(n, i, 10 + i);
      expectOk(w, n.name);
      const { c } = await until(
        () => read(n, i),
        (c) => c.type !== 'ok' || valueOf(c) === 10 + i,
        5000,
      );
      expectOk(c, n.name, [i, 10 + i]);
    }
    await expect(s!.db.client(0, { node: 'nope' })).rejects.toThrow(/no node named nope/);
    // nodetool (what repair() runs) reaches the node's JMX, and a failure throws with the node's own output.
    await expect(s!.db.server(nodes[0]!.name).nodetool(['repair', '--full', 'nosuchks'], 60_000)).rejects.toThrow(
      /n1: nodetool repair --full nosuchks exited with code [1-9][\s\S]*nosuchks/,
    );
  });

  /**
   * n3 cut off from n1 and n2 (as the partition nemesis cuts one node), a write at ONE through n1 is acknowledged;
   * n3's pinned read at ONE answers from its own copy (a read at QUORUM would fail there) and misses it.
   */
  async function cutOffWrite(k: number, v: number): Promise<void> {
    const [n1, , n3] = nodes as [RuntimeNode, RuntimeNode, RuntimeNode];
    await n3.partition(nodes.filter((n) => n !== n3).map((n) => n.ip));
    await Promise.all(nodes.filter((n) => n !== n3).map((n) => n.partition([n3.ip])));
    expectOk(await write(n1, k, v), n1.name);
    expectOk(await read(n1, k), n1.name, [k, v]);
    const stale = await read(n3, k);
    expectOk(stale, n3.name);
    expect(valueOf(stale)).not.toBe(v);
    // Held past write_request_timeout (2 s): the mutation n1 sent to n3 sits unacknowledged in TCP's retransmit
    // queue, and were the cut shorter, it would arrive after the heal and be applied (n3 drops it only once expired).
    await new Promise((r) => setTimeout(r, 4000));
    const still = await read(n3, k);
    expectOk(still, n3.name);
    expect(valueOf(still)).not.toBe(v);
    await Promise.all(nodes.map((n) => n.healPartition()));
    await s!.db.waitHealthy(60_000);
  }

  it('a write n3 missed while cut off reaches it after the heal by hinted handoff', async () => {
    const k = 100;
    await cutOffWrite(k, 1);
    // n1 stored a hint for n3 (the write to it timed out, or n3 was already down); it replays once n3 is up.
    const { c, ms } = await until(
      () => read(nodes[2]!, k),
      (c) => c.type === 'ok' && valueOf(c) === 1,
      60_000,
    );
    expect(c, `n3 still without the write ${ms} ms after the heal`).toMatchObject({ type: 'ok', value: [k, 1], node: nodes[2]!.name });
    for (const n of nodes) expectOk(await read(n, k), n.name, [k, 1]);
  }, 150_000);

  it('without hints the cut-off node stays stale after the heal, until repair()', async () => {
    const k = 200;
    const n1 = s!.db.server(nodes[0]!.name);
    await n1.nodetool(['disablehandoff'], 60_000);
    try {
      await cutOffWrite(k, 2);
      // Nothing replays the write to n3 (no hint; reads at ONE never read-repair): it stays stale.
      await new Promise((r) => setTimeout(r, 3000));
      expect(valueOf(await read(nodes[2]!, k))).not.toBe(2);
      const r = await s!.db.repair!();
      expect(r).toMatchObject({ nodes: nodes.map((n) => n.name), command: 'nodetool repair --full faultline' });
      expect(r.ms).toBeGreaterThan(0);
      for (const n of nodes) expectOk(await read(n, k), n.name, [k, 2]);
    } finally {
      await n1.nodetool(['enablehandoff'], 60_000);
    }
  }, 240_000);
});
