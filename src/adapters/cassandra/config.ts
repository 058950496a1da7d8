import { join } from 'node:path';
import { CLOCK_CLASS } from './skew-clock.js';

export const CQL_PORT = 9042;
export const STORAGE_PORT = 7000;
/** JMX, bound to the node's own loopback only (nodetool runs on the node: nodetool.ts). */
export const JMX_PORT = 7199;

/** One token per node, evenly spread over Murmur3's range: no vnode allocation at start, so startup is quick. */
export function initialToken(index: number, count: number): string {
  const span = 2n ** 64n;
  return (-(2n ** 63n) + (span / BigInt(count)) * BigInt(index)).toString();
}

export interface NodeDirs {
  root: string;
  data: string;
  commitlog: string;
  savedCaches: string;
  hints: string;
  cdc: string;
  conf: string;
  logs: string;
  /** java.io.tmpdir: native libraries the JVM extracts (lz4-java) stay in the node's folder, removed with it. */
  tmp: string;
  /** The compiled wall-clock class (skew-clock.ts), first on the classpath. */
  clock: string;
}

export function nodeDirs(nodeDir: string): NodeDirs {
  const root = join(nodeDir, 'cassandra');
  return {
    root,
    data: join(root, 'data'),
    commitlog: join(root, 'commitlog'),
    savedCaches: join(root, 'saved_caches'),
    hints: join(root, 'hints'),
    cdc: join(root, 'cdc_raw'),
    conf: join(root, 'conf'),
    logs: join(root, 'logs'),
    tmp: join(root, 'tmp'),
    clock: join(root, 'clock'),
  };
}

/**
 * Why a read at ONE through node X is answered from X's own copy (the per-node reads, ClientOptions.node).
 * A coordinator reads from the first live replicas of ReplicaPlans.forRead's candidates, sorted by the snitch's
 * sortedByProximity (5.0.9). SimpleSnitch returns them in ring order, not self first, and the dynamic snitch
 * (on by default) may reorder them by latency; so here: GossipingPropertyFileSnitch, whose
 * AbstractNetworkTopologySnitch.compareEndpoints puts the coordinator itself first, with the same dc and rack
 * names SimpleSnitch reports (one dc, one rack, so nothing else is reordered), and no dynamic snitch. Together
 * with the tables' speculative_retry NONE (cql.ts), a read at ONE contacts the coordinator alone whenever it is
 * a replica (always here: RF = n).
 */
export const RACKDC_PROPERTIES = 'dc=datacenter1\nrack=rack1\n';

/**
 * cassandra.yaml for one node. Every node is a seed (all start at once, none bootstraps), one token each,
 * small caches and memtables for a 512 MB heap, request timeouts of 2 s (our op timeout is above them, so
 * the server's own timeout decides first and says what it knows), and no authentication.
 */
export function cassandraYaml(o: { ip: string; seeds: string[]; token: string; dirs: NodeDirs }): string {
  return `# written by faultline
cluster_name: faultline
num_tokens: 1
initial_token: ${o.token}
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
auto_bootstrap: false
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "${o.seeds.join(',')}"
listen_address: ${o.ip}
rpc_address: ${o.ip}
broadcast_rpc_address: ${o.ip}
storage_port: ${STORAGE_PORT}
native_transport_port: ${CQL_PORT}
start_native_transport: true
endpoint_snitch: GossipingPropertyFileSnitch
dynamic_snitch: false
data_file_directories:
  - ${o.dirs.data}
commitlog_directory: ${o.dirs.commitlog}
saved_caches_directory: ${o.dirs.savedCaches}
hints_directory: ${o.dirs.hints}
cdc_raw_directory: ${o.dirs.cdc}
commitlog_sync: periodic
commitlog_sync_period: 10000ms
commitlog_segment_size: 8MiB
authenticator: AllowAllAuthenticator
authorizer: AllowAllAuthorizer
role_manager: CassandraRoleManager
hinted_handoff_enabled: true
max_hint_window: 3h
memtable_heap_space: 64MiB
memtable_offheap_space: 64MiB
key_cache_size: 0MiB
counter_cache_size: 0MiB
concurrent_reads: 8
concurrent_writes: 8
concurrent_counter_writes: 4
concurrent_compactors: 1
compaction_throughput: 0MiB/s
read_request_timeout: 2000ms
range_request_timeout: 2000ms
write_request_timeout: 2000ms
counter_write_request_timeout: 2000ms
cas_contention_timeout: 1000ms
truncate_request_timeout: 10000ms
request_timeout: 2000ms
disk_failure_policy: stop
commit_failure_policy: stop
index_summary_capacity: 1MiB
`;
}

/** logback: INFO to stdout (the runtime appends it to the node's log file), no rolling files. */
export const LOGBACK_XML = `<configuration scan="false">
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern></encoder>
  </appender>
  <logger name="org.apache.cassandra" level="INFO"/>
  <root level="INFO"><appender-ref ref="STDOUT"/></root>
</configuration>
`;

/** The --add-exports/--add-opens list of Cassandra 5.0's conf/jvm17-server.options. */
export const JAVA17_MODULE_FLAGS = [
  '--add-exports',
  'java.base/jdk.internal.misc=ALL-UNNAMED',
  '--add-exports',
  'java.base/jdk.internal.ref=ALL-UNNAMED',
  '--add-exports',
  'java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-exports',
  'java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED',
  '--add-exports',
  'java.rmi/sun.rmi.registry=ALL-UNNAMED',
  '--add-exports',
  'java.rmi/sun.rmi.server=ALL-UNNAMED',
  '--add-exports',
  'java.sql/java.sql=ALL-UNNAMED',
  '--add-exports',
  'java.base/java.lang.ref=ALL-UNNAMED',
  '--add-exports',
  'jdk.unsupported/sun.misc=ALL-UNNAMED',
  '--add-opens',
  'java.base/java.lang.module=ALL-UNNAMED',
  '--add-opens',
  'java.base/jdk.internal.loader=ALL-UNNAMED',
  '--add-opens',
  'java.base/jdk.internal.ref=ALL-UNNAMED',
  '--add-opens',
  'java.base/jdk.internal.reflect=ALL-UNNAMED',
  '--add-opens',
  'java.base/jdk.internal.math=ALL-UNNAMED',
  '--add-opens',
  'java.base/jdk.internal.module=ALL-UNNAMED',
  '--add-opens',
  'java.base/jdk.internal.util.jar=ALL-UNNAMED',
  '--add-opens',
  'jdk.management/com.sun.management.internal=ALL-UNNAMED',
  '--add-opens',
  'java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-opens',
  'java.base/java.io=ALL-UNNAMED',
  '--add-opens',
  'java.base/java.nio=ALL-UNNAMED',
  '--add-opens',
  'java.base/java.util.concurrent=ALL-UNNAMED',
  '--add-opens',
  'java.base/java.util=ALL-UNNAMED',
  '--add-opens',
  'java.base/java.util.concurrent.atomic=ALL-UNNAMED',
  '--add-opens',
  'java.base/java.lang=ALL-UNNAMED',
  '--add-opens',
  'java.base/java.math=ALL-UNNAMED',
  '--add-opens',
  'java.base/java.lang.reflect=ALL-UNNAMED',
  '--add-opens',
  'java.base/java.net=ALL-UNNAMED',
];

/**
 * The JVM's argv, started directly (no bin/cassandra script, no jemalloc): 512 MB heap, G1, the module
 * flags Java 17 needs, foreground, and short ring/gossip waits (a fresh cluster with fixed tokens has
 * nothing to settle; the defaults cost ~30 s per node).
 */
export function jvmArgv(o: { java: string; classpath: string; dirs: NodeDirs; heapMb: number }): string[] {
  return [
    // No libfaketime in the JVM (the runtime preloads it for `clock: true` services): the wall clock is
    // skewed by FaultlineClock (skew-clock.ts), which reads the same offset file; the monotonic clock stays
    // real. FAKETIME_TIMESTAMP_FILE stays in the environment for it.
    '/usr/bin/env',
    '-u',
    'LD_PRELOAD',
    o.java,
    // Serial GC and C1 only: three JVMs share 2 cores, and startup (class loading, JIT) dominates a test run.
    `-Xms${o.heapMb}M`,
    `-Xmx${o.heapMb}M`,
    '-Xss512k',
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-XX:+ExitOnOutOfMemoryError',
    '-XX:ActiveProcessorCount=2',
    // Nothing in the machine's /tmp: lz4-java extracts its .so into java.io.tmpdir (one file per start, left
    // behind on kill -9), and hsperfdata would leave /tmp/hsperfdata_cassandra.
    `-Djava.io.tmpdir=${o.dirs.tmp}`,
    '-XX:-UsePerfData',
    '-Djava.net.preferIPv4Stack=true',
    ...JAVA17_MODULE_FLAGS,
    '-Dcassandra-foreground=yes',
    `-Dcassandra.config=file://${join(o.dirs.conf, 'cassandra.yaml')}`,
    `-Dlogback.configurationFile=${join(o.dirs.conf, 'logback.xml')}`,
    `-Dcassandra.logdir=${o.dirs.logs}`,
    `-Dcassandra-rackdc.properties=file://${join(o.dirs.conf, 'cassandra-rackdc.properties')}`,
    // JMX on loopback only, no authentication (cassandra-env.sh's LOCAL_JMX=yes), for nodetool on the node.
    `-Dcassandra.jmx.local.port=${JMX_PORT}`,
    `-Dcom.sun.management.jmxremote.rmi.port=${JMX_PORT}`,
    `-Dcassandra.storagedir=${o.dirs.root}`,
    '-Dcassandra.skip_wait_for_gossip_to_settle=0',
    '-Dcassandra.ring_delay_ms=1000',
    '-Dcassandra.superuser_setup_delay_ms=0',
    '-Djdk.attach.allowAttachSelf=true',
    '-Dio.netty.tryReflectionSetAccessible=true',
    `-Dcassandra.clock=${CLOCK_CLASS}`,
    '-cp',
    `${o.dirs.clock}:${o.classpath}`,
    'org.apache.cassandra.service.CassandraDaemon',
  ];
}
