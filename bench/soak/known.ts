import type { Op, OpPair } from '../../src/history/index.js';
import type { Anomaly, Validity } from '../../src/checkers/types.js';
import type { SoakConfig } from './configs.js';

/**
 * Anomalies a database is documented to show in its safe configuration (README, Databases), each with
 * the sentence that says why it is the database's and not faultline's, and a test that recognises only
 * that shape. Anything a soak run shows that no entry explains is printed as a faultline bug until shown
 * otherwise.
 */
export interface KnownAnomaly {
  id: string;
  db: string;
  replication: string;
  workload: string;
  checkers: readonly string[];
  kinds: readonly string[];
  sentence: string;
  /** Whether this anomaly (of one of `kinds`, from one of `checkers`) has the documented shape; `ops`: the whole history, nemesis included. */
  matches(a: Anomaly, pairs: readonly OpPair[], ops: readonly Op[]): boolean;
}

export const KNOWN_ANOMALIES: readonly KnownAnomaly[] = [
  {
    id: 'redis-wait-info-write-discarded',
    db: 'redis',
    replication: 'wait',
    workload: 'append',
    checkers: ['lost-writes', 'monotonic-reads'],
    kinds: ['lost', 'monotonic-reads'],
    sentence:
      'Redis WAIT is not a commit: the primary applies a write before WAIT counts replicas, so a read can see ' +
      'a write whose WAIT came up short (recorded info) and that a failover or resync then discards. Only ' +
      'writes never acknowledged (info) may vanish; a lost ok write is not this.',
    matches: (a, pairs) => {
      const elems = anomalyWrites(a, pairs);
      return elems.length > 0 && elems.every((p) => p.type === 'info');
    },
  },
  {
    id: 'mariadb-semisync-crash-recovered-info-write-discarded',
    db: 'mysql',
    replication: 'semi-sync',
    workload: 'append',
    checkers: ['lost-writes', 'monotonic-reads'],
    kinds: ['lost', 'monotonic-reads'],
    sentence:
      'A MariaDB primary killed -9 while a commit waits for its semi-sync ack (AFTER_SYNC: in the binlog, ' +
      'prepared in InnoDB, not yet visible) commits it in crash recovery when restarted as the primary ' +
      '("Found N prepared transaction(s) in InnoDB", "Recovering after a crash using binlog"), though no ' +
      'replica acknowledged it and its client got a lost connection (info). Reads then see it; a failover ' +
      'to a replica that never received it discards it. Only an info write sent to a node that was killed ' +
      'before it completed; a lost ok write is not this.',
    matches: (a, pairs, ops) => {
      const elems = anomalyWrites(a, pairs);
      return elems.length > 0 && elems.every((w) => w.type === 'info' && killedDuring(w, ops));
    },
  },
  {
    id: 'cassandra-quorum-read-merges-moments',
    db: 'cassandra',
    replication: 'quorum',
    workload: 'append',
    checkers: ['writes-follow-reads'],
    kinds: ['writes-follow-reads'],
    sentence:
      'A QUORUM read is not atomic: its coordinator merges the answers of two replicas, each as of the moment ' +
      'it answered, so a read that overlaps an append can return a later append without it (Cassandra promises ' +
      'linearizability only to lightweight transactions). Only when the read that lacks the element began ' +
      'before the append of that element completed; a read that began after it must have it (quorums intersect).',
    matches: (a, pairs) => {
      const w = wfrWitness(a, pairs);
      const lacking = w.observers.filter((o) => !holds(o, w.read));
      const lacked = pairs.find((p) => p.f === 'append' && Array.isArray(p.invoke.value) && p.invoke.value[0] === w.key && p.invoke.value[1] === w.read);
      const end = lacked?.complete?.time;
      return lacking.length === w.observers.length && lacking.length > 0 && end !== undefined && lacking.every((o) => o.invoke.time < end);
    },
  },
  {
    id: 'cassandra-list-order-by-coordinator-clock',
    db: 'cassandra',
    replication: 'quorum',
    workload: 'append',
    checkers: ['consistent-prefix', 'writes-follow-reads'],
    kinds: ['out-of-order', 'divergence', 'writes-follow-reads'],
    sentence:
      "A Cassandra list append's cell key is a time-based UUID from the coordinator's clock, so appends through " +
      'different coordinators (or a skewed one) land in either order and a later read shows an element before one ' +
      'an earlier read already saw (a session read x, then appended y, and a read shows y before x); documented ' +
      'under Apache Cassandra, Figures. For writes-follow-reads only that order: a read holding both elements.',
    matches: (a, pairs) => {
      if (a.kind !== 'writes-follow-reads') return true;
      const w = wfrWitness(a, pairs);
      return w.observers.length > 0 && w.observers.every((o) => holds(o, w.read) && holds(o, w.append));
    },
  },
];

const holds = (p: OpPair, e: unknown): boolean => Array.isArray(p.value) && Array.isArray(p.value[1]) && (p.value[1] as unknown[]).includes(e);

/** A writes-follow-reads anomaly's key, the element read (x) and appended after it (y), and the ok reads among its witnesses that hold y. */
function wfrWitness(a: Anomaly, pairs: readonly OpPair[]) {
  const d = (a.data ?? {}) as { key?: unknown; read?: unknown; append?: unknown };
  const byIndex = new Map<number, OpPair>();
  for (const p of pairs) {
    byIndex.set(p.invoke.index, p);
    if (p.complete) byIndex.set(p.complete.index, p);
  }
  const observers = [...new Set(a.ops.map((i) => byIndex.get(i)))].filter(
    (p): p is OpPair => p?.f === 'read' && p.type === 'ok' && Array.isArray(p.value) && p.value[0] === d.key && holds(p, d.append),
  );
  return { key: d.key, read: d.read, append: d.append, observers };
}

/** Whether a kill of the node a write went to completed while the write was in flight. */
function killedDuring(w: OpPair, ops: readonly Op[]): boolean {
  const end = w.complete?.time;
  if (w.node === undefined || end === undefined) return false;
  return ops.some(
    (k) =>
      k.process === 'nemesis' &&
      k.type !== 'invoke' &&
      k.type !== 'fail' &&
      k.f === 'start-kill' &&
      (k.value as { node?: unknown } | null)?.node === w.node &&
      k.time >= w.invoke.time &&
      k.time <= end,
  );
}

/** The append ops an anomaly is about: the writes among its witness ops, or its data's key and element. */
function anomalyWrites(a: Anomaly, pairs: readonly OpPair[]): OpPair[] {
  const byIndex = new Map<number, OpPair>();
  for (const p of pairs) {
    byIndex.set(p.invoke.index, p);
    if (p.complete) byIndex.set(p.complete.index, p);
  }
  const writes = new Set<OpPair>();
  for (const i of a.ops) {
    const p = byIndex.get(i);
    if (p && p.f !== 'read') writes.add(p);
  }
  const d = a.data ?? {};
  if ('element' in d && 'key' in d) {
    for (const p of pairs) {
      const v = p.invoke.value;
      if (p.f !== 'read' && Array.isArray(v) && v[0] === d.key && v[1] === d.element) writes.add(p);
    }
  }
  return [...writes];
}

export interface Classified {
  known: { entry: KnownAnomaly; count: number }[];
  unexplained: { checker: string; anomaly?: Anomaly; cause?: string }[];
}

/** Splits every non-true verdict of a run into documented anomalies and the rest (findings). */
export function classify(
  cfg: SoakConfig,
  verdicts: readonly { name: string; valid: Validity; anomalies: Anomaly[]; cause?: string }[],
  pairs: readonly OpPair[],
  ops: readonly Op[] = [],
): Classified {
  const entries = KNOWN_ANOMALIES.filter((k) => k.db === cfg.db && k.replication === cfg.replication && k.workload === cfg.workload);
  const counts = new Map<KnownAnomaly, number>();
  const unexplained: Classified['unexplained'] = [];
  for (const v of verdicts) {
    // An unknown verdict is not shown valid, whatever anomalies it also lists.
    if (v.valid === 'unknown' || v.anomalies.length === 0) {
      unexplained.push({ checker: v.name, ...(v.cause ? { cause: v.cause } : {}) });
      continue;
    }
    for (const a of v.anomalies) {
      const k = entries.find((e) => e.checkers.includes(v.name) && e.kinds.includes(a.kind) && e.matches(a, pairs, ops));
      if (k) counts.set(k, (counts.get(k) ?? 0) + 1);
      else unexplained.push({ checker: v.name, anomaly: a });
    }
  }
  return { known: [...counts].map(([entry, count]) => ({ entry, count })), unexplained };
}
