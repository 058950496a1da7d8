import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Adapter, Db } from '../../src/adapters/types.js';
import { halfOpenPackage } from '../../src/nemesis/proxy-faults.js';
import { startProxies } from '../../src/nemesis/proxy/start.js';
import { runtimeByName } from '../../src/runtime/index.js';
import { leftoversOf } from './support.js';

let seq = 0;

/**
 * The replication path through the proxies, across a failover and a restart: a half-open fault on one
 * replica's replication link keeps a write from it (while the other replica gets it) and the heal lets
 * it through, before and after the failover (the replica's proxy was retargeted at the new primary) and
 * on the rebuilt old primary after its restart.
 */
export async function replicationThroughProxies(
  adapter: Adapter,
  io: {
    write(db: Db, node: string, v: number): Promise<void>;
    read(db: Db, node: string): Promise<number | undefined>;
    /** How long the link stays half-open (the fault drops bytes: Redis only recovers by timing the link out and resyncing). */
    holdMs: number;
    /** Whether to restart (rebuild) the fenced old primary and check its link too. */
    restart: boolean;
  },
  runtime = 'local',
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fl-proxy-repl-'));
  chmodSync(dir, 0o755); // the database user must reach its node directories
  const runId = `proxyrepl-${process.pid}-${seq++}`;
  const cluster = await runtimeByName(runtime).up({ runId, dir, nodes: 3, image: adapter.name });
  const proxies = await startProxies(cluster, adapter.description, [halfOpenPackage()]);
  let db: Db | undefined;
  try {
    db = await adapter.setup(cluster, {
      replication: 'async',
      reads: 'primary',
      workload: 'register',
      clientAddress: proxies.clientAddress,
      replicationAddress: proxies.replicationAddress,
    });
    const links = proxies.nemesisContextExtra.proxies!;
    const d = db;
    const until = async (node: string, v: number, ms = 10_000) => {
      const end = Date.now() + ms;
      for (;;) {
        let why = '';
        const got = await io.read(d, node).catch((e: Error) => {
          why = ` (${e.message})`;
          return undefined;
        });
        if (got === v) return;
        if (Date.now() > end) throw new Error(`${node} has ${got}${why}, not ${v}, after ${ms} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    /** One write with `cut`'s replication link half-open: the other replica gets it, `cut` only after the heal. */
    const stalls = async (primary: string, cut: string, other: string | undefined, v: number) => {
      expect(await links.set(cut, 'half-open', { halfOpen: true }, 'replication')).toEqual(['replication']);
      await io.write(d, primary, v);
      if (other) await until(other, v);
      await new Promise((r) => setTimeout(r, io.holdMs));
      expect(await io.read(d, cut)).toBe(v - 1);
      await links.clear('half-open');
      await until(cut, v, 15_000);
    };

    let v = 1;
    await io.write(d, 'n1', v);
    await until('n2', v);
    await until('n3', v);
    await stalls('n1', 'n2', 'n3', ++v);

    const { promoted: chosen, old } = await d.failover({ fence: true });
    const promoted = chosen!;
    expect(old).toBe('n1');
    const other = ['n2', 'n3'].find((n) => n !== promoted)!;
    await io.write(d, promoted, ++v);
    await until(other, v);
    await stalls(promoted, other, undefined, ++v);

    if (!io.restart) return;
    await d.restart(cluster.nodes.find((n) => n.name === 'n1')!);
    await until('n1', v, 30_000);
    await stalls(promoted, 'n1', other, ++v);
  } finally {
    try {
      if (db) await db.teardown();
    } finally {
      await proxies.close();
      await cluster.down();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  expect(await leftoversOf(runtime, runId)).toEqual([]);
}
