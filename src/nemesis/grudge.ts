/**
 * Partition shapes as grudges: for each node, the nodes it must not hear from. Pure; links are cut in
 * both directions, so every grudge here is symmetric. Shapes (Jepsen's names):
 *   one        one node cut off from all others
 *   primary    the current primary cut off from the rest (resolved when the fault starts)
 *   halves     a random split into a smaller and a larger half
 *   ring       majorities ring: every node sees a majority, but no two see the same one
 *   bridge     two halves joined only through one node that sees both
 */
export type Grudge = Map<string, Set<string>>;
export const SHAPES = ['one', 'primary', 'halves', 'ring', 'bridge'] as const;
export type Shape = (typeof SHAPES)[number];

export function isolate(nodes: readonly string[], loner: string): Grudge {
  return fromGroups(nodes, [[loner], nodes.filter((n) => n !== loner)]);
}

/** Every node in one group is cut off from every node in the other groups. */
export function fromGroups(nodes: readonly string[], groups: string[][]): Grudge {
  const g: Grudge = new Map(nodes.map((n) => [n, new Set<string>()]));
  for (const a of groups)
    for (const b of groups) {
      if (a === b) continue;
      for (const x of a) for (const y of b) g.get(x)!.add(y);
    }
  return g;
}

export function cutLinks(nodes: readonly string[], links: [string, string][]): Grudge {
  const g: Grudge = new Map(nodes.map((n) => [n, new Set<string>()]));
  for (const [a, b] of links) {
    g.get(a)!.add(b);
    g.get(b)!.add(a);
  }
  return g;
}

/** Majorities ring: nodes keep links to ring neighbours within reach of a majority, and cut the rest. */
export function ring(nodes: readonly string[]): Grudge {
  const n = nodes.length;
  const majority = Math.floor(n / 2) + 1;
  // Seeing r neighbours on each side gives 2r+1 nodes: the smallest r that makes a majority.
  const r = Math.ceil((majority - 1) / 2);
  const links: [string, string][] = [];
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      if (Math.min(j - i, n - (j - i)) > r) links.push([nodes[i]!, nodes[j]!]);
    }
  // With three nodes every pair are neighbours: cut one link, so the two ends see different majorities.
  if (links.length === 0 && n >= 3) links.push([nodes[0]!, nodes[n - 1]!]);
  return cutLinks(nodes, links);
}

/** Bridge: halves A and B, cut from each other, and one node that keeps its links to both. */
export function bridge(nodes: readonly string[], shuffled: readonly string[]): Grudge {
  const mid = Math.floor(shuffled.length / 2); // shuffled[mid] is the bridge: none of its links is cut
  const a = shuffled.slice(0, mid);
  const c = shuffled.slice(mid + 1);
  const links: [string, string][] = [];
  for (const x of a) for (const y of c) links.push([x, y]);
  return cutLinks(nodes, links);
}

export function shuffle<T>(rng: () => number, xs: readonly T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The grudge as groups of names for the history: {n1: ['n3'], ...}, only nodes with a grudge. */
export function describeGrudge(g: Grudge): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of g) if (v.size > 0) out[k] = [...v].sort();
  return out;
}
