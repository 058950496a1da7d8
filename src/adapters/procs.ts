import type { RuntimeNode } from '../runtime/types.js';

/** Waits until none of pids runs on the node (zombies count as gone); false on timeout. */
export async function waitGone(node: RuntimeNode, pids: readonly number[], timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if ((await node.running(pids)).length === 0) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
}
