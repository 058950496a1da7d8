import type { Op } from '../../history/op.js';

/**
 * Fault windows, from the nemesis ops in a history.
 *
 * Pairing rule. The nemesis is one worker, so each of its actions is logged as an invocation
 * immediately followed, among nemesis ops, by its completion: `invoke` then `info`/`ok`/`fail`
 * (faultline), or `info` then `info` (Jepsen logs both halves as info). So a nemesis `invoke`, or an
 * `info` that does not complete the previous action, starts an action; the next nemesis op completes
 * it when it has the same f and is not an invocation. Nemesis completions are info by convention
 * (Jepsen's and ours) and mean the action was done; a `fail` completion means it was not. An info
 * action with no separate completion happened when it was logged; an invoke with none may or may
 * not have happened (a start counts, the fault may be acting; a stop does not heal).
 *
 * Which f opens and which closes a window of which kind:
 *   start-X / stop-X (start-partition / stop-partition, ...)  kind X
 *   kill / start                                               kind "kill"
 *   pause / resume                                             kind "pause"
 *   start / stop (Jepsen's classic partitioner)                kind "fault"
 * A bare `start` restarts killed nodes when a kill window is open, else it opens a "fault" window.
 * Other nemesis fs (clock bumps, ...) are counted but open no window. Repeated starts of an open
 * kind extend its window (pause one node, then another: one window until resume).
 *
 * A window spans from the invocation of its first start (the fault may act from then on) to the
 * completion of the stop that healed it (or the end of the history: never healed). Client ops
 * belong to a window when they were invoked inside it. The final heal is the completion of the
 * last stop; when some window never closed, the cluster never healed.
 *
 * Failed heals. A stop whose completion carries an `error` field (info or fail) did not certainly heal,
 * and does not close its window: the fault may still be in effect (stop-kill that could not restart a
 * node, a proxy layer that could not be cleared, a stop that threw or outlived its nemesis timeout).
 * Every package completes a stop that did its job without an `error` (an info with a value only), so a
 * benign info stays a heal. When a window is still open at the end and the last stop tried on it failed,
 * finalHeal is 'failed' (rather than 'never') and healFailure names that op: checkers that judge "after
 * the final heal" say unknown with that cause instead of judging reads of a cluster that never healed.
 */
export interface FaultWindow {
  id: number;
  kind: string;
  startIndex: number;
  startTime: number;
  /** Index/time of the heal's completion; Infinity when never healed. */
  endIndex: number;
  endTime: number;
  healed: boolean;
  /** Indices of the nemesis ops that opened, extended and closed it. */
  ops: number[];
  /** The last stop tried on it that ended with an error (see Failed heals), when it is still open. */
  healFailure?: HealFailure;
}

/** A stop whose completion carried an error: the fault may still be in effect. */
export interface HealFailure {
  f: string;
  index: number;
  time: number;
  error: string;
}

export interface FaultTimeline {
  windows: FaultWindow[];
  /** Nemesis ops in the history; those that were part of no window. */
  nemesisOps: number;
  otherNemesisOps: number;
  /**
   * 'none' without windows; 'failed' when a window never closed and the last stop tried on it ended
   * with an error (healFailure says which); 'never' when a window never closed otherwise; else the last heal.
   */
  finalHeal: 'none' | 'never' | 'failed' | { index: number; time: number };
  /** With finalHeal 'failed': the failed stop (of the window that failed last). */
  healFailure?: HealFailure;
  /** Index and time of the last op of the history. */
  lastIndex: number;
  lastTime: number;
}

interface Action {
  f: string;
  first: Op;
  done?: Op;
  happened: 'yes' | 'maybe' | 'no';
}

function nemesisActions(history: readonly Op[]): Action[] {
  const nem: Op[] = [];
  for (const op of history) if (op.process === 'nemesis') nem.push(op);
  const out: Action[] = [];
  for (let i = 0; i < nem.length; i++) {
    const a = nem[i]!;
    const b = nem[i + 1];
    if (a.type === 'invoke' || a.type === 'info') {
      if (b && b.f === a.f && b.type !== 'invoke') {
        out.push({ f: a.f, first: a, done: b, happened: b.type === 'fail' ? 'no' : 'yes' });
        i++;
      } else {
        out.push({ f: a.f, first: a, happened: a.type === 'info' ? 'yes' : 'maybe' });
      }
    } else {
      // A completion with no invocation before it: ok happened, fail did not.
      out.push({ f: a.f, first: a, done: a, happened: a.type === 'ok' ? 'yes' : 'no' });
    }
  }
  return out;
}

function classify(f: string, killOpen: boolean): { opens?: string; closes?: string } {
  let m = /^start-(.+)$/.exec(f);
  if (m) return { opens: m[1] };
  m = /^stop-(.+)$/.exec(f);
  if (m) return { closes: m[1] };
  switch (f) {
    case 'kill':
      return { opens: 'kill' };
    case 'pause':
      return { opens: 'pause' };
    case 'resume':
      return { closes: 'pause' };
    case 'start':
      return killOpen ? { closes: 'kill' } : { opens: 'fault' };
    case 'stop':
      return { closes: 'fault' };
    default:
      return {};
  }
}

const cache = new WeakMap<readonly Op[], FaultTimeline>();

export function faultTimeline(history: readonly Op[]): FaultTimeline {
  const hit = cache.get(history);
  if (hit) return hit;
  const windows: FaultWindow[] = [];
  const open = new Map<string, FaultWindow>();
  let nemesisOps = 0;
  let inWindows = 0;
  for (const op of history) if (op.process === 'nemesis') nemesisOps++;
  for (const a of nemesisActions(history)) {
    const { opens, closes } = classify(a.f, open.has('kill'));
    const ops = a.done && a.done !== a.first ? [a.first.index, a.done.index] : [a.first.index];
    if (opens !== undefined && a.happened !== 'no') {
      const w = open.get(opens);
      if (w) w.ops.push(...ops);
      else {
        const nw: FaultWindow = {
          id: windows.length,
          kind: opens,
          startIndex: a.first.index,
          startTime: a.first.time,
          endIndex: Infinity,
          endTime: Infinity,
          healed: false,
          ops,
        };
        windows.push(nw);
        open.set(opens, nw);
      }
      inWindows += ops.length;
    } else if (closes !== undefined && open.has(closes)) {
      const w = open.get(closes)!;
      w.ops.push(...ops);
      inWindows += ops.length;
      const end = a.done ?? a.first;
      // Only a heal that certainly happened closes the window; one that may not have leaves it open.
      if (end.error !== undefined && end.error !== null) {
        w.healFailure = { f: a.f, index: end.index, time: end.time, error: typeof end.error === 'string' ? end.error : JSON.stringify(end.error) };
      } else if (a.happened === 'yes') {
        delete w.healFailure;
        w.endIndex = end.index;
        w.endTime = end.time;
        w.healed = true;
        open.delete(closes);
      }
    }
  }
  let finalHeal: FaultTimeline['finalHeal'] = 'none';
  let healFailure: HealFailure | undefined;
  if (windows.length > 0) {
    const unhealed = windows.filter((w) => !w.healed);
    for (const w of unhealed) if (w.healFailure && (!healFailure || w.healFailure.index > healFailure.index)) healFailure = w.healFailure;
    if (healFailure) finalHeal = 'failed';
    else if (unhealed.length > 0) finalHeal = 'never';
    else {
      const last = windows.reduce((a, b) => (b.endIndex > a.endIndex ? b : a));
      finalHeal = { index: last.endIndex, time: last.endTime };
    }
  }
  const lastOp = history[history.length - 1];
  const tl: FaultTimeline = {
    windows,
    nemesisOps,
    otherNemesisOps: nemesisOps - inWindows,
    finalHeal,
    ...(healFailure ? { healFailure } : {}),
    lastIndex: lastOp?.index ?? 0,
    lastTime: lastOp?.time ?? 0,
  };
  cache.set(history, tl);
  return tl;
}

/** Ids of the windows an op invoked at `index` falls in (windows are few; a linear scan). */
export function windowsAt(tl: FaultTimeline, index: number): number[] {
  const out: number[] = [];
  for (const w of tl.windows) {
    if (w.startIndex > index) break;
    if (index <= w.endIndex) out.push(w.id);
  }
  return out;
}

export function inAnyWindow(tl: FaultTimeline, index: number): boolean {
  for (const w of tl.windows) {
    if (w.startIndex > index) return false;
    if (index <= w.endIndex) return true;
  }
  return false;
}

/** True when an op invoked at `index` began after the final heal (false when it never healed or the heal failed). */
export function afterFinalHeal(tl: FaultTimeline, index: number): boolean {
  const h = tl.finalHeal;
  if (h === 'none') return true;
  if (h === 'never' || h === 'failed') return false;
  return index > h.index;
}

/** True when the faults never certainly ended: a window never closed, or its last heal failed. */
export function neverHealed(tl: FaultTimeline): boolean {
  return tl.finalHeal === 'never' || tl.finalHeal === 'failed';
}

/**
 * Why there is no "after the final heal", for a verdict's cause; undefined when there is one (or no fault):
 * "the final heal failed: stop-kill (op 812 at 31.204 s) ended with the error \"...\", so the fault may still be in effect".
 */
export function healProblemText(tl: FaultTimeline): string | undefined {
  if (tl.finalHeal === 'never') return 'a fault window never closed (no heal in the history)';
  if (tl.finalHeal === 'failed') {
    const h = tl.healFailure!;
    return `the final heal failed: ${h.f} (op ${h.index} at ${(h.time / 1e9).toFixed(3)} s) ended with the error "${h.error}", so the fault may still be in effect`;
  }
  return undefined;
}

/** For stats: a window as plain JSON (Infinity is not JSON). */
export function windowJson(w: FaultWindow): Record<string, unknown> {
  return {
    id: w.id,
    kind: w.kind,
    startIndex: w.startIndex,
    startTime: w.startTime,
    endIndex: w.healed ? w.endIndex : null,
    endTime: w.healed ? w.endTime : null,
    healed: w.healed,
  };
}

/** "the pause window from 14.147 s to 17.384 s" / "... from 70.2 s, never healed". */
export function describeWindow(w: FaultWindow): string {
  const s = (w.startTime / 1e9).toFixed(3);
  return w.healed ? `the ${w.kind} window from ${s} s to ${(w.endTime / 1e9).toFixed(3)} s` : `the ${w.kind} window from ${s} s (never healed)`;
}
