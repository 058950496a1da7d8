import type { Cluster, RuntimeNode } from './types.js';

/** A node a runtime can stop every service of (teardown only). */
export interface StoppableNode extends RuntimeNode {
  stopAll(graceMs: number): Promise<void>;
}

/**
 * What every runtime's cluster does the same way: heal every node (network and clock) and tear down in
 * order (heal, then each node's services stopped with a grace, then the runtime's own removal), once
 * however often down() is called. A runtime supplies `remove` (namespaces and links, or containers and
 * the network) and its name for errors.
 */
export abstract class BaseCluster<N extends StoppableNode> implements Cluster {
  private downing?: Promise<void>;
  private gone = false;

  constructor(
    readonly runId: string,
    readonly hostIp: string,
    readonly nodes: N[],
    private readonly graceMs: number,
  ) {}

  /** For errors: 'local runtime', 'docker runtime'. */
  protected abstract readonly what: string;
  /** Removes what the runtime made for the run, after every service has stopped. */
  protected abstract remove(): Promise<void>;

  async healAll(): Promise<void> {
    if (this.gone) return; // nothing left to heal
    const results = await Promise.allSettled(this.nodes.flatMap((n) => [n.healAll(), n.setClockOffset(0)]));
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
    if (errors.length) throw new Error(`healing run ${this.runId} failed: ${errors.join('; ')}`);
  }

  /** Idempotent: a second call (e.g. from the signal handler while the first runs) awaits the same teardown. */
  down(): Promise<void> {
    this.downing ??= this.teardown();
    return this.downing;
  }

  private async teardown(): Promise<void> {
    const errors: string[] = [];
    // Heal first: a service must not be stopped while its node is cut off or its clock skewed.
    await this.healAll().catch((e: Error) => errors.push(e.message));
    await Promise.all(this.nodes.map((n) => n.stopAll(this.graceMs).catch((e: Error) => errors.push(e.message))));
    await this.remove().catch((e: Error) => errors.push(e.message));
    this.gone = true;
    if (errors.length) throw new Error(`${this.what}: down() of run ${this.runId}: ${errors.join('; ')}`);
  }
}
