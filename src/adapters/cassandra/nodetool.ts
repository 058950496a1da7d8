import { join } from 'node:path';
import type { RuntimeNode } from '../../runtime/types.js';
import { JAVA17_MODULE_FLAGS, JMX_PORT, type NodeDirs } from './config.js';
import { CASSANDRA_USER } from './install.js';

/** logback for nodetool's own JVM: warnings and errors only, to stderr (they end up in our error message). */
export const LOGBACK_TOOLS_XML = `<configuration scan="false">
  <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
    <target>System.err</target>
    <encoder><pattern>%-5level %msg%n</pattern></encoder>
  </appender>
  <root level="WARN"><appender-ref ref="STDERR"/></root>
</configuration>
`;

/**
 * nodetool's argv (there is no bin/nodetool in a cassandra-all install: its main class, as that script runs it),
 * reaching the node's JMX on its own loopback (config.ts: JMX_PORT, local only, no authentication).
 */
export function nodetoolArgv(o: { java: string; classpath: string; dirs: NodeDirs }, args: readonly string[]): string[] {
  return [
    o.java,
    '-Xmx128m',
    '-Xss512k',
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-XX:-UsePerfData',
    `-Djava.io.tmpdir=${o.dirs.tmp}`,
    '-Djava.net.preferIPv4Stack=true',
    ...JAVA17_MODULE_FLAGS,
    `-Dcassandra.storagedir=${o.dirs.root}`,
    `-Dlogback.configurationFile=${join(o.dirs.conf, 'logback-tools.xml')}`,
    '-cp',
    o.classpath,
    'org.apache.cassandra.tools.NodeTool',
    '-h',
    '127.0.0.1',
    '-p',
    String(JMX_PORT),
    ...args,
  ];
}

/** Runs nodetool on the node as the cassandra user, bounded by timeoutMs; throws with its output when it fails. */
export async function nodetool(
  node: RuntimeNode,
  o: { java: string; classpath: string; dirs: NodeDirs },
  args: readonly string[],
  timeoutMs: number,
): Promise<string> {
  const r = await node.exec(nodetoolArgv(o, args), { user: CASSANDRA_USER, cwd: o.dirs.root, timeoutMs });
  const out = `${r.stdout}${r.stderr}`.trim();
  if (r.code !== 0) throw new Error(`${node.name}: nodetool ${args.join(' ')} exited with code ${r.code}:\n${out.split('\n').slice(-30).join('\n')}`);
  return out;
}
