import { shortId } from './names.js';
import { alive, read, records, release } from './state.js';
import { removeRun, scan } from './teardown.js';
import { liveClusters } from './signals.js';

export interface CleanupOptions {
  /** Only this run's leftovers (the ClusterSpec runId). Removed even if its owner still runs: you asked for it. */
  runId?: string;
}

/**
 * Removes what runs killed by kill -9 left behind: faults still on in our namespaces (the rules in each
 * fault layer's chain, a tbf qdisc: healed first, each reported), processes still running in our namespaces
 * (found with `ip netns pids`, killed by PID), host veths, namespaces, bridges and FORWARD rules, found by the run id
 * in their names. Without runId it removes every faultline run whose owner process is gone, and leaves
 * alone runs that a live process (this one included) still owns. Returns what it removed.
 */
export async function cleanup(opts: CleanupOptions = {}): Promise<string[]> {
  const found = await scan();
  const removed: string[] = [];
  if (opts.runId !== undefined) {
    const id = shortId(opts.runId);
    removed.push(...(await removeRun(id, found.get(id))));
    return removed;
  }
  const mine = new Set(liveClusters().map((c) => shortId(c.runId)));
  for (const [id, f] of found) {
    const rec = read(id);
    if (mine.has(id) || (rec && rec.pid !== process.pid && alive(rec.pid))) continue;
    removed.push(...(await removeRun(id, f)));
  }
  // Records of dead owners whose resources are already gone (crashed between teardown and release).
  for (const rec of records()) {
    if (!found.has(rec.id) && !mine.has(rec.id) && !alive(rec.pid) && release(rec.id)) removed.push(`state record ${rec.id}`);
  }
  return removed;
}
