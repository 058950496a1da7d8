import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BaseCluster } from '../cluster-base.js';
import type { Cluster, ClusterSpec } from '../types.js';
import { shortId, nodeName } from './names.js';
import { createBridge, createNode } from './network.js';
import { LocalNode } from './node.js';
import { register, unregister } from './signals.js';
import { claim, records } from './state.js';
import { pickSubnet } from './subnet.js';
import { removeRun } from './teardown.js';

export interface LocalOptions {
  /** How long down() waits after SIGTERM before SIGKILL (default 3000 ms). */
  stopGraceMs?: number;
}

export const MAX_NODES = 99;

class LocalCluster extends BaseCluster<LocalNode> {
  protected readonly what = 'local runtime';

  constructor(
    runId: string,
    readonly id: string,
    hostIp: string,
    nodes: LocalNode[],
    graceMs: number,
  ) {
    super(runId, hostIp, nodes, graceMs);
  }

  protected async remove(): Promise<void> {
    try {
      await removeRun(this.id);
    } finally {
      unregister(this);
    }
  }
}

/** Brings up spec.nodes namespaces on a new bridge; on any failure removes what it created and rethrows. */
export async function up(spec: ClusterSpec, opts: LocalOptions = {}): Promise<Cluster> {
  if (!Number.isInteger(spec.nodes) || spec.nodes < 1 || spec.nodes > MAX_NODES) {
    throw new Error(`local runtime: nodes must be an integer in 1..${MAX_NODES}, got ${spec.nodes}`);
  }
  const id = shortId(spec.runId);
  const subnet = await pickSubnet(
    id,
    records().map((r) => r.subnet),
  );
  const names = Array.from({ length: spec.nodes }, (_, i) => nodeName(i));
  // Claimed before anything exists, so `cleanup` can always tell whose leftovers these are.
  claim({ runId: spec.runId, id, pid: process.pid, subnet: subnet.prefix, nodes: names, dir: spec.dir, created: new Date().toISOString() });
  reachable(spec.dir);
  const nodes = names.map((n, i) => new LocalNode(id, n, subnet.nodeIp(i), join(spec.dir, n)));
  try {
    await createBridge(id, subnet);
    await Promise.all(nodes.map((n) => createNode(id, n.name, n.ip)));
    for (const n of nodes) n.prepare();
  } catch (e) {
    const cause = (e as Error).message;
    let also = '';
    try {
      await removeRun(id);
    } catch (e2) {
      also = `; cleaning up after it failed too: ${(e2 as Error).message}`;
    }
    throw new Error(`local runtime: bringing up ${spec.nodes} node(s) for run '${spec.runId}' (id ${id}, ${subnet.prefix}.0/24) failed: ${cause}${also}`, {
      cause: e,
    });
  }
  const cluster = new LocalCluster(spec.runId, id, subnet.hostIp, nodes, opts.stopGraceMs ?? 3000);
  register(cluster);
  return cluster;
}

/**
 * Services may run as another user (postgres) and libfaketime in them reads <node dir>/faketime, so the
 * run directory must be traversable by others: add o+x (search only, not listing) when it lacks it,
 * as a mkdtemp directory (0700) does.
 */
function reachable(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const mode = statSync(dir).mode & 0o7777;
  if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o011);
}
