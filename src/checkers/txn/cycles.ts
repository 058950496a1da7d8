/**
 * Cycle search over the transaction graph, as Elle does it: strongly connected components first
 * (a cycle never leaves one), then, per component of more than one transaction, at most one cycle
 * per anomaly class, the shortest we can find, in Elle's order of severity (G0, G1c, G-single-item,
 * G2-item, G-nonadjacent-item, then the -process and then the -realtime variants). A class implied by one
 * already found in the component is not searched (G0 there makes G1c redundant, as in Elle).
 *
 * Classes, by the kinds of the cycle's edges (each edge of the cycle taken as one of its kinds):
 * G0 all ww; G1c ww and wr, at least one wr; G-single-item exactly one rw, the rest ww/wr; G-nonadjacent-item
 * two or more rw, no two adjacent (the last and the first edge count as adjacent); G2-item two or
 * more rw, some two adjacent. The -process variant (the -realtime one) may also take process
 * (realtime) edges and must take at least one. Elle's G2 needs predicate reads, which these
 * workloads never have, so it is never searched (G2-item implies it).
 *
 * Search: a breadth-first search over (vertex, state) from each start vertex, the state being the
 * little the class needs (was the last edge rw, were two rw taken, was a process/realtime edge
 * taken), so the first return to the start is the shortest such cycle through it. Each cycle is
 * rotated so its first edge is the one the class is about (the rw of G-single-item, a wr of G1c), which
 * fixes the start among the cycle's vertices; a BFS never expands past the best length found so
 * far, and is confined to the sub-component (over the kinds the rest of the cycle may use) that
 * can lead back to its start. Typed arrays throughout; no recursion.
 *
 * Completeness: a class is proven absent from a component only when every start was searched to
 * the end. A deadline (ms, Date.now()) or the per-class work cap stops a search early; it is then
 * reported as incomplete, with what was found kept, and the caller says unknown unless something
 * prohibited was found anyway.
 */
import { modelAndStronger } from './models.js';
import { PROCESS, REALTIME, RW, WR, WW, type EdgeKind, type TxnGraph } from './types.js';

/** The classes in Elle's search order (anomaly depth, then name). */
const BASE_CLASSES = ['G0', 'G1c', 'G-single-item', 'G-nonadjacent-item', 'G2-item'] as const;
type BaseClass = (typeof BASE_CLASSES)[number];

/** Elle's implication among the cycle classes we search (a found class makes these redundant). */
const IMPLIES: Readonly<Record<string, readonly string[]>> = {
  G0: ['G1c', 'G0-process', 'G1c-process', 'G0-realtime', 'G1c-realtime'],
  G1c: ['G1c-process', 'G1c-realtime'],
  'G-single-item': [
    'G-nonadjacent-item',
    'G2-item',
    'G-single-item-process',
    'G-nonadjacent-item-process',
    'G2-item-process',
    'G-single-item-realtime',
    'G-nonadjacent-item-realtime',
    'G2-item-realtime',
  ],
  'G2-item': ['G2-item-process', 'G2-item-realtime'],
  'G-nonadjacent-item': ['G2-item', 'G-nonadjacent-item-process', 'G2-item-process', 'G-nonadjacent-item-realtime', 'G2-item-realtime'],
  'G0-process': ['G1c-process', 'G0-realtime', 'G1c-realtime'],
  'G1c-process': ['G1c-realtime'],
  'G-single-item-process': ['G-nonadjacent-item-process', 'G2-item-process', 'G-single-item-realtime', 'G-nonadjacent-item-realtime', 'G2-item-realtime'],
  'G2-item-process': ['G2-item-realtime'],
  'G-nonadjacent-item-process': ['G2-item-process', 'G-nonadjacent-item-realtime', 'G2-item-realtime'],
  'G0-realtime': ['G1c-realtime'],
  'G-single-item-realtime': ['G-nonadjacent-item-realtime', 'G2-item-realtime'],
  'G-nonadjacent-item-realtime': ['G2-item-realtime'],
};

const KIND_NAMES: readonly EdgeKind[] = ['ww', 'wr', 'rw', 'process', 'realtime'];
const KIND_BITS = [WW, WR, RW, PROCESS, REALTIME];

/** The class of a cycle from the kinds of its edges, by Elle's rules; null when it has no data edge. */
export function classifyCycle(kinds: readonly EdgeKind[]): string | null {
  let rw = 0;
  let wr = 0;
  let ww = 0;
  let process = 0;
  let realtime = 0;
  let adjacent = false;
  for (let i = 0; i < kinds.length; i++) {
    const k = kinds[i];
    if (k === 'rw') {
      rw++;
      if (kinds[(i + kinds.length - 1) % kinds.length] === 'rw') adjacent = true;
    } else if (k === 'wr') wr++;
    else if (k === 'ww') ww++;
    else if (k === 'process') process++;
    else realtime++;
  }
  const base = rw === 1 ? 'G-single-item' : rw > 1 ? (adjacent ? 'G2-item' : 'G-nonadjacent-item') : wr > 0 ? 'G1c' : ww > 0 ? 'G0' : null;
  if (base === null) return null;
  return base + (realtime > 0 ? '-realtime' : process > 0 ? '-process' : '');
}

export interface FoundCycle {
  /** The class, e.g. 'G-single-item-realtime'. */
  kind: string;
  /** Vertices in cycle order; edge i runs from vertices[i] to vertices[(i + 1) % k]. */
  vertices: number[];
  /** The kind each edge is taken as. */
  kinds: EdgeKind[];
}

/** Elle's fallback when a component's search did not finish: a cycle provably exists in this projection. */
export interface CycleExists {
  /** e.g. 'PL-2-cycle-exists'. */
  kind: string;
  /** The model it rules out (friendly name). */
  model: string;
  /** The projection, e.g. 'ww wr'. */
  subgraph: string;
  /** The vertices of the smallest component of that projection. */
  vertices: number[];
}

export interface CycleSearchOptions {
  /** The extra order edges cycles may use: PROCESS, REALTIME or 0 (Elle takes realtime when any realtime class matters). */
  variant?: number;
  /** Date.now() after which the search stops. */
  deadline?: number;
  /** The clock the deadline is read on (tests pass a fake one); default Date.now. */
  now?: () => number;
  /** Max edge visits per class per component, beyond 8 per edge and state of the component (default 2,000,000). */
  workFloor?: number;
}

export interface CycleSearchResult {
  /** Components of more than one transaction. */
  sccs: number;
  largestScc: number;
  cycles: FoundCycle[];
  /** Classes (per component) whose search stopped before proving absence. */
  incomplete: { scc: number; kind: string; why: 'deadline' | 'work' | 'walk' }[];
  /** Fallback proofs for components whose search was incomplete. */
  cycleExists: CycleExists[];
  timedOut: boolean;
}

/** The classes to search, in order, for a variant. */
export function searchedClasses(variant: number): string[] {
  const out: string[] = [...BASE_CLASSES];
  if (variant === PROCESS) for (const c of BASE_CLASSES) out.push(`${c}-process`);
  if (variant === REALTIME) for (const c of BASE_CLASSES) out.push(`${c}-realtime`);
  return out;
}

// ---- strongly connected components -------------------------------------------------------------

/** Iterative Tarjan over the edges whose kinds meet `mask`, reusable across calls (arrays of size n). */
class Tarjan {
  readonly index: Int32Array;
  readonly low: Int32Array;
  readonly cid: Int32Array;
  private readonly onStack: Uint8Array;
  private readonly stack: Uint32Array;
  private readonly callV: Uint32Array;
  private readonly callE: Uint32Array;

  constructor(private readonly g: TxnGraph) {
    const n = g.n;
    this.index = new Int32Array(n);
    this.low = new Int32Array(n);
    this.cid = new Int32Array(n);
    this.onStack = new Uint8Array(n);
    this.stack = new Uint32Array(n);
    this.callV = new Uint32Array(n);
    this.callE = new Uint32Array(n);
  }

  /**
   * Components of the graph over `verts` (all vertices when null; else only edges between vertices
   * v with member[v] === tag). cid[v] numbers components in the order found: when one component
   * reaches another, the reached one has the smaller number. Returns the components of size > 1
   * (sorted vertex lists), or null when the deadline passed.
   */
  run(mask: number, verts: Uint32Array | null, member: Int32Array | null, tag: number, deadline: number, now: () => number = Date.now): Uint32Array[] | null {
    const { offsets, targets, kinds } = this.g;
    const { index, low, cid, onStack, stack, callV, callE } = this;
    const count = verts ? verts.length : this.g.n;
    const out: Uint32Array[] = [];
    let counter = 0;
    let sp = 0;
    let top = 0;
    let comps = 0;
    let steps = 0;
    for (let i = 0; i < count; i++) {
      const root = verts ? verts[i]! : i;
      if (index[root] !== 0) continue;
      index[root] = low[root] = ++counter;
      stack[top++] = root;
      onStack[root] = 1;
      callV[sp] = root;
      callE[sp++] = offsets[root]!;
      while (sp > 0) {
        if ((++steps & 0xffff) === 0 && now() > deadline) {
          this.reset(verts);
          return null;
        }
        const v = callV[sp - 1]!;
        const e = callE[sp - 1]!;
        if (e < offsets[v + 1]!) {
          callE[sp - 1] = e + 1;
          if ((kinds[e]! & mask) === 0) continue;
          const w = targets[e]!;
          if (member && member[w] !== tag) continue;
          if (index[w] === 0) {
            index[w] = low[w] = ++counter;
            stack[top++] = w;
            onStack[w] = 1;
            callV[sp] = w;
            callE[sp++] = offsets[w]!;
          } else if (onStack[w] && index[w]! < low[v]!) low[v] = index[w]!;
          continue;
        }
        sp--;
        if (sp > 0) {
          const u = callV[sp - 1]!;
          if (low[v]! < low[u]!) low[u] = low[v]!;
        }
        if (low[v] === index[v]) {
          let size = 0;
          let w: number;
          const from = top;
          do {
            w = stack[--top]!;
            onStack[w] = 0;
            cid[w] = comps;
            size++;
          } while (w !== v);
          if (size > 1) out.push(stack.slice(top, from).sort());
          comps++;
        }
      }
    }
    this.reset(verts);
    return out;
  }

  private reset(verts: Uint32Array | null): void {
    if (verts) for (const v of verts) this.index[v] = 0;
    else this.index.fill(0);
  }
}

// ---- class automata ----------------------------------------------------------------------------

// State bits: the last edge was rw; two rw were taken; a process/realtime edge was taken.
const LAST_RW = 1;
const TWO_RW = 2;
const SEEN_V = 4;
const STATES = 8;

interface Automaton {
  name: string;
  /** Kinds the first edge may take, and those of the rest. */
  first: number;
  rest: number;
  /** trans[state * 5 + kindIndex]: next state, -1 when not allowed (kindIndex over KIND_BITS). */
  trans: Int8Array;
  /** firstState[kindIndex]: state after the first edge, -1 when not allowed. */
  firstState: Int8Array;
  accept: Uint8Array;
  /** The first edge's kinds are among the rest's: the whole cycle lies in one sub-component. */
  sameSub: boolean;
}

function automaton(name: string, base: BaseClass, variant: number): Automaton {
  const V = variant;
  const first = base === 'G0' ? (V ? V : WW) : base === 'G1c' ? WR : RW;
  const rest = (base === 'G0' ? WW : base === 'G1c' || base === 'G-single-item' ? WW | WR : WW | WR | RW) | V;
  const trans = new Int8Array(STATES * 5).fill(-1);
  const firstState = new Int8Array(5).fill(-1);
  const accept = new Uint8Array(STATES);
  for (let k = 0; k < 5; k++) {
    const bit = KIND_BITS[k]!;
    if (first & bit) firstState[k] = (bit === RW ? LAST_RW : 0) | (V && bit === V ? SEEN_V : 0);
    if (!(rest & bit)) continue;
    for (let s = 0; s < STATES; s++) {
      if (bit === RW) {
        if (base === 'G-nonadjacent-item') trans[s * 5 + k] = s & LAST_RW ? -1 : s | LAST_RW | TWO_RW;
        else trans[s * 5 + k] = s | LAST_RW;
      } else trans[s * 5 + k] = (s & ~LAST_RW) | (V && bit === V ? SEEN_V : 0);
    }
  }
  for (let s = 0; s < STATES; s++) {
    let ok = !V || (s & SEEN_V) !== 0;
    if (base === 'G-nonadjacent-item') ok &&= (s & LAST_RW) === 0 && (s & TWO_RW) !== 0;
    if (base === 'G2-item') ok &&= (s & LAST_RW) !== 0;
    accept[s] = ok ? 1 : 0;
  }
  return { name, first, rest, trans, firstState, accept, sameSub: (first & rest) === first };
}

function automata(variant: number): Automaton[] {
  return searchedClasses(variant).map((name) => {
    const base = name.replace(/-(process|realtime)$/, '') as BaseClass;
    return automaton(name, base, name.endsWith('-process') ? PROCESS : name.endsWith('-realtime') ? REALTIME : 0);
  });
}

// ---- the search --------------------------------------------------------------------------------

class Stopped extends Error {}

/** Work arrays for the (vertex, state) BFS, sized to the largest component. */
class Bfs {
  seen: Uint32Array;
  parent: Int32Array;
  pkind: Uint8Array;
  queue: Int32Array;
  stamp = 0;
  work = 0;
  steps = 0;

  constructor(size: number) {
    this.seen = new Uint32Array(size * STATES);
    this.parent = new Int32Array(size * STATES);
    this.pkind = new Uint8Array(size * STATES);
    this.queue = new Int32Array(size * STATES);
  }
}

interface SccCtx {
  g: TxnGraph;
  members: Uint32Array;
  /** Global vertex -> index in members (valid for members). */
  local: Int32Array;
  /** Sub-component numbers over the automaton's rest kinds. */
  cid: Int32Array;
  deadline: number;
  now: () => number;
}

/**
 * The shortest cycle through `s` accepted by `a` shorter than `best` edges, as its vertices and the
 * kind index of each edge, or null. Throws Stopped when the deadline passes or work runs out.
 */
function bfsFrom(c: SccCtx, b: Bfs, a: Automaton, s: number, best: number, workCap: number): { vs: number[]; ks: number[] } | null {
  const { offsets, targets, kinds } = c.g;
  const { local, cid, deadline, now } = c;
  const { seen, parent, pkind, queue } = b;
  const stamp = ++b.stamp;
  const cs = cid[s]!;
  let head = 0;
  let tail = 0;
  for (let e = offsets[s]!; e < offsets[s + 1]!; e++) {
    const kb = kinds[e]! & a.first;
    if (kb === 0) continue;
    const w = targets[e]!;
    const lw = local[w]!;
    if (lw < 0 || (a.sameSub ? cid[w] !== cs : cid[w]! < cs)) continue;
    for (let k = 0; k < 5; k++) {
      if (!(kb & KIND_BITS[k]!)) continue;
      const st = a.firstState[k]!;
      const p = lw * STATES + st;
      if (seen[p] === stamp) continue;
      seen[p] = stamp;
      parent[p] = -1;
      pkind[p] = k;
      queue[tail++] = p;
    }
  }
  let level = 1;
  while (head < tail && level + 1 < best) {
    const end = tail;
    while (head < end) {
      const p = queue[head++]!;
      const st = p % STATES;
      const v = c.members[(p - st) / STATES]!;
      const eEnd = offsets[v + 1]!;
      b.work += eEnd - offsets[v]!;
      if ((++b.steps & 0xfff) === 0) {
        if (now() > deadline) throw new Stopped('deadline');
        if (b.work > workCap) throw new Stopped('work');
      }
      for (let e = offsets[v]!; e < eEnd; e++) {
        const kb = kinds[e]! & a.rest;
        if (kb === 0) continue;
        const w = targets[e]!;
        if (w === s) {
          for (let k = 0; k < 5; k++) {
            if (!(kb & KIND_BITS[k]!)) continue;
            const st2 = a.trans[st * 5 + k]!;
            if (st2 >= 0 && a.accept[st2]) return walkBack(c, b, p, s, k);
          }
          continue;
        }
        const lw = local[w]!;
        if (lw < 0 || (a.sameSub ? cid[w] !== cs : cid[w]! < cs)) continue;
        for (let k = 0; k < 5; k++) {
          if (!(kb & KIND_BITS[k]!)) continue;
          const st2 = a.trans[st * 5 + k]!;
          if (st2 < 0) continue;
          const p2 = lw * STATES + st2;
          if (seen[p2] === stamp) continue;
          seen[p2] = stamp;
          parent[p2] = p;
          pkind[p2] = k;
          queue[tail++] = p2;
        }
      }
    }
    level++;
  }
  return null;
}

function walkBack(c: SccCtx, b: Bfs, last: number, s: number, closing: number): { vs: number[]; ks: number[] } {
  const vs: number[] = [];
  const ks: number[] = [closing];
  for (let p = last; p !== -1; p = b.parent[p]!) {
    vs.push(c.members[Math.floor(p / STATES)]!);
    ks.push(b.pkind[p]!);
  }
  vs.push(s);
  vs.reverse();
  ks.reverse();
  // ks now: first edge .. closing edge; ks[i] runs from vs[i] to vs[i + 1] (mod length).
  return { vs, ks };
}

/** The simple cycles a closed walk splits into at its repeated vertices. */
function simpleCycles(vs: number[], ks: number[]): { vs: number[]; ks: number[] }[] {
  const at = new Map<number, number>();
  for (let i = 0; i < vs.length; i++) {
    const j = at.get(vs[i]!);
    if (j !== undefined) {
      const inner = { vs: vs.slice(j, i), ks: ks.slice(j, i) };
      const outer = { vs: [...vs.slice(0, j), ...vs.slice(i)], ks: [...ks.slice(0, j), ...ks.slice(i)] };
      return [...simpleCycles(inner.vs, inner.ks), ...simpleCycles(outer.vs, outer.ks)];
    }
    at.set(vs[i]!, i);
  }
  return [{ vs, ks }];
}

/**
 * Finds the components and, in each, the shortest cycle of each class we could find. Never
 * throws on budget: a deadline marks the result timedOut with what was found so far.
 */
export function findCycles(g: TxnGraph, opts: CycleSearchOptions = {}): CycleSearchResult {
  const variant = opts.variant ?? 0;
  const deadline = opts.deadline ?? Infinity;
  const now = opts.now ?? Date.now;
  const workFloor = opts.workFloor ?? 2_000_000;
  const result: CycleSearchResult = { sccs: 0, largestScc: 0, cycles: [], incomplete: [], cycleExists: [], timedOut: false };
  const classes = automata(variant);
  const allMask = WW | WR | RW | variant;
  const tarjan = new Tarjan(g);
  const sccs = tarjan.run(allMask, null, null, 0, deadline, now);
  if (sccs === null) {
    result.timedOut = true;
    result.incomplete.push({ scc: -1, kind: '*', why: 'deadline' });
    return result;
  }
  sccs.sort((x, y) => x[0]! - y[0]!);
  result.sccs = sccs.length;
  for (const m of sccs) result.largestScc = Math.max(result.largestScc, m.length);
  if (sccs.length === 0) return result;

  const member = new Int32Array(g.n).fill(-1);
  const local = new Int32Array(g.n).fill(-1);
  const bfs = new Bfs(result.largestScc);
  for (let si = 0; si < sccs.length; si++) {
    const members = sccs[si]!;
    for (let i = 0; i < members.length; i++) {
      member[members[i]!] = si;
      local[members[i]!] = i;
    }
    let edges = 0;
    for (const v of members) edges += g.offsets[v + 1]! - g.offsets[v]!;
    const workCap = workFloor + 8 * edges * STATES;
    const redundant = new Set<string>();
    let incomplete = false;
    for (const a of classes) {
      if (redundant.has(a.name)) continue;
      if (result.timedOut || now() > deadline) {
        result.timedOut = true;
        result.incomplete.push({ scc: si, kind: a.name, why: 'deadline' });
        incomplete = true;
        continue;
      }
      const subs = tarjan.run(a.rest, members, member, si, deadline, now);
      if (subs === null) {
        result.timedOut = true;
        result.incomplete.push({ scc: si, kind: a.name, why: 'deadline' });
        incomplete = true;
        continue;
      }
      const ctx: SccCtx = { g, members, local, cid: tarjan.cid, deadline, now };
      const out = searchClass(ctx, bfs, a, workCap);
      if (out.stopped === 'deadline') result.timedOut = true;
      if (out.cycle) {
        result.cycles.push(out.cycle);
        for (const r of IMPLIES[a.name] ?? []) redundant.add(r);
      } else if (out.stopped) {
        result.incomplete.push({ scc: si, kind: a.name, why: out.stopped });
        incomplete = true;
      }
    }
    if (incomplete) result.cycleExists.push(...cycleExists(tarjan, g, members, member, si, variant));
    for (const v of members) {
      member[v] = -1;
      local[v] = -1;
    }
  }
  return result;
}

function searchClass(c: SccCtx, b: Bfs, a: Automaton, workCap: number): { cycle?: FoundCycle; stopped?: 'deadline' | 'work' | 'walk' } {
  const { g, members, cid } = c;
  let best: FoundCycle | undefined;
  let unsure = false;
  b.work = 0;
  try {
    for (let i = 0; i < members.length; i++) {
      if ((i & 0xff) === 0xff && c.now() > c.deadline) throw new Stopped('deadline');
      const s = members[i]!;
      let starts = false;
      for (let e = g.offsets[s]!; e < g.offsets[s + 1]! && !starts; e++) {
        const w = g.targets[e]!;
        starts = (g.kinds[e]! & a.first) !== 0 && c.local[w]! >= 0 && (a.sameSub ? cid[w] === cid[s] : cid[w]! >= cid[s]!);
      }
      if (!starts) continue;
      const walk = bfsFrom(c, b, a, s, best ? best.vertices.length : Infinity, workCap);
      if (!walk) continue;
      // A shortest accepted walk may pass a vertex twice; keep its simple cycles of this class.
      let pick: FoundCycle | undefined;
      for (const cy of simpleCycles(walk.vs, walk.ks)) {
        const kinds = cy.ks.map((k) => KIND_NAMES[k]!);
        if (classifyCycle(kinds) === a.name && (!pick || cy.vs.length < pick.vertices.length)) pick = { kind: a.name, vertices: cy.vs, kinds };
      }
      if (!pick) unsure = true;
      else if (!best || pick.vertices.length < best.vertices.length) best = pick;
      if (best && best.vertices.length === 2) break;
    }
  } catch (err) {
    if (!(err instanceof Stopped)) throw err;
    // With a cycle in hand a stop only means it may not be the shortest; without, absence is unproven.
    return { cycle: best, stopped: err.message as 'deadline' | 'work' };
  }
  return best ? { cycle: best } : unsure ? { stopped: 'walk' } : {};
}

/** Elle's cycle-exists specs we can decide by components alone (the snapshot-isolation ones need more). */
const EXISTS_SPECS: readonly { model: string; canonical: string; mask: number; needs: number; subgraph: string }[] = [
  { model: 'read-uncommitted', canonical: 'PL-1', mask: WW, needs: 0, subgraph: 'ww' },
  { model: 'read-committed', canonical: 'PL-2', mask: WW | WR, needs: 0, subgraph: 'ww wr' },
  { model: 'serializable', canonical: 'PL-3', mask: WW | WR | RW, needs: 0, subgraph: 'ww wr rw' },
  { model: 'strong-session-read-uncommitted', canonical: 'strong-session-PL-1', mask: WW | PROCESS, needs: PROCESS, subgraph: 'ww process' },
  { model: 'strong-session-read-committed', canonical: 'strong-session-PL-2', mask: WW | WR | PROCESS, needs: PROCESS, subgraph: 'ww wr process' },
  {
    model: 'strong-session-serializable',
    canonical: 'strong-session-serializable',
    mask: WW | WR | RW | PROCESS,
    needs: PROCESS,
    subgraph: 'ww wr rw process',
  },
  { model: 'strong-read-uncommitted', canonical: 'strong-PL-1', mask: WW | REALTIME, needs: REALTIME, subgraph: 'ww realtime' },
  { model: 'strong-read-committed', canonical: 'strong-PL-2', mask: WW | WR | REALTIME, needs: REALTIME, subgraph: 'ww wr realtime' },
  { model: 'strict-serializable', canonical: 'PL-SS', mask: WW | WR | RW | REALTIME, needs: REALTIME, subgraph: 'ww wr rw realtime' },
];

function cycleExists(t: Tarjan, g: TxnGraph, members: Uint32Array, member: Int32Array, si: number, variant: number): CycleExists[] {
  const out: CycleExists[] = [];
  const ruledOut = new Set<string>();
  for (const spec of EXISTS_SPECS) {
    if (spec.needs && spec.needs !== variant) continue;
    if (ruledOut.has(spec.canonical)) continue;
    const subs = t.run(spec.mask, members, member, si, Infinity)!;
    if (subs.length === 0) continue;
    const smallest = subs.reduce((x, y) => (y.length < x.length ? y : x));
    out.push({ kind: `${spec.canonical}-cycle-exists`, model: spec.model, subgraph: spec.subgraph, vertices: [...smallest] });
    for (const m of modelAndStronger(spec.canonical)) ruledOut.add(m);
  }
  return out;
}
