import type { AdapterDescription, Topology, WritesTo } from './types.js';

/** The topologies an adapter can set up, its default first (absent from its description: single-leader). */
export function topologiesOf(d: AdapterDescription): readonly Topology[] {
  return d.topologies && d.topologies.length > 0 ? d.topologies : ['single-leader'];
}

/**
 * multi-leader: the node that takes a write of `value` (`[k, x]`) from `session` under `writesTo`, among
 * `nodes` (in cluster order). `key`: node k mod n for an integer key, else a stable hash of the key's text,
 * so every write to one key goes through one leader; `session` (and a value without a key): node session mod n.
 */
export function writeLeader(nodes: readonly string[], writesTo: WritesTo, session: number, value: unknown): string {
  if (nodes.length === 0) throw new Error('no node to write to');
  const at = (i: number) => nodes[((i % nodes.length) + nodes.length) % nodes.length]!;
  if (writesTo === 'key' && Array.isArray(value) && value.length === 2) {
    const k: unknown = value[0];
    if (typeof k === 'number' && Number.isSafeInteger(k)) return at(k);
    if (typeof k === 'bigint') return at(Number(k % BigInt(nodes.length)));
    if (typeof k === 'string' || typeof k === 'number') {
      let h = 0;
      for (const ch of String(k)) h = (Math.imul(h, 31) + ch.codePointAt(0)!) | 0;
      return at(h);
    }
  }
  return at(session);
}
