import type { Model, ModelOp } from './model.js';
import { linOp, type LinOp, type OpColumns } from './prepare.js';

/**
 * Wing & Gong's search with Lowe's just-in-time linearization, for one partition (one key).
 *
 * The history is a doubly linked list of call and return entries in history order. The search walks
 * it from the head: a call entry whose op the model accepts is linearized (lifted out of the list with
 * its return entry, dancing-links style) and the walk restarts at the head; reaching a return entry
 * means the op it closes cannot be linearized in this order, so the search backtracks. Configurations
 * (set of linearized ops, model state) already explored are memoized: a second visit is a dead end.
 *
 * Info ops (outcome unknown) have a call entry and no return entry: nothing forces them, so they can
 * take effect at any point after their invocation, or never. The walk tries ok ops first and info
 * ops only when stuck at a return entry (phase 1), which keeps valid histories with many info ops on
 * the greedy path. Every candidate is still tried in every configuration, so the search is complete.
 *
 * The search is resumable (`run(maxSteps)`) so that partitions can share one time budget.
 */
export type SearchStatus = 'running' | 'valid' | 'invalid';

export interface Stuck {
  /** Local op id that could not be linearized at the furthest point the search reached. */
  op: number;
  /** Model states in which the search stood when that op could not be linearized. */
  states: unknown[];
  /** The longest linearizable prefix found (local op ids, in linearization order). */
  prefix: number[];
}

const MAX_WITNESS_STATES = 8;
const REC_HEADER = 5;
const ILLEGAL = -1;

/** A hash of a (state + 1, op) pair whose low bits are mixed (a product's low bits see only the operands' low bits). */
function transHash(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 13);
}

export class PartitionSearch {
  /** Operation numbers (OpColumns indices) by local id. */
  private readonly global: Int32Array;
  private readonly mops: ModelOp[];
  /** History position of each local op's ok completion; Infinity for info ops. */
  private readonly retPos: Float64Array;
  private readonly nOk: number;
  private readonly okWords: number;
  private readonly infoWords: number;
  private readonly lastOkMask: number;
  // Linked list: entry 2*id is op id's call, 2*id+1 its return; H and T are sentinels.
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly H: number;
  // Linearized set, its Zobrist hash, and the two bounds that compress it for the cache.
  private readonly bits: Uint32Array;
  private readonly zob1: Int32Array;
  private readonly zob2: Int32Array;
  private h1 = 0;
  private h2 = 0;
  private fullWords = 0;
  private maxOk = -1;
  // Explicit DFS stack.
  private readonly stOp: Int32Array;
  private readonly stTrail: Int32Array;
  private readonly stState: Int32Array;
  private readonly stPhase: Uint8Array;
  private readonly stMaxOk: Int32Array;
  private readonly stFull: Int32Array;
  private sp = 0;
  // Interned model states.
  private readonly stateIds = new Map<string | number, number>();
  private readonly states: unknown[] = [];
  // Transitions already computed, for models whose states cost time in their size (Model.cacheSteps):
  // an open-addressing table of [state + 1, op, next state or ILLEGAL] triples; state + 1 = 0 is empty.
  private readonly cacheSteps: boolean;
  private trans: Int32Array = new Int32Array(0);
  private transUsed = 0;
  // Memo: an open-addressing table of offsets into an arena of records
  // [hash1, hash2, state, lo, hi, ok words lo..hi, info words]; offset 0 means an empty slot.
  private table: Int32Array | undefined = new Int32Array(1 << 10);
  private records = 0;
  private arena: Int32Array = new Int32Array(1 << 12);
  private arenaUsed = 1;
  // Trail of linearized ops as a parent-linked tree, so a prefix is saved in O(1): node = (op, parent).
  private trailOp: Int32Array = new Int32Array(1 << 10);
  private trailParent: Int32Array = new Int32Array(1 << 10);
  private trailUsed = 0;
  private trailTop = -1;
  // Walk position.
  private e: number;
  private phase = 0;
  private cur: number;
  private remaining: number;
  status: SearchStatus = 'running';
  steps = 0;
  private stuckPos = -1;
  private stuckOp = -1;
  private stuckStates: unknown[] = [];
  private stuckTrail = -1;

  constructor(
    private readonly model: Model,
    private readonly columns: OpColumns,
    ids: Int32Array,
  ) {
    // Ok ops get ids 0..nOk-1 in call order, info ops the ids after: the ok region of the bitset then
    // fills from the bottom, which lets the cache store only the words between fullWords and maxOk.
    // `ids` are in invocation order, which is call order.
    const okCol = columns.ok;
    let nOk = 0;
    for (const g of ids) nOk += okCol[g];
    const n = ids.length;
    const global = new Int32Array(n);
    for (let i = 0, a = 0, b = nOk; i < n; i++) {
      const g = ids[i];
      if (okCol[g] === 1) global[a++] = g;
      else global[b++] = g;
    }
    this.global = global;
    this.mops = Array.from(global, (g) => columns.mops[g]!);
    this.retPos = new Float64Array(n);
    this.nOk = nOk;
    this.okWords = (this.nOk + 31) >>> 5;
    this.infoWords = (n - nOk + 31) >>> 5;
    const rem = this.nOk & 31;
    this.lastOkMask = rem === 0 ? 0xffffffff : 2 ** rem - 1;
    this.remaining = this.nOk;

    this.H = 2 * n;
    const T = 2 * n + 1;
    this.next = new Int32Array(2 * n + 2);
    this.prev = new Int32Array(2 * n + 2);
    // Entries (2 * id call, 2 * id + 1 ok return) in history order; positions are distinct history indices.
    const pos = new Float64Array(2 * n);
    const events = new Int32Array(n + nOk);
    let m = 0;
    for (let id = 0; id < n; id++) {
      const g = global[id];
      pos[2 * id] = columns.invokeIndex[g];
      events[m++] = 2 * id;
      if (id < nOk) {
        pos[2 * id + 1] = this.retPos[id] = columns.completeIndex[g];
        events[m++] = 2 * id + 1;
      } else this.retPos[id] = Infinity;
    }
    events.sort((x, y) => pos[x] - pos[y]);
    let last = this.H;
    for (const entry of events) {
      this.next[last] = entry;
      this.prev[entry] = last;
      last = entry;
    }
    this.next[last] = T;
    this.prev[T] = last;

    this.bits = new Uint32Array(this.okWords + this.infoWords);
    this.zob1 = new Int32Array(n);
    this.zob2 = new Int32Array(n);
    let x = 0x9e3779b9 ^ n;
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      this.zob1[i] = x;
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      this.zob2[i] = x;
    }
    this.stOp = new Int32Array(n + 1);
    this.stTrail = new Int32Array(n + 1);
    this.stState = new Int32Array(n + 1);
    this.stPhase = new Uint8Array(n + 1);
    this.stMaxOk = new Int32Array(n + 1);
    this.stFull = new Int32Array(n + 1);
    this.cacheSteps = model.cacheSteps === true;
    if (this.cacheSteps) this.trans = new Int32Array(3 << 10);
    this.cur = this.intern(model.init());
    this.e = this.next[this.H];
  }

  /** Local op `id` as a LinOp, for witnesses. */
  op(id: number): LinOp {
    return linOp(this.columns, this.global[id]);
  }

  /** Bytes held by the memo (arena and map), for the memory budget. */
  memoryBytes(): number {
    return this.arena.byteLength + (this.table?.byteLength ?? 0) + this.trailOp.byteLength * 2 + this.trans.byteLength + this.states.length * 64;
  }

  /** Frees the memo; the search cannot continue afterwards. */
  release(): void {
    this.table = undefined;
    this.arena = new Int32Array(0);
    this.trailOp = new Int32Array(0);
    this.trailParent = new Int32Array(0);
    this.trans = new Int32Array(0);
  }

  /** Where the search got furthest before it was stuck; call before release(). */
  witness(): Stuck | undefined {
    if (this.stuckOp < 0) return undefined;
    const prefix: number[] = [];
    for (let t = this.stuckTrail; t >= 0; t = this.trailParent[t]) prefix.push(this.trailOp[t]);
    return { op: this.stuckOp, states: this.stuckStates, prefix: prefix.reverse() };
  }

  private intern(s: unknown): number {
    const k = this.model.key(s);
    let id = this.stateIds.get(k);
    if (id === undefined) {
      id = this.states.length;
      this.states.push(s);
      this.stateIds.set(k, id);
    }
    return id;
  }

  /** The interned state after op `id` in interned state `sid`, or ILLEGAL. */
  private stepId(sid: number, id: number): number {
    if (!this.cacheSteps) {
      const ns = this.model.step(this.states[sid], this.mops[id]);
      return ns === undefined ? ILLEGAL : this.intern(ns);
    }
    let t = this.trans;
    let mask = t.length / 3 - 1;
    let slot = transHash(sid + 1, id) & mask;
    for (let p = slot * 3; t[p] !== 0; slot = (slot + 1) & mask, p = slot * 3) {
      if (t[p] === sid + 1 && t[p + 1] === id) return t[p + 2];
    }
    const ns = this.model.step(this.states[sid], this.mops[id]);
    const next = ns === undefined ? ILLEGAL : this.intern(ns);
    if (++this.transUsed * 2 > mask + 1) {
      this.growTrans();
      t = this.trans;
      mask = t.length / 3 - 1;
      slot = transHash(sid + 1, id) & mask;
      while (t[slot * 3] !== 0) slot = (slot + 1) & mask;
    }
    const p = slot * 3;
    t[p] = sid + 1;
    t[p + 1] = id;
    t[p + 2] = next;
    return next;
  }

  private growTrans(): void {
    const old = this.trans;
    const t = new Int32Array(old.length * 2);
    const mask = t.length / 3 - 1;
    for (let q = 0; q < old.length; q += 3) {
      if (old[q] === 0) continue;
      let slot = transHash(old[q], old[q + 1]) & mask;
      while (t[slot * 3] !== 0) slot = (slot + 1) & mask;
      t[slot * 3] = old[q];
      t[slot * 3 + 1] = old[q + 1];
      t[slot * 3 + 2] = old[q + 2];
    }
    this.trans = t;
  }

  // The hash covers ok ops only: records that differ only in info ops must meet in one probe run.
  private setBit(id: number): void {
    if (id < this.nOk) {
      this.h1 ^= this.zob1[id];
      this.h2 ^= this.zob2[id];
      const w = id >>> 5;
      this.bits[w] |= 1 << (id & 31);
      if (id > this.maxOk) this.maxOk = id;
      while (this.fullWords < this.okWords && this.bits[this.fullWords] === this.fullMask(this.fullWords)) this.fullWords++;
    } else {
      const j = id - this.nOk;
      this.bits[this.okWords + (j >>> 5)] |= 1 << (j & 31);
    }
  }

  /** Undo of setBit; maxOk and fullWords are restored by the caller from saved values. */
  private clearBit(id: number): void {
    if (id < this.nOk) {
      this.h1 ^= this.zob1[id];
      this.h2 ^= this.zob2[id];
      this.bits[id >>> 5] &= ~(1 << (id & 31));
    } else {
      const j = id - this.nOk;
      this.bits[this.okWords + (j >>> 5)] &= ~(1 << (j & 31));
    }
  }

  private fullMask(w: number): number {
    return w === this.okWords - 1 ? this.lastOkMask : 0xffffffff;
  }

  /** Looks the current configuration up in the memo; inserts it when absent. True when it was present. */
  private seenOrInsert(state: number): boolean {
    const lo = this.fullWords;
    const hi = Math.max(lo - 1, this.maxOk >> 5);
    const k1 = (this.h1 ^ Math.imul(state + 1, 0x9e3779b1)) | 0;
    const k2 = this.h2 | 0;
    const bits = this.bits;
    const okW = this.okWords;
    const infoW = this.infoWords;
    let a = this.arena;
    const table = this.table!;
    const mask = table.length - 1;
    let slot = k1 & mask;
    // Open addressing with linear probing; records keep their hashes so most probes compare two ints.
    for (let off = table[slot]; off !== 0; slot = (slot + 1) & mask, off = table[slot]) {
      if (a[off] !== k1 || a[off + 1] !== k2 || a[off + 2] !== state || a[off + 3] !== lo || a[off + 4] !== hi) continue;
      let same = true;
      let p = off + REC_HEADER;
      for (let w = lo; w <= hi; w++, p++)
        if (a[p] !== (bits[w] | 0)) {
          same = false;
          break;
        }
      // Dominance: info ops can always be left out, so a configuration with the same ok ops and
      // state and a subset of these info ops covers this one (explored, or an ancestor exploring it).
      if (same)
        for (let w = 0; w < infoW; w++, p++)
          if ((a[p] & ~bits[okW + w]) !== 0) {
            same = false;
            break;
          }
      if (same) return true;
    }
    const size = REC_HEADER + (hi - lo + 1) + infoW;
    if (this.arenaUsed + size > a.length) {
      const grown = new Int32Array(Math.max(a.length * 2, this.arenaUsed + size));
      grown.set(a.subarray(0, this.arenaUsed));
      this.arena = a = grown;
    }
    const off = this.arenaUsed;
    a[off] = k1;
    a[off + 1] = k2;
    a[off + 2] = state;
    a[off + 3] = lo;
    a[off + 4] = hi;
    let p = off + REC_HEADER;
    for (let w = lo; w <= hi; w++) a[p++] = bits[w];
    for (let w = 0; w < infoW; w++) a[p++] = bits[okW + w];
    this.arenaUsed += size;
    table[slot] = off;
    if (++this.records * 2 > table.length) this.growTable();
    return false;
  }

  private growTable(): void {
    const old = this.table!;
    const table = new Int32Array(old.length * 2);
    const mask = table.length - 1;
    for (const off of old) {
      if (off === 0) continue;
      let slot = this.arena[off] & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = off;
    }
    this.table = table;
  }

  private lift(id: number): void {
    const { next, prev } = this;
    const c = 2 * id;
    next[prev[c]] = next[c];
    prev[next[c]] = prev[c];
    if (id < this.nOk) {
      const r = c + 1;
      next[prev[r]] = next[r];
      prev[next[r]] = prev[r];
    }
  }

  private unlift(id: number): void {
    const { next, prev } = this;
    const c = 2 * id;
    if (id < this.nOk) {
      const r = c + 1;
      prev[next[r]] = r;
      next[prev[r]] = r;
    }
    prev[next[c]] = c;
    next[prev[c]] = c;
  }

  private pushTrail(id: number): void {
    if (this.trailUsed === this.trailOp.length) {
      const op = new Int32Array(this.trailUsed * 2);
      op.set(this.trailOp);
      const parent = new Int32Array(this.trailUsed * 2);
      parent.set(this.trailParent);
      this.trailOp = op;
      this.trailParent = parent;
    }
    this.trailOp[this.trailUsed] = id;
    this.trailParent[this.trailUsed] = this.trailTop;
    this.trailTop = this.trailUsed++;
  }

  private noteStuck(id: number): void {
    const pos = this.retPos[id];
    if (pos > this.stuckPos) {
      this.stuckPos = pos;
      this.stuckStates = [this.states[this.cur]];
      this.stuckOp = id;
      this.stuckTrail = this.trailTop;
    } else if (pos === this.stuckPos && this.stuckStates.length < MAX_WITNESS_STATES) {
      const s = this.states[this.cur];
      if (!this.stuckStates.includes(s)) this.stuckStates.push(s);
    }
  }

  /**
   * True when an info op can be skipped here because an earlier configuration of the current chain of
   * info ops (linearized one after another, no ok op between) reaches the same state with it: that
   * configuration has the same ok ops and a subset of these info ops, and tries this op itself, so it
   * covers every continuation from here. Without this, k pending info writes of a register would be
   * tried in all 2^k orders and subsets at every dead end; with it, each is tried once per dead end.
   */
  private chainCovers(id: number, sid: number): boolean {
    for (let j = this.sp - 1; j >= 0 && this.stOp[j] >= this.nOk; j--) {
      if (this.stepId(this.stState[j], id) === sid) return true;
    }
    return false;
  }

  /** Runs at most maxSteps steps of the walk; returns the status afterwards. */
  run(maxSteps: number): SearchStatus {
    if (this.status !== 'running') return this.status;
    const { next, H, nOk } = this;
    let e = this.e;
    let phase = this.phase;
    let steps = 0;
    for (; steps < maxSteps; steps++) {
      if (this.remaining === 0) {
        this.status = 'valid';
        break;
      }
      if ((e & 1) === 0) {
        const id = e >>> 1;
        const isInfo = id >= nOk;
        if (isInfo !== (phase === 1)) {
          e = next[e];
          continue;
        }
        const sid = this.stepId(this.cur, id);
        if (sid !== ILLEGAL) {
          if (isInfo && this.chainCovers(id, sid)) {
            e = next[e];
            continue;
          }
          const oldMax = this.maxOk;
          const oldFull = this.fullWords;
          this.setBit(id);
          if (!this.seenOrInsert(sid)) {
            const sp = this.sp++;
            this.stOp[sp] = id;
            this.stTrail[sp] = this.trailTop;
            this.pushTrail(id);
            this.stState[sp] = this.cur;
            this.stPhase[sp] = phase;
            this.stMaxOk[sp] = oldMax;
            this.stFull[sp] = oldFull;
            this.cur = sid;
            this.lift(id);
            if (!isInfo) this.remaining--;
            e = next[H];
            phase = 0;
            continue;
          }
          this.clearBit(id);
          this.maxOk = oldMax;
          this.fullWords = oldFull;
        }
        e = next[e];
      } else {
        if (phase === 0) {
          phase = 1;
          e = next[H];
          continue;
        }
        this.noteStuck(e >>> 1);
        if (this.sp === 0) {
          this.status = 'invalid';
          break;
        }
        const sp = --this.sp;
        const id = this.stOp[sp];
        this.trailTop = this.stTrail[sp];
        this.unlift(id);
        this.clearBit(id);
        this.maxOk = this.stMaxOk[sp];
        this.fullWords = this.stFull[sp];
        if (id < nOk) this.remaining++;
        this.cur = this.stState[sp];
        phase = this.stPhase[sp];
        e = next[2 * id];
      }
    }
    this.steps += steps;
    this.e = e;
    this.phase = phase;
    return this.status;
  }
}
