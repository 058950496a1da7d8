import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Remote } from '../../runtime/types.js';
import { firstExecutable } from '../remote.js';

/** The Cassandra release we run (org.apache.cassandra:cassandra-all from Maven Central). */
export const CASSANDRA_VERSION = '5.0.9';
/** System user the nodes run as (scripts/setup.sh creates it); Cassandra refuses root without -R. */
export const CASSANDRA_USER = 'cassandra';

/**
 * Where scripts/setup.sh puts cassandra-all and its runtime jars: $FAULTLINE_CASSANDRA_HOME, else
 * /var/cache/faultline (world-readable: the nodes run as the cassandra user, who cannot enter /root),
 * else ~/.cache/faultline for a non-root setup. These are paths on the node's machine (for local, the
 * host); only the choice of candidates reads faultline's own environment.
 */
export function cassandraHomes(): string[] {
  const tail = `cassandra-${CASSANDRA_VERSION}`;
  const env = process.env.FAULTLINE_CASSANDRA_HOME;
  return [...(env ? [env] : []), join('/var/cache/faultline', tail), join(homedir(), '.cache/faultline', tail)];
}

/** The lib dir there holding cassandra-all-<ver>.jar, or undefined. */
export async function libDir(r: Remote): Promise<string | undefined> {
  for (const home of cassandraHomes()) {
    const lib = join(home, 'lib');
    if (await r.exists(join(lib, `cassandra-all-${CASSANDRA_VERSION}.jar`))) return lib;
  }
  return undefined;
}

/** Every jar of the lib dir, joined as a classpath. */
export async function classpath(r: Remote, lib: string): Promise<string> {
  return (await r.readdir(lib))
    .filter((f) => f.endsWith('.jar'))
    .sort()
    .map((f) => join(lib, f))
    .join(':');
}

const JAVA_CANDIDATES = ['/usr/lib/jvm/java-17-openjdk-amd64/bin/java', '/usr/lib/jvm/java-17-openjdk-arm64/bin/java'];

/** Java 17 there (Cassandra 5.0 runs on 11 and 17; Debian's default here is 17). $FAULTLINE_JAVA overrides. */
export function javaBin(r: Remote): Promise<string | undefined> {
  const env = process.env.FAULTLINE_JAVA;
  return firstExecutable(r, [...(env ? [env] : []), ...JAVA_CANDIDATES]);
}

/** Java and the classpath there, or a string saying what is missing. */
export async function findInstall(r: Remote): Promise<{ java: string; classpath: string } | string> {
  const java = await javaBin(r);
  if (!java)
    return `cassandra: Java 17 not found (${JAVA_CANDIDATES[0]}); install openjdk-17-jre-headless or set FAULTLINE_JAVA (scripts/setup.sh does it as root)`;
  const lib = await libDir(r);
  if (!lib)
    return `cassandra: cassandra-all ${CASSANDRA_VERSION} jars not found in ${cassandraHomes()
      .map((h) => join(h, 'lib'))
      .join(' or ')}; run scripts/setup.sh (it fetches them from Maven Central with mvn)`;
  return { java, classpath: await classpath(r, lib) };
}
