import type { FailoverPolicy } from '../adapters/failover-choice.js';
import { errorText, nodeByName, pick, type FaultPackage, type NemesisContext } from './types.js';

/**
 * The order a careful operator restarts killed nodes in: the current primary first (it comes back as
 * the primary it was), then the others in the order they were killed (a standby follows, a fenced node
 * is rebuilt from the now running primary). Restarting a fenced node first would rebuild it from a
 * primary that is itself down. Pure.
 */
export function restartOrder(killed: readonly string[], primary: string | undefined): string[] {
  return primary !== undefined && killed.includes(primary) ? [primary, ...killed.filter((n) => n !== primary)] : [...killed];
}

/** What stop-kill records: each node it tried, restarted or failed with the reason. */
export interface RestartReport {
  restarted: string[];
  failed: { node: string; error: string }[];
}

/**
 * Restarts every killed node in restartOrder, never stopping at the first error: each node is tried,
 * and what happened to it is recorded. A node that failed stays killed, for the next stop-kill.
 */
export async function restartKilled(ctx: NemesisContext, killed: Set<string>): Promise<RestartReport> {
  let primary: string | undefined;
  try { primary = ctx.db.primary().name; } catch { primary = undefined; }
  const out: RestartReport = { restarted: [], failed: [] };
  for (const name of restartOrder([...killed], primary)) {
    try {
      await ctx.db.restart(nodeByName(ctx, name));
      killed.delete(name);
      out.restarted.push(name);
    } catch (e) {
      // The first line: adapter errors end with a log tail, which stays in the node's log.
      out.failed.push({ node: name, error: errorText(e).split('\n')[0]! });
    }
  }
  return out;
}

/** "n1: cannot rebuild ..." (the node named once). */
function failedText(x: { node: string; error: string }): string {
  return x.error.startsWith(`${x.node}:`) ? x.error : `${x.node}: ${x.error}`;
}

/**
 * kill -9 of a node's database process, then restart. Named start-kill / stop-kill rather than
 * Jepsen's :kill / :start: a bare `start` also means Jepsen's partitioner starting, so the final heal's
 * `start` with no node down would read as a fault window that never closed. A stop-kill that could not
 * restart every node carries an `error` (the fault is still in effect: src/checkers/replication/windows.ts).
 */
export function killPackage(): FaultPackage {
  const killed = new Set<string>();
  return {
    name: 'kill',
    needs: ['kill'],
    fs: ['start-kill', 'stop-kill'],
    final: { f: 'stop-kill', value: null },
    cycle(rng, nodes) {
      return [{ f: 'start-kill', value: { node: rng() < 0.5 ? 'primary' : pick(rng, nodes) } }, { f: 'stop-kill', value: null }];
    },
    async invoke(ctx, action) {
      if (action.f === 'stop-kill') {
        const r = await restartKilled(ctx, killed);
        if (r.failed.length === 0) return { type: 'info', value: r };
        return { type: 'info', value: r, error: `not restarted: ${r.failed.map(failedText).join('; ')}` };
      }
      const node = nodeByName(ctx, (action.value as { node: string }).node);
      try {
        await ctx.db.kill(node);
        killed.add(node.name);
        return { type: 'info', value: { node: node.name } };
      } catch (e) {
        return { type: 'fail', value: { node: node.name }, error: errorText(e) };
      }
    },
    async heal(ctx) {
      const r = await restartKilled(ctx, killed);
      if (r.failed.length > 0) throw new Error(`not restarted: ${r.failed.map(failedText).join('; ')}`);
    },
  };
}

/** SIGSTOP / SIGCONT of a node's database processes. */
export function pausePackage(): FaultPackage {
  const paused = new Set<string>();
  return {
    name: 'pause',
    needs: ['pause'],
    fs: ['pause', 'resume'],
    final: { f: 'resume', value: null },
    cycle(rng, nodes) {
      return [{ f: 'pause', value: { node: rng() < 0.5 ? 'primary' : pick(rng, nodes) } }, { f: 'resume', value: null }];
    },
    async invoke(ctx, action) {
      if (action.f === 'resume') {
        const names = [...paused];
        for (const name of names) { await ctx.db.resume(nodeByName(ctx, name)); paused.delete(name); }
        return { type: 'info', value: { resumed: names } };
      }
      const node = nodeByName(ctx, (action.value as { node: string }).node);
      try {
        await ctx.db.pause(node);
        paused.add(node.name);
        return { type: 'info', value: { node: node.name } };
      } catch (e) {
        return { type: 'fail', value: { node: node.name }, error: errorText(e) };
      }
    },
    async heal(ctx) {
      for (const name of [...paused]) { await ctx.db.resume(nodeByName(ctx, name)); paused.delete(name); }
    },
  };
}

/**
 * Failover as a fault, the way it happens in production: the primary is cut off from its standbys
 * (clients still reach it, so it keeps acknowledging writes that no standby receives) for isolateMs,
 * then a standby is promoted and the clients follow it. Which one is the adapter's failover-choice
 * (src/adapters/failover-choice.ts): `safe` promotes only a standby it can show holds every acknowledged
 * write (under synchronous replication it hears from enough standbys, waiting up to waitMs, or refuses);
 * `naive` (package naive-failover) promotes the most advanced of those that answered. The op's value
 * records what it saw: each standby's position, who did not answer, the quorum and the decision.
 * `fence: false` leaves the old primary running (split brain on purpose). A failover is not undone:
 * stop-failover only closes the window, and the next cycle fails over again.
 */
export function failoverPackage(fence = true, isolateMs = 1000, policy: FailoverPolicy = 'safe', waitMs = 5000): FaultPackage {
  return {
    name: !fence ? 'split-brain' : policy === 'naive' ? 'naive-failover' : 'failover',
    needs: ['kill', 'partition'],
    refuses: (db) => (db === 'cassandra'
      ? 'Cassandra is masterless (every node accepts writes), so there is no primary to fail over; use kill, pause or partition'
      : undefined),
    fs: ['start-failover', 'stop-failover'],
    final: { f: 'stop-failover', value: null },
    cycle() {
      return [{ f: 'start-failover', value: { fence, isolateMs, policy } }, { f: 'stop-failover', value: null }];
    },
    async invoke(ctx, action) {
      if (action.f === 'stop-failover') {
        // A start that outlived its nemesis timeout may still hold its isolation: the window ends here.
        await Promise.all(ctx.cluster.nodes.map((n) => n.healIsolation()));
        return { type: 'info', value: { primary: ctx.db.primary().name } };
      }
      const old = ctx.db.primary();
      const peers = ctx.cluster.nodes.filter((n) => n !== old).map((n) => n.ip);
      try {
        // The isolation layer, not the partition one: healing it never ends a partition package's cut.
        await old.isolate(peers);
        await new Promise((r) => setTimeout(r, isolateMs));
        const r = await ctx.db.failover({ fence, policy, waitMs });
        return { type: 'info', value: { ...r, fence, isolateMs } };
      } catch (e) {
        return { type: 'info', value: { fence, isolateMs, policy }, error: `failover may be partly done: ${errorText(e)}` };
      } finally {
        await old.healIsolation().catch(() => { /* a fenced node may be gone; down() removes its namespace */ });
      }
    },
    // A failover is not undone (the database keeps its new primary); only an isolation still on is ended.
    async heal(ctx) { await Promise.all(ctx.cluster.nodes.map((n) => n.healIsolation())); },
  };
}
