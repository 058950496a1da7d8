import { records } from '../runtime/local/state.js';
import { removeLeftoverWorkDirs } from './workdir.js';

/** The docker runtime's labelled containers and networks, when an engine answers (none answering: nothing of ours runs there). */
async function dockerLeftovers(runId?: string): Promise<string[]> {
  const docker = await import('../runtime/docker/index.js');
  if (await docker.unavailable()) return [];
  return runId ? docker.removeLabelled(`faultline.run=${runId}`) : docker.removeLabelled('faultline.run', { spareLive: true });
}

/**
 * `faultline cleanup`: what runs killed by kill -9 left behind. First the local runtime's leftovers
 * (processes, namespaces, veths, bridges, iptables rules, state records), the docker runtime's labelled
 * containers and networks, then the runs' work folders
 * (the nodes' data), found in the temp dir and through the records' `dir`, read before they are released.
 */
export async function cleanupRuns(opts: { runId?: string } = {}): Promise<string[]> {
  const dirs = records().map((r) => r.dir);
  const { cleanup } = await import('../runtime/local/index.js');
  const removed = await cleanup(opts);
  removed.push(...(await dockerLeftovers(opts.runId)));
  removed.push(...removeLeftoverWorkDirs({ runId: opts.runId, also: dirs }));
  return removed;
}
