/**
 * Which standby a failover may promote, and the record of what it saw (the start-failover op's value).
 *
 * Rule (policy `safe`). Synchronous replication that acknowledges a commit once k of the n standbys have
 * it (Postgres `ANY k (n standbys)`, MySQL semi-sync waiting for k replicas, Redis `WAIT k`) puts every
 * acknowledged commit on at least k standbys. Hearing from n-k+1 of them, at least one that answered
 * holds the newest acknowledged commit, and since a standby receives its primary's stream in order, the
 * most advanced one that answered holds every acknowledged commit: promote it. Hearing from fewer, no
 * answer shows which standby holds them: wait (bounded) for more, then refuse, as Patroni does.
 * Async replication promises no standby holds anything acknowledged: promote the most advanced that
 * answered, as before, and record that no quorum applies (required null).
 * The rule covers only commits the current primary acknowledged itself. What it inherited at its promotion
 * (its position then: the floor) may sit on no standby yet: a standby that has not reached the floor lacks
 * writes acknowledged under the previous primary, so `safe` refuses to promote it, as Patroni counts a
 * standby as synchronous only once it has caught up. No floor: the first primary, nothing inherited.
 * Policy `naive` (the naive-failover package only): the most advanced of those that answered, at once,
 * whatever the quorum. That is faultline's decision, and a write it loses is not the database's fault.
 */
export type FailoverPolicy = 'safe' | 'naive';

/** How many standbys must have a commit before the primary acknowledges it; undefined: async. */
export interface SyncRule {
  k: number;
  standbys: readonly string[];
  /** As the database says it, e.g. `ANY 1 ("n2", "n3")`. */
  text: string;
}

/** One standby's answer: its position (comparable), and as the database prints it. */
export interface Answer {
  at: bigint;
  text: string | number;
}

export interface FailoverRecord {
  policy: FailoverPolicy | 'sentinel';
  /** The synchronous rule in force (`ANY 1 ("n2", "n3")`), or 'async'. */
  sync: string;
  /** The standby promoted; null when refused. */
  chosen: string | null;
  /** Every standby's position as it answered; null when it did not answer. */
  positions: Record<string, string | number | null>;
  unanswered: string[];
  /** Standbys that must answer (n-k+1); null under async. */
  required: number | null;
  heard: number;
  /** Whether `required` answered; null under async (no quorum applies). */
  quorum: boolean | null;
  decision: 'promoted' | 'refused';
  reason: string;
  waitedMs: number;
  /** What the current primary held when it was promoted (the floor), as the database prints it; null: the first primary. */
  floor: string | number | null;
}

/** n-k+1, at least 1, at most n (a k above n acknowledges nothing, so one answer suffices); 0 with no standby. */
export function requiredAnswers(rule: SyncRule | undefined): number | null {
  if (!rule) return null;
  const n = rule.standbys.length;
  return Math.min(n, Math.max(1, n - rule.k + 1));
}

/** Decides from the answers gathered (undefined: did not answer). Pure. */
export function decide(
  policy: FailoverPolicy,
  rule: SyncRule | undefined,
  standbys: readonly string[],
  answers: ReadonlyMap<string, Answer>,
  waitedMs = 0,
  floor?: Answer,
): FailoverRecord {
  const positions: Record<string, string | number | null> = {};
  for (const n of standbys) positions[n] = answers.get(n)?.text ?? null;
  const unanswered = standbys.filter((n) => !answers.has(n));
  const heardOf = (rule ? rule.standbys : standbys).filter((n) => answers.has(n));
  const required = requiredAnswers(rule);
  const quorum = required === null ? null : heardOf.length >= required;
  const base = { policy, sync: rule?.text ?? 'async', positions, unanswered, required, heard: heardOf.length, quorum, waitedMs, floor: floor?.text ?? null };
  const missing = unanswered.length ? ` (${unanswered.join(', ')} did not answer)` : '';
  let best: string | undefined;
  for (const n of [...answers.keys()].sort()) if (best === undefined || answers.get(n)!.at > answers.get(best)!.at) best = n;
  if (standbys.length === 0) return { ...base, chosen: null, decision: 'refused', reason: 'no standby to promote' };
  if (best === undefined) return { ...base, chosen: null, decision: 'refused', reason: `no standby to promote: none answered with its position${missing}` };
  const ofN = `heard from ${heardOf.length} of ${rule?.standbys.length ?? standbys.length} standbys${missing}`;
  if (quorum === null) {
    return {
      ...base,
      chosen: best,
      decision: 'promoted',
      reason: `async replication: no standby is sure to hold every acknowledged write; promoted the most advanced of those that answered (${ofN})`,
    };
  }
  if (quorum && floor !== undefined && answers.get(best)!.at < floor.at && policy === 'safe') {
    return {
      ...base,
      chosen: null,
      decision: 'refused',
      reason:
        `${ofN}, the ${required} that ${rule!.text} needs, but the most advanced, ${best} at ${answers.get(best)!.text}, has not reached ` +
        `${floor.text}, what the primary held when it was promoted: writes acknowledged before that promotion may be on no standby, ` +
        `so no standby was promoted`,
    };
  }
  if (quorum) {
    return {
      ...base,
      chosen: best,
      decision: 'promoted',
      reason: `${ofN}, the ${required} that ${rule!.text} needs: ${best}, the most advanced, holds every acknowledged write`,
    };
  }
  if (policy === 'naive') {
    return {
      ...base,
      chosen: best,
      decision: 'promoted',
      reason:
        `naive-failover policy: promoted the most advanced of those that answered, without the ${required} answers ${rule!.text} needs; ${ofN}: ` +
        `it may lack acknowledged writes`,
    };
  }
  return {
    ...base,
    chosen: null,
    decision: 'refused',
    reason:
      `${ofN}${waitedMs > 0 ? ` after waiting ${waitedMs} ms` : ''}; under ${rule!.text} only ${required} answers show which standby holds every ` +
      `acknowledged write, so no standby was promoted`,
  };
}

export interface Gather {
  policy: FailoverPolicy;
  rule: SyncRule | undefined;
  standbys: readonly string[];
  /** Whether asking can get an answer now (a standby that is down or paused cannot; its answer is missing). */
  askable(name: string): boolean;
  /** The standby's position, or undefined when it does not answer in time. */
  ask(name: string): Promise<Answer | undefined>;
  /** How long `safe` waits for the quorum, asking again every pollMs. */
  waitMs: number;
  pollMs?: number;
  /** The current primary's position when it was promoted; undefined for the first primary. */
  floor?: Answer;
}

/**
 * Asks every standby for its position; under `safe` with a quorum to reach, asks again until enough
 * answered or waitMs passed (not for the floor: with the old primary fenced, a standby behind it stays
 * behind). Keeps each standby's latest answer. Then decides.
 */
export async function gatherAndDecide(g: Gather): Promise<FailoverRecord> {
  const t0 = Date.now();
  const answers = new Map<string, Answer>();
  const required = requiredAnswers(g.rule);
  const among = g.rule ? g.rule.standbys : g.standbys;
  for (;;) {
    await Promise.all(
      g.standbys.map(async (n) => {
        if (!g.askable(n)) return;
        const a = await g.ask(n).catch(() => undefined);
        if (a) answers.set(n, a);
      }),
    );
    const heard = among.filter((n) => answers.has(n)).length;
    const enough = required === null ? answers.size > 0 : heard >= required;
    if (enough || g.policy === 'naive' || g.standbys.length === 0 || Date.now() - t0 >= g.waitMs) break;
    await new Promise((r) => setTimeout(r, g.pollMs ?? 250));
  }
  return decide(g.policy, g.rule, g.standbys, answers, Date.now() - t0, g.floor);
}
