import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Adapter, Db, ReadRouting, Topology, WritesTo } from '../adapters/types.js';
import { topologiesOf } from '../adapters/topology.js';
import { RunFailure, UsageError } from '../errors.js';
import {
  any,
  clients,
  deadline,
  finalGen,
  nemesis as onNemesis,
  once,
  phases,
  stagger,
  TXN_SHAPES,
  TXN_WORKLOADS,
  txnKeys,
  workloadFor,
  type Generator,
} from '../generators/index.js';
import type { Op } from '../history/op.js';
import { HistoryWriter } from '../history/writer.js';
import {
  FAILOVER_PACKAGES,
  Nemesis,
  faultSchedule,
  finalHeal,
  healOrder,
  resolvePackages,
  startProxies,
  type FaultPackage,
  type ScheduledFault,
  type StartedProxies,
} from '../nemesis/index.js';
import { describeHealthWait, healthBudgetMs, waitHealthy } from './healthy.js';
import { AUTO, chooseRuntime, runtimeByName } from '../runtime/index.js';
import { adapterByName, hostPortsOf } from '../adapters/index.js';
import { loadAdapter } from '../adapters/external.js';
import type { Cluster, Runtime } from '../runtime/types.js';
import { DEFAULT_CONVERGE_WITHIN_MS } from '../checkers/replication/convergence.js';
import { DEFAULT_RECOVERY_TIMEOUT_MS } from '../checkers/replication/recovery.js';
import { analyzeRun, checksFor, type StoredResults } from './checks.js';
import { interpret } from './interpreter.js';
import { perNodeFinalReads } from './node-reads.js';
import { Progress } from './progress.js';
import { componentsFor, setup } from './setup.js';
import { createRunDir, readJson, writeJson } from './store.js';
import { createWorkDir } from './workdir.js';
import { configurationCaveats } from './caveats.js';
import { withDefaults, type ResolvedSpec } from './defaults.js';
import { txnCheckPlan, type TxnCheckPlan } from './txn-check.js';

export interface RunSpec {
  /** A built-in adapter's name (src/adapters/index.ts); with `adapter`, optional (the loaded adapter's name) and, if given, equal to it. */
  db?: string;
  /**
   * An adapter from outside faultline (`--adapter`): a path relative to the current directory (a module, or a
   * folder with package.json or index.js) or a package name resolved from there (src/adapters/external.ts).
   */
  adapter?: string;
  workload: string;
  nemesis: string;
  timeLimitS: number;
  concurrency: number;
  rate: number;
  nodes: number;
  /** A mode of the adapter's replicationModes; absent, its description's defaultReplication. */
  replication?: string;
  reads: ReadRouting;
  /** Redis: run Sentinel (3 sentinels, real automatic failover). */
  sentinel?: boolean;
  /** One of the adapter's topologies (AdapterDescription.topologies); absent, its first. */
  topology?: Topology;
  /** multi-leader: which leader takes a write (default session). */
  writesTo?: WritesTo;
  /**
   * multi-leader and leaderless: after the final heal, how long the per-node final reads are repeated until
   * every node reads the same of every key (checker convergence; default 10 s).
   */
  convergeWithinS?: number;
  /** append, list-append, txn-register: keys written at once (each retires after maxWritesPerKey writes for a fresh one). */
  keys: number;
  /** Transactional workloads (list-append, txn-register): the isolation level txns run at; default serializable. */
  isolation?: string;
  /** Transactional workloads: consistency models (Elle's names) to check besides the one the database documents for the level. */
  consistencyModels?: string[];
  /** Transactional workloads: mixed (default), write-skew (list-append) or read-then-write (txn-register). */
  txnShape?: string;
  /** Transactional workloads: micro-ops per txn (mixed shape); defaults 1 and 4. */
  minTxnLength?: number;
  maxTxnLength?: number;
  /** Transactional workloads: writes to one key before it is retired for a fresh one; default 32. */
  maxWritesPerKey?: number;
  seed: number;
  /** A runtime's name in src/runtime/index.ts, or 'auto' (local when it can run here, else docker); run.json keeps the one chosen. */
  runtime: string;
  /** The docker runtime: the image to run this database's nodes in, instead of faultline/<db>:bookworm (`--image`). */
  image?: string;
  opTimeoutMs: number;
  nemesisIntervalS: number;
  /** After the final heal the cluster must serve again within this (checker recovery; default 30 s). */
  recoveryTimeoutS?: number;
  store: string;
  name?: string;
  /** The command line, for run.json and the report's "reproduce" line. */
  argv: string[];
}

export interface RunOutcome {
  dir: string;
  results: StoredResults;
  aborted: boolean;
}

const QUIET_AFTER_HEAL_NS = 3e9;
const DEFAULT_CONVERGE_WITHIN_S = DEFAULT_CONVERGE_WITHIN_MS / 1000;
const DEFAULT_RECOVERY_TIMEOUT_S = DEFAULT_RECOVERY_TIMEOUT_MS / 1000;

/** Resolves after ms, or at once when the signal fires. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((res) => {
    if (signal.aborted || ms <= 0) {
      res();
      return;
    }
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      res();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** faultline's version, from the package.json above this file (src/run in tests, dist/src/run when built). */
function version(): string {
  const req = createRequire(import.meta.url);
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = req(up) as { name?: string; version: string };
      if (pkg.name === 'faultline') return pkg.version;
    } catch {
      /* try the next level */
    }
  }
  return 'unknown';
}

/**
 * Refuses, before anything starts, a spec that cannot run here, with a sentence saying why; fills in
 * the adapter's defaults.
 */
async function preflight(
  given: RunSpec,
): Promise<{ spec: ResolvedSpec; adapter: Adapter; adapterFile?: string; runtime: Runtime; packages: FaultPackage[]; txnPlan?: TxnCheckPlan }> {
  if (given.runtime !== AUTO) runtimeByName(given.runtime); // a bad name is a usage error before anything else
  checksFor(given.workload);
  refuseTxnMisuse(given);
  let adapter: Adapter;
  let adapterFile: string | undefined;
  if (given.adapter !== undefined) {
    ({ adapter, file: adapterFile } = await loadAdapter(given.adapter));
    if (given.db !== undefined && given.db !== adapter.name) {
      throw new UsageError(
        `--db ${given.db} and --adapter ${given.adapter} disagree: that adapter is named '${adapter.name}' (with --adapter, --db may be left out)`,
      );
    }
  } else adapter = await adapterByName(given.db ?? 'postgres');
  const image = given.image ?? adapter.name;
  const runtime = await chooseRuntime(given.runtime, image);
  if (given.image !== undefined && runtime.kind !== 'docker') throw new UsageError(`--image is for the docker runtime; this run uses ${runtime.kind}`);
  const spec = withDefaults({ ...given, runtime: runtime.kind }, adapter);
  if (!adapter.replicationModes.includes(spec.replication)) {
    throw new UsageError(`${spec.db} has no replication mode '${spec.replication}'; modes: ${adapter.replicationModes.join(', ')}`);
  }
  if (!adapter.workloads.includes(spec.workload)) throw new UsageError(`${spec.db} does not run the ${spec.workload} workload`);
  let txnPlan: TxnCheckPlan | undefined;
  if (TXN_WORKLOADS.has(spec.workload)) {
    spec.isolation ??= 'serializable';
    txnPlan = txnCheckPlan(spec.db, adapter.description.isolation, spec.isolation, spec.consistencyModels);
  }
  refuseTopologyMisuse(spec, adapter);
  if (spec.sentinel && spec.db !== 'redis') throw new UsageError('--sentinel is for --db redis');
  if (spec.sentinel && spec.nodes < 3) throw new UsageError('--sentinel needs at least 3 nodes (3 sentinels, quorum 2)');
  if (spec.nodes < 2 && spec.reads !== 'primary') throw new UsageError(`--reads ${spec.reads} needs at least 2 nodes`);
  const packages = resolvePackages(spec.nemesis, runtime, adapter);
  if (spec.nodes < 2 && packages.some((p) => p.name === 'partition' || FAILOVER_PACKAGES.includes(p.name))) {
    throw new UsageError('partition and failover faults need at least 2 nodes');
  }
  const failovers = packages.filter((p) => FAILOVER_PACKAGES.includes(p.name));
  if (spec.topology !== 'single-leader' && failovers.length > 0)
    throw new UsageError(`nemesis '${failovers[0]!.name}' promotes a standby; a ${spec.topology} cluster has none (every node takes writes)`);
  // Install on first use what this database needs, and nothing else (scripts/setup.sh prints what it
  // installs). Only root can: for anyone else the local runtime refuses just below with why. The docker
  // runtime's nodes have their binaries in their images (`faultline images build`), not on the host.
  // An --adapter brings its own database: only the runtime's tools are installed for it.
  if (runtime.kind === 'local' && process.platform === 'linux' && process.getuid?.() === 0) {
    await setup(await componentsFor(given.adapter === undefined ? [spec.db] : []));
  }
  const why = (await runtime.unavailable(image)) ?? (await adapter.unavailable(runtime.probe(image)));
  if (why) throw new UsageError(why);
  return { spec, adapter, adapterFile, runtime, packages, txnPlan };
}

/** "multi-leader, writes through the key's leader, " for the start line; nothing for the database's only topology. */
function topologyWords(spec: ResolvedSpec): string {
  if (spec.topology === 'single-leader') return '';
  if (spec.topology !== 'multi-leader') return `${spec.topology}, `;
  return `multi-leader, writes through ${spec.writesTo === 'key' ? "the key's leader" : "the session's leader"}, `;
}

/** A topology the adapter sets up, and the settings of one only where they mean something. */
function refuseTopologyMisuse(spec: ResolvedSpec, adapter: Adapter): void {
  const known = topologiesOf(adapter.description);
  if (!known.includes(spec.topology)) {
    const why = adapter.description.lacksTopology?.[spec.topology];
    throw new UsageError(`${spec.db} has no ${spec.topology} topology${why ? ` (${why})` : ''}; topologies: ${known.join(', ')}`);
  }
  if (spec.writesTo !== undefined && spec.topology !== 'multi-leader')
    throw new UsageError(`--writes-to is for --topology multi-leader (this run is ${spec.topology}: where writes go is the database's)`);
  if (spec.convergeWithinS !== undefined && spec.topology === 'single-leader')
    throw new UsageError('--converge-within is for the multi-leader and leaderless topologies (a single leader has one copy to read)');
  if (spec.topology === 'single-leader') return;
  if (TXN_WORKLOADS.has(spec.workload))
    throw new UsageError(
      `the ${spec.workload} workload runs its transactions on a single leader; with --topology ${spec.topology} use register, rw-register, append or set`,
    );
  if (spec.nodes < 2) throw new UsageError(`--topology ${spec.topology} needs at least 2 nodes`);
}

/** The transactional settings: only with a transactional workload, and its txns all on the primary. */
function refuseTxnMisuse(given: RunSpec): void {
  const txnFlags = (
    [
      ['isolation', '--isolation'],
      ['consistencyModels', '--consistency-models'],
      ['txnShape', '--txn-shape'],
      ['minTxnLength', '--min-txn-length'],
      ['maxTxnLength', '--max-txn-length'],
      ['maxWritesPerKey', '--max-writes-per-key'],
    ] as const
  ).filter(([k]) => given[k] !== undefined);
  if (!TXN_WORKLOADS.has(given.workload)) {
    if (txnFlags.length > 0)
      throw new UsageError(
        `${txnFlags.map(([, f]) => f).join(', ')}: for the transactional workloads (${[...TXN_WORKLOADS].join(', ')}); ` +
          `the ${given.workload} workload runs each op as one autocommit statement`,
      );
    return;
  }
  if (given.reads !== 'primary')
    throw new UsageError(`--reads ${given.reads}: the ${given.workload} workload runs every statement of a transaction on the primary (use --reads primary)`);
  const shapes = TXN_SHAPES[given.workload]!;
  if (given.txnShape !== undefined && !shapes.includes(given.txnShape))
    throw new UsageError(`--txn-shape ${given.txnShape}: the ${given.workload} workload's shapes are ${shapes.join(', ')}`);
  const min = given.minTxnLength ?? 1;
  const max = given.maxTxnLength ?? Math.max(4, min);
  if (max < min) throw new UsageError(`--max-txn-length ${max} is below --min-txn-length ${min}`);
}

/**
 * The nemesis schedule as a generator on the nemesis thread: each action not before its time, and none
 * after the workload's time limit. A blocking fault op (a 17 s restart) delays the ones behind it; without
 * the limit they would catch up after the workload stopped, test nothing and delay the final heal, which
 * ends every fault that is still on.
 */
export function scheduleGen(schedule: readonly ScheduledFault[], durationNs: number): Generator {
  return onNemesis(deadline(durationNs, phases(...schedule.map((a) => once({ f: a.f, value: a.value, time: a.at })))));
}

/** Final reads: one read of every key the run touched, by the client threads, after the heal (a one-read txn for txn workloads). */
function finalReads(workload: string, keys: Set<number | string>, setFinal?: Generator): Generator | undefined {
  if (workload === 'set') return setFinal;
  if (keys.size === 0) return undefined;
  if (TXN_WORKLOADS.has(workload)) return phases(...[...keys].map((k) => once({ f: 'txn', value: [['r', k, null]] })));
  return phases(...[...keys].map((k) => once({ f: 'read', value: [k, null] })));
}

/**
 * `faultline run`: up a cluster, run the workload with the fault schedule, heal, final reads, tear
 * everything down (also on SIGINT/SIGTERM and on errors), check the history and store the run.
 */
export async function runTest(given: RunSpec, io: { log: (line: string) => void; signal?: AbortSignal }): Promise<RunOutcome> {
  const { spec, adapter, adapterFile, runtime, packages, txnPlan } = await preflight(given);
  const runId = randomBytes(3).toString('hex');
  const paths = createRunDir(spec.store, spec.name ?? `${spec.db}-${spec.workload}`);
  const durationNs = spec.timeLimitS * 1e9;
  const nodeNames = Array.from({ length: spec.nodes }, (_, i) => `n${i + 1}`);
  const schedule = faultSchedule({ packages, nodes: nodeNames, seed: spec.seed, intervalNs: spec.nemesisIntervalS * 1e9, durationNs });
  const runInfo: Record<string, unknown> = {
    runId,
    command: spec.argv,
    seed: spec.seed,
    spec,
    // An --adapter from outside faultline: the module file it resolved to (spec.adapter is what was given).
    ...(adapterFile ? { adapter: { module: adapterFile } } : {}),
    startedAt: new Date().toISOString(),
    versions: { faultline: version(), node: process.version },
    schedule,
    // What a transactional run is checked against and why; `analyze` reads it back.
    ...(txnPlan ? { txnCheck: txnPlan } : {}),
  };
  const caveats = configurationCaveats(spec);
  if (caveats.length > 0) runInfo.caveats = caveats;
  writeJson(paths.runJson, runInfo);
  io.log(
    `faultline run ${runId}: ${spec.db} ${spec.nodes} nodes (${topologyWords(spec)}${spec.replication}, reads ${spec.reads}), workload ${spec.workload}, ` +
      `nemesis ${spec.nemesis}, ${spec.timeLimitS} s, seed ${spec.seed}`,
  );
  if (txnPlan) io.log(`transactions at ${txnPlan.isolation}, checked against ${txnPlan.consistency.join(', ')}`);
  for (const c of caveats) io.log(`note: ${c}`);

  const abort = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      io.log(`${sig}: stopping the workload, then healing every fault and tearing the cluster down (the history is kept)...`);
      abort.abort();
    } else if (signals === 2) {
      io.log(
        `${sig} again: still healing and tearing down; this finishes by itself. A third signal quits at once and leaves the rest to \`faultline cleanup\`.`,
      );
    } else {
      io.log(`${sig} a third time: quitting now; run \`faultline cleanup --run ${runId}\` to remove what is left.`);
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A caller's stop (`faultline suite` after a Ctrl-C that came while this run was still being prepared):
  // the same as a first signal, once.
  const onStop = () => {
    if (abort.signal.aborted) return;
    io.log('stopped by the caller: stopping the workload, then healing every fault and tearing the cluster down (the history is kept)...');
    abort.abort();
  };
  if (io.signal?.aborted) onStop();
  else io.signal?.addEventListener('abort', onStop, { once: true });

  // Marked as ours, so `faultline cleanup` can remove it after a kill -9 (and nothing else).
  const work = createWorkDir(runId);
  let cluster: Cluster | undefined;
  let db: Db | undefined;
  let proxies: StartedProxies | undefined;
  let nem: Nemesis | undefined;
  const writer = new HistoryWriter(paths.history, { fsync: true });
  // Op times count from the start of the workload, not of the cluster setup; reset just before it.
  let startNs = process.hrtime.bigint();
  const progress = new Progress(spec.timeLimitS, io.log);
  const keys = new Set<number | string>();
  // Wall-clock time of the last nemesis completion: after the schedule, that is the final heal.
  let lastNemesisDoneMs = Date.now();
  const onOp = (op: Op) => {
    progress.op(op);
    if (op.process === 'nemesis' && op.type !== 'invoke') lastNemesisDoneMs = Date.now();
    if (op.type !== 'invoke' || op.process === 'nemesis' || !Array.isArray(op.value)) return;
    if (op.f === 'txn') for (const k of txnKeys(op.value)) keys.add(k as number);
    else keys.add(op.value[0] as number);
  };
  let aborted = false;
  let healed = false;
  let failure: Error | undefined;
  try {
    if (abort.signal.aborted) throw new Aborted();
    io.log('starting the cluster...');
    // The ports faultline's own process connects to: a runtime that cannot route the host to its nodes publishes them.
    cluster = await runtime.up({ runId, dir: work, nodes: spec.nodes, image: spec.image ?? adapter.name, ports: hostPortsOf(adapter.description) });
    if (abort.signal.aborted) throw new Aborted();
    proxies = await startProxies(cluster, adapter.description, packages);
    db = await adapter.setup(cluster, {
      replication: spec.replication,
      reads: spec.reads,
      workload: spec.workload,
      ...(spec.isolation !== undefined ? { isolation: spec.isolation } : {}),
      ...(spec.sentinel ? { sentinel: true } : {}),
      ...(spec.topology !== 'single-leader' ? { topology: spec.topology } : {}),
      ...(spec.writesTo !== undefined ? { writesTo: spec.writesTo } : {}),
      clientAddress: proxies.clientAddress,
      replicationAddress: proxies.replicationAddress,
    });
    runInfo.cluster = db.describe();
    writeJson(paths.runJson, runInfo);
    if (abort.signal.aborted) throw new Aborted();
    nem = new Nemesis(packages, { cluster, db, ...proxies.nemesisContextExtra });
    const n = nem;
    const workload = workloadFor(spec.workload, {
      keys: spec.keys,
      txnShape: spec.txnShape,
      minTxnLength: spec.minTxnLength,
      maxTxnLength: spec.maxTxnLength,
      maxWritesPerKey: spec.maxWritesPerKey,
    });
    const main = clients(deadline(durationNs, stagger(spec.rate, workload.generator)));
    // Each package's own final heal, one nemesis op each (a stop ends only its package's layer).
    const heal = packages.length > 0 ? phases(...finalHeal(packages).map((a) => once({ f: a.f, value: a.value }))) : undefined;
    startNs = process.hrtime.bigint();
    const common = {
      clients: (thread: number) => db!.client(thread),
      nemesis: { invoke: (f: string, value: unknown) => n.invoke({ f, value }) },
      concurrency: spec.concurrency,
      writer,
      opTimeoutMs: spec.opTimeoutMs,
      startNs,
      seed: spec.seed,
      signal: abort.signal,
      onOp,
    };
    io.log(`running the workload for ${spec.timeLimitS} s...`);
    progress.start();
    const r1 = await interpret({ ...common, generator: finalGen(any(main, scheduleGen(schedule, durationNs)), { heal, quietNs: QUIET_AFTER_HEAL_NS }) });
    aborted = r1.aborted;
    healed = !aborted;
    const workloadEndMs = Date.now();
    if (!aborted) {
      // After the heal and the quiet period, wait (bounded) until the database says it is healthy.
      const h = await waitHealthy(db, healthBudgetMs(spec.recoveryTimeoutS ?? DEFAULT_RECOVERY_TIMEOUT_S));
      runInfo.healthAfterHeal = h;
      io.log(describeHealthWait(h));
      // With faults, final reads that did not succeed are retried (each key until it reads ok) until the
      // recovery timeout after the final heal has passed: a cluster that never serves again then leaves
      // the recovery checker failed ops that reach its bound, not a history that ends 3 s after the heal.
      const retryUntil = packages.length > 0 ? lastNemesisDoneMs + (spec.recoveryTimeoutS ?? DEFAULT_RECOVERY_TIMEOUT_S) * 1000 + 1000 : 0;
      // A multi-leader cluster has no primary to read the state it ends in from: its per-node reads below are its final reads.
      const pending = new Set(spec.topology === 'multi-leader' ? [] : keys);
      for (let attempt = 0; !aborted; attempt++) {
        const reads = finalReads(spec.workload, pending, workload.final);
        if (!reads) break;
        if (attempt === 0) io.log(`final reads of ${spec.workload === 'set' ? 'the set' : `${keys.size} keys`}...`);
        let anyOk = false;
        const r2 = await interpret({
          ...common,
          generator: clients(reads),
          clients: (thread: number) => db!.client(thread, { reads: 'primary' }),
          onOp: (op: Op) => {
            onOp(op);
            if (op.process === 'nemesis' || op.type !== 'ok') return;
            anyOk = true;
            if (op.f === 'txn') for (const k of txnKeys(op.value)) pending.delete(k as number | string);
            else if (Array.isArray(op.value)) pending.delete(op.value[0] as number | string);
          },
        });
        aborted = r2.aborted;
        if (aborted || (spec.workload === 'set' ? anyOk : pending.size === 0) || Date.now() >= retryUntil) break;
        if (attempt === 0)
          io.log(
            `final reads did not all succeed; retrying until ${spec.recoveryTimeoutS ?? DEFAULT_RECOVERY_TIMEOUT_S} s after the final heal (--recovery-timeout)...`,
          );
        await sleep(Math.min(1000, retryUntil - Date.now()), abort.signal);
        if (abort.signal.aborted) aborted = true;
      }
      if (!aborted && spec.topology !== 'single-leader' && spec.workload !== 'set' && keys.size > 0) {
        io.log(`final reads of ${keys.size} keys from each of the ${nodeNames.length} nodes...`);
        const seen = await perNodeFinalReads({
          db,
          nodes: nodeNames,
          keys,
          untilMs: (packages.length > 0 ? lastNemesisDoneMs : workloadEndMs) + (spec.convergeWithinS ?? DEFAULT_CONVERGE_WITHIN_S) * 1000,
          withinS: spec.convergeWithinS ?? DEFAULT_CONVERGE_WITHIN_S,
          since: packages.length > 0 ? 'the final heal' : 'the end of the workload',
          common,
          log: io.log,
        });
        runInfo.nodeReads = seen;
        aborted = seen.aborted;
        io.log(
          seen.disagreeing.length === 0
            ? `every node read the same of every key${seen.repair ? ' after the repair' : ''} (${seen.rounds} rounds)`
            : `the nodes still disagree on ${seen.disagreeing.length} of ${keys.size} keys${seen.repair ? ' after the repair' : ''}`,
        );
      }
    }
  } catch (e) {
    if (!(e instanceof Aborted)) {
      failure = e as Error;
    } else aborted = true;
  } finally {
    progress.stop();
    // Heal first (recorded in the history, so checkers see the windows close), then tear down.
    // On the normal path the generator already healed; after an abort or an error, heal here.
    if (nem && (aborted || abort.signal.aborted || !healed)) await recordHeal(nem, writer, startNs, io.log);
    try {
      writer.close();
    } catch (e) {
      io.log(`closing the history: ${(e as Error).message}`);
    }
    if (db) await db.teardown().catch((e: Error) => io.log(`database teardown: ${e.message}`));
    if (proxies) await proxies.close().catch((e: Error) => io.log(`closing the proxies: ${e.message}`));
    if (cluster) await cluster.down().catch((e: Error) => io.log(`cluster teardown: ${e.message}`));
    keepLogs(work, paths.logs);
    rmSync(work, { recursive: true, force: true });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    io.signal?.removeEventListener('abort', onStop);
    runInfo.endedAt = new Date().toISOString();
    runInfo.aborted = aborted || abort.signal.aborted;
    if (failure) runInfo.error = failure.message;
    writeJson(paths.runJson, runInfo);
  }
  if (failure) {
    throw new RunFailure(
      `the run failed: ${failure.message}\neverything it started was torn down; run.json, the history so far and node logs are in ${paths.dir}`,
    );
  }
  io.log('checking the history...');
  const results = await analyzeRun(paths.dir);
  try {
    // Imported here: the report's chart renderer (canvas, native) loads only when a report is built.
    const { buildReport } = await import('../report/index.js');
    const built = await buildReport(paths.dir);
    io.log(`report: ${built.html}`);
    for (const n of built.notes) io.log(`note: ${n}`);
  } catch (e) {
    io.log(`the report could not be built (the run is stored; \`faultline report ${paths.dir}\` retries): ${(e as Error).message}`);
  }
  return { dir: paths.dir, results, aborted };
}

class Aborted extends Error {}

/**
 * After an abort or an error: heal each package alone (its own layer), each recorded as its final heal's
 * nemesis op in the history (invoke, then info), so the checkers see every window close.
 */
async function recordHeal(nem: Nemesis, writer: HistoryWriter, startNs: bigint, log: (l: string) => void): Promise<void> {
  const now = () => Number(process.hrtime.bigint() - startNs);
  for (const p of healOrder(nem.packages)) {
    const { f, value } = p.final;
    writer.append({ index: writer.written, time: now(), type: 'invoke', process: 'nemesis', f, value });
    let error: string | undefined;
    try {
      await nem.healPackage(p);
    } catch (e) {
      error = (e as Error).message;
      log(`healing ${p.name}: ${error}`);
    }
    writer.append({ index: writer.written, time: now(), type: 'info', process: 'nemesis', f, value: 'healed', ...(error ? { error } : {}) });
  }
}

/** Node logs (*.log files under the work dir) are kept in the run's logs/ folder; data dirs are not. */
function keepLogs(work: string, dest: string): void {
  const walk = (dir: string, rel: string) => {
    for (const name of existsSync(dir) ? readdirSync(dir) : []) {
      const p = join(dir, name);
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) walk(p, join(rel, name));
      else if (name.endsWith('.log')) {
        mkdirSync(join(dest, rel), { recursive: true });
        cpSync(p, join(dest, rel, name));
      }
    }
  };
  try {
    walk(work, '');
  } catch {
    /* logs are a convenience; never fail a run over them */
  }
}

export { readJson };
