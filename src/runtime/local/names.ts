import { createHash } from 'node:crypto';

/**
 * Every name the local runtime creates carries a 6-hex-digit id derived from the run id, so names are
 * unique per run, fit Linux's 15-character interface names, and `cleanup` can find them again.
 */
export function shortId(runId: string): string {
  return createHash('sha256').update(runId).digest('hex').slice(0, 6);
}

export const bridgeName = (id: string): string => `flb-${id}`; // 10 chars
export const netnsName = (id: string, node: string): string => `fl-${id}-${node}`;
export const hostVeth = (id: string, node: string): string => `flv${id}${node}`; // 11 chars for n1..n9
export const nodeVeth = (id: string, node: string): string => `fle${id}${node}`;
export const nodeName = (i: number): string => `n${i + 1}`;

/** Patterns that recognise our names and capture the short id. */
export const NETNS_RE = /^fl-([0-9a-f]{6})-(n\d+)$/;
export const HOST_VETH_RE = /^flv([0-9a-f]{6})(n\d+)$/;
export const BRIDGE_RE = /^flb-([0-9a-f]{6})$/;

/** The longest interface name Linux accepts (IFNAMSIZ - 1). */
export const IFNAME_MAX = 15;
