import type { FailoverPolicy } from '../adapters/failover-choice.js';
import { errorText, nodeByName, pick, type FaultPackage, type NemesisContext, type NemesisResult } from './types.js';

/**
 * A process fault aimed at a node whose database process is not running (killed and not yet restarted,
 * or a failover's fenced old primary, kept out until it is rebuilt) is refused: a careful schedule does
 * not pause or kill a dead process. Recorded as fail (nothing was done) with a plain reason, not as an
 * error of the database or of faultline.
 */
function refusedWhenDown(ctx: NemesisContext, node: string, what: string): NemesisResult | undefined {
  const role = ctx.db.roles().get(node);
  if (role === 'down')
    return {
      type: 'fail',
      value: { node, refused: 'down' },
      error: `not done: ${node} is down (killed and not restarted yet); a careful schedule does not ${what} a process that is not running`,
    };
  if (role === 'fenced')
    return {
      type: 'fail',
      value: { node, refused: 'fenced' },
      error: `not done: ${node} is fenced (a failover's old primary, out of the cluster until it is rebuilt); a careful schedule does not ${what} it`,
    };
  return undefined;
}

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
  try {
    primary = ctx.db.primary().name;
  } catch {
    primary = undefined;
  }
  const out: RestartReport = { restarted: [], failed: [] };
  // Plain restarts before rebuilds: a fenced node is rebuilt from a primary that must be running (the sort
  // is stable, so the primary stays first and the kill order holds within each group).
  const fenced = (n: string) => (ctx.db.roles().get(n) === 'fenced' ? 1 : 0);
  for (const name of restartOrder([...killed], primary).sort((a, b) => fenced(a) - fenced(b))) {
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
      return [
        { f: 'start-kill', value: { node: rng() < 0.5 ? 'primary' : pick(rng, nodes) } },
        { f: 'stop-kill', value: null },
      ];
    },
    async invoke(ctx, action) {
      if (action.f === 'stop-kill') {
        const r = await restartKilled(ctx, killed);
        if (r.failed.length === 0) return { type: 'info', value: r };
        return { type: 'info', value: r, error: `not restarted: ${r.failed.map(failedText).join('; ')}` };
      }
      const node = nodeByName(ctx, (action.value as { node: string }).node);
      const refused = refusedWhenDown(ctx, node.name, 'kill');
      if (refused) return refused;
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
      return [
        { f: 'pause', value: { node: rng() < 0.5 ? 'primary' : pick(rng, nodes) } },
        { f: 'resume', value: null },
      ];
    },
    async invoke(ctx, action) {
      if (action.f === 'resume') {
        const names = [...paused];
        for (const name of names) {
          await ctx.db.resume(nodeByName(ctx, name));
          paused.delete(name);
        }
        return { type: 'info', value: { resumed: names } };
      }
      const node = nodeByName(ctx, (action.value as { node: string }).node);
      const refused = refusedWhenDown(ctx, node.name, 'pause');
      if (refused) return refused;
      try {
        await ctx.db.pause(node);
        paused.add(node.name);
        return { type: 'info', value: { node: node.name } };
      } catch (e) {
        return { type: 'fail', value: { node: node.name }, error: errorText(e) };
      }
    },
    async heal(ctx) {
      for (const name of [...paused]) {
        await ctx.db.resume(nodeByName(ctx, name));
        paused.delete(name);
      }
    },
  };
}

/** How long one stop-failover keeps starting rebuilds of fenced nodes (one rebuild's copy is bounded too). */
export const REBUILD_BUDGET_MS = 20_000;

/**
 * Failover as a fault, the way it happens in production: the primary is cut off from its standbys
 * (clients still reach it, so it keeps acknowledging writes that no standby receives) for isolateMs,
 * then a standby is promoted and the clients follow it. Which one is the adapter's failover-choice
 * (src/adapters/failover-choice.ts): `safe` promotes only a standby it can show holds every acknowledged
 * write (under synchronous replication it hears from enough standbys, waiting up to waitMs, or refuses);
 * `naive` (package naive-failover) promotes the most advanced of those that answered. The op's value
 * records what it saw: each standby's position, who did not answer, the quorum and the decision.
 * `fence: false` leaves the old primary running (split brain on purpose). A failover is not undone:
 * stop-failover closes the window and, as an operator's tooling would after a failover, rebuilds the old
 * primary it fenced as a replica of the new one (Db.restart of a fenced node); left down, two failovers
 * in a row would leave a 3-node semi-sync primary with no replica to acknowledge a commit. The op's value
 * names the nodes rebuilt; a rebuild that failed is in its error and is tried again at the next stop.
 */
export function failoverPackage(
  fence = true,
  isolateMs = 1000,
  policy: FailoverPolicy = 'safe',
  waitMs = 5000,
  rebuildBudgetMs = REBUILD_BUDGET_MS,
): FaultPackage {
  /** Old primaries this package fenced and has not rebuilt yet. */
  const fenced = new Set<string>();
  const rebuild = async (ctx: NemesisContext): Promise<{ rebuilt: string[]; errors: string[] }> => {
    const rebuilt: string[] = [];
    const errors: string[] = [];
    const t0 = Date.now();
    for (const name of [...fenced]) {
      // Rebuilt already (the kill package's stop-kill restarts a fenced node it had killed).
      if (ctx.db.roles().get(name) !== 'fenced') {
        fenced.delete(name);
        continue;
      }
      // One stop spends at most rebuildBudgetMs starting rebuilds, so it ends within the nemesis op timeout:
      // an op that outlives it keeps the nemesis (one call at a time) and the final heal waiting behind it
      // (soak: rebuilds crawling through 30% loss on the primary held the final heal back 95 s).
      if (Date.now() - t0 > rebuildBudgetMs) {
        errors.push(`${name}: not rebuilt yet (this stop spent ${((Date.now() - t0) / 1000).toFixed(0)} s on rebuilds; the next stop tries again)`);
        continue;
      }
      try {
        await ctx.db.restart(nodeByName(ctx, name));
        fenced.delete(name);
        rebuilt.push(name);
      } catch (e) {
        errors.push(errorText(e));
      }
    }
    return { rebuilt, errors };
  };
  return {
    name: !fence ? 'split-brain' : policy === 'naive' ? 'naive-failover' : 'failover',
    needs: ['kill', 'partition'],
    abilities: ['failover'],
    fs: ['start-failover', 'stop-failover'],
    final: { f: 'stop-failover', value: null },
    cycle() {
      return [
        { f: 'start-failover', value: { fence, isolateMs, policy } },
        { f: 'stop-failover', value: null },
      ];
    },
    async invoke(ctx, action) {
      if (action.f === 'stop-failover') {
        // A start that outlived its nemesis timeout may still hold its isolation: the window ends here.
        await Promise.all(ctx.cluster.nodes.map((n) => n.healIsolation()));
        const { rebuilt, errors } = await rebuild(ctx);
        const value = { primary: ctx.db.primary().name, ...(rebuilt.length || errors.length ? { rebuilt } : {}) };
        return errors.length ? { type: 'info', value, error: errors.join('; ') } : { type: 'info', value };
      }
      const old = ctx.db.primary();
      const peers = ctx.cluster.nodes.filter((n) => n !== old).map((n) => n.ip);
      try {
        // The isolation layer, not the partition one: healing it never ends a partition package's cut.
        await old.isolate(peers);
        await new Promise((r) => setTimeout(r, isolateMs));
        const r = await ctx.db.failover({ fence, policy, waitMs });
        if (fence && r.decision === 'promoted') fenced.add(r.old);
        return { type: 'info', value: { ...r, fence, isolateMs } };
      } catch (e) {
        if (fence && ctx.db.roles().get(old.name) === 'fenced') fenced.add(old.name);
        return { type: 'info', value: { fence, isolateMs, policy }, error: `failover may be partly done: ${errorText(e)}` };
      } finally {
        await old.healIsolation().catch(() => {
          /* a fenced node may be gone; down() removes its namespace */
        });
      }
    },
    // A failover is not undone (the database keeps its new primary): an isolation still on is ended, and
    // a fenced old primary rebuilt as a replica.
    async heal(ctx) {
      await Promise.all(ctx.cluster.nodes.map((n) => n.healIsolation()));
      const { errors } = await rebuild(ctx);
      if (errors.length) throw new Error(`rebuilding fenced old primaries: ${errors.join('; ')}`);
    },
  };
}
