import { Command, InvalidArgumentError, Option } from 'commander';
import { EXIT, UsageError } from '../errors.js';
import { faultPackages } from '../nemesis/index.js';
import { runTest, type RunSpec } from '../run/run.js';
import { AUTO, runtimeNames } from '../runtime/index.js';
import { adapterNames } from '../adapters/index.js';
import { ISOLATION_LEVELS } from '../adapters/txn.js';
import { TOPOLOGIES, type Topology, type WritesTo } from '../adapters/types.js';
import { formatFileResult } from './format.js';
import { parseSeconds } from './options.js';
import { printResults, resultsDocument } from './results-json.js';

function positiveInt(what: string, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`expected ${what}: a whole number from 1 to ${max}`);
    return n;
  };
}

function seed(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new InvalidArgumentError('expected a whole number from 0 to 4294967295');
  return n;
}

interface RunFlags {
  db?: string;
  adapter?: string;
  workload: string;
  nemesis: string;
  timeLimit: number;
  concurrency: number;
  rate: number;
  nodes: number;
  replication?: string;
  consistency?: string;
  reads: RunSpec['reads'];
  seed?: number;
  runtime: string;
  opTimeout: number;
  nemesisInterval: number;
  recoveryTimeout: number;
  store: string;
  name?: string;
  keys: number;
  isolation?: string;
  consistencyModels?: string[];
  txnShape?: string;
  minTxnLength?: number;
  maxTxnLength?: number;
  maxWritesPerKey?: number;
  sentinel?: boolean;
  topology?: string;
  writesTo?: string;
  convergeWithin?: number;
  image?: string;
  json?: boolean;
}

export function runCommand(): Command {
  return new Command('run')
    .description('start a real cluster, run a workload against it while injecting faults, record the history, heal, check and store the run')
    .option('--db <name>', `database: ${adapterNames.join(', ')} (default postgres), or the name of the --adapter`)
    .option(
      '--adapter <path|package>',
      'a database adapter from outside faultline: an ES module file or folder (relative to here), or a package name (docs/adapters.md)',
    )
    .addOption(
      new Option('--workload <name>', 'workload: single ops (register, rw-register, append, set) or transactions checked like Elle (list-append, txn-register)')
        .choices(['register', 'rw-register', 'append', 'set', 'list-append', 'txn-register'])
        .default('append'),
    )
    .option('--nemesis <names>', `comma-separated fault packages: ${Object.keys(faultPackages).join(', ')}, or none`, 'none')
    .option('--time-limit <seconds>', 'how long the workload runs', parseSeconds, 30)
    .option('--concurrency <n>', 'client workers (logical processes)', positiveInt('a worker count', 1000), 10)
    .option('--rate <ops/s>', 'target operations per second over all workers', positiveInt('a rate', 1_000_000), 200)
    .option('--nodes <n>', 'database nodes (1 primary + n-1 standbys)', positiveInt('a node count', 9), 3)
    .option(
      '--replication <mode>',
      'replication mode; postgres: async (default), sync, remote-apply; mysql: async (default), semi-sync; redis: async (default), wait; cassandra: ' +
        'the read/write consistency, quorum (default), one, all, R/W pairs such as one/quorum, serial; an --adapter: one of its replicationModes',
    )
    .option('--consistency <level>', 'cassandra: the same as --replication')
    .addOption(new Option('--reads <where>', 'where reads go').choices(['primary', 'replicas', 'any']).default('primary'))
    .option('--sentinel', 'redis: run 3 Sentinels that fail over automatically')
    .option(
      '--keys <n>',
      'append, list-append, txn-register: keys written at once (each is retired after 32 writes, --max-writes-per-key, for a fresh one)',
      positiveInt('a key count', 100_000),
      5,
    )
    .addOption(
      new Option(
        '--isolation <level>',
        'list-append, txn-register: the isolation level every transaction runs at (default serializable; read-uncommitted: mysql only)',
      ).choices([...ISOLATION_LEVELS]),
    )
    .option(
      '--consistency-models <models>',
      'list-append, txn-register: also check these models (comma-separated, Elle names, e.g. serializable on a repeatable-read run); ' +
        'the model the database documents for --isolation is always checked',
      (v: string) =>
        v
          .split(',')
          .map((m) => m.trim())
          .filter(Boolean),
    )
    .addOption(
      new Option(
        '--txn-shape <shape>',
        'the transactions: mixed (default: 1-4 random reads and writes); list-append: write-skew (read both keys of a pair, append to one: ' +
          'G2-item under snapshot isolation); txn-register: read-then-write (read a key, then write it: lost updates below repeatable read)',
      ).choices(['mixed', 'write-skew', 'read-then-write']),
    )
    .option('--min-txn-length <n>', 'list-append, txn-register (mixed): fewest micro-ops per transaction (default 1)', positiveInt('a length', 1000))
    .option('--max-txn-length <n>', 'list-append, txn-register (mixed): most micro-ops per transaction (default 4)', positiveInt('a length', 1000))
    .option(
      '--max-writes-per-key <n>',
      'list-append, txn-register: writes to a key before it is retired for a fresh one (default 32)',
      positiveInt('a count', 1_000_000),
    )
    .addOption(
      new Option(
        '--topology <kind>',
        "replication topology: single-leader (postgres, mysql, redis), multi-leader (mysql: every node a primary replicating from the others), leaderless (cassandra); default: the database's own",
      ).choices([...TOPOLOGIES]),
    )
    .addOption(
      new Option(
        '--writes-to <where>',
        "multi-leader: which leader takes a write: session (each session's own, so one key is written through several leaders) or key (one leader per key: no conflicts) (default: session)",
      ).choices(['session', 'key']),
    )
    .option(
      '--converge-within <seconds>',
      'multi-leader and leaderless: after the final heal, every node is read until all agree on every key, for at most this long (checker convergence; default 10)',
      parseSeconds,
    )
    .option('--seed <n>', 'seed of the workload and fault schedule (default: random, printed and stored)', seed)
    .addOption(
      new Option(
        '--runtime <kind>',
        'where nodes run: local (network namespaces, root on Linux), docker (containers), auto (local when it can run here, else docker)',
      )
        .choices([...runtimeNames, AUTO])
        .default(AUTO),
    )
    .option('--op-timeout <seconds>', 'per-operation timeout; a timed-out op is recorded as info', parseSeconds, 5)
    .option('--nemesis-interval <seconds>', 'mean time a fault stays on and between faults', parseSeconds, 5)
    .option(
      '--recovery-timeout <seconds>',
      'after the final heal the cluster must serve again within this (checker recovery); final reads are retried until then',
      parseSeconds,
      30,
    )
    .option('--store <dir>', 'where runs are stored', 'reports')
    .option('--name <name>', 'run name (default <db>-<workload>)')
    .option(
      '--image <ref>',
      "docker runtime: run the nodes in this image instead of faultline/<db>:bookworm (it must have the adapter's binaries, paths and user, as `faultline images build` makes them)",
    )
    .option('--json', 'print the verdicts as JSON (schema faultline.results/1, as `check --json`) instead of the verdict lines; progress stays on stderr')
    .addHelpText('after', '\nExit codes: 0 valid, 1 invalid, 2 unknown, 64 usage error or a machine that cannot run it, 70 internal error.')
    .action(async (flags: RunFlags, cmd: Command) => {
      if (flags.consistency !== undefined && flags.db !== 'cassandra') throw new UsageError('--consistency is for --db cassandra; use --replication');
      if (flags.consistency !== undefined && flags.replication !== undefined) throw new UsageError('give --replication or --consistency, not both');
      if (flags.adapter === undefined && flags.db !== undefined && !adapterNames.includes(flags.db)) {
        throw new UsageError(`unknown database '${flags.db}'; databases: ${adapterNames.join(', ')} (or load one with --adapter PATH|PACKAGE)`);
      }
      const spec: RunSpec = {
        // With --adapter, the db is the adapter's own name (a different --db is refused once it is loaded).
        ...(flags.adapter === undefined ? { db: flags.db ?? 'postgres' } : { adapter: flags.adapter, ...(flags.db !== undefined ? { db: flags.db } : {}) }),
        workload: flags.workload,
        nemesis: flags.nemesis,
        timeLimitS: flags.timeLimit,
        concurrency: flags.concurrency,
        rate: flags.rate,
        nodes: flags.nodes,
        // Absent, the adapter's own default (AdapterDescription.defaultReplication), filled in before the run starts.
        replication: flags.replication ?? flags.consistency,
        reads: flags.reads,
        sentinel: flags.sentinel,
        ...(flags.topology !== undefined ? { topology: flags.topology as Topology } : {}),
        ...(flags.writesTo !== undefined ? { writesTo: flags.writesTo as WritesTo } : {}),
        ...(flags.convergeWithin !== undefined ? { convergeWithinS: flags.convergeWithin } : {}),
        keys: flags.keys,
        ...(flags.isolation !== undefined ? { isolation: flags.isolation } : {}),
        ...(flags.consistencyModels !== undefined ? { consistencyModels: flags.consistencyModels } : {}),
        ...(flags.txnShape !== undefined ? { txnShape: flags.txnShape } : {}),
        ...(flags.minTxnLength !== undefined ? { minTxnLength: flags.minTxnLength } : {}),
        ...(flags.maxTxnLength !== undefined ? { maxTxnLength: flags.maxTxnLength } : {}),
        ...(flags.maxWritesPerKey !== undefined ? { maxWritesPerKey: flags.maxWritesPerKey } : {}),
        seed: flags.seed ?? Math.floor(Math.random() * 0xffffffff),
        runtime: flags.runtime,
        ...(flags.image !== undefined ? { image: flags.image } : {}),
        opTimeoutMs: flags.opTimeout * 1000,
        nemesisIntervalS: flags.nemesisInterval,
        recoveryTimeoutS: flags.recoveryTimeout,
        store: flags.store,
        name: flags.name,
        argv: ['faultline', ...process.argv.slice(2)],
      };
      void cmd;
      const r = await runTest(spec, { log: (m) => console.error(m) });
      if (flags.json) {
        printResults(resultsDocument([{ file: r.dir, ...r.results, aborted: r.aborted }]));
      } else {
        console.log(formatFileResult({ ...r.results, file: r.dir, warnings: [] }).join('\n'));
        console.log(`stored in ${r.dir}`);
      }
      process.exitCode = r.results.valid === true ? EXIT.valid : r.results.valid === false ? EXIT.invalid : EXIT.unknown;
    });
}
