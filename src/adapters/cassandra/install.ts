import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The Cassandra release we run (org.apache.cassandra:cassandra-all from Maven Central). */
export const CASSANDRA_VERSION = '5.0.9';
/** System user the nodes run as (scripts/setup.sh creates it); Cassandra refuses root without -R. */
export const CASSANDRA_USER = 'cassandra';

/**
 * Where scripts/setup.sh puts cassandra-all and its runtime jars: $FAULTLINE_CASSANDRA_HOME, else
 * /var/cache/faultline (world-readable: the nodes run as the cassandra user, who cannot enter /root),
 * else ~/.cache/faultline for a non-root setup.
 */
export function cassandraHomes(): string[] {
  const tail = `cassandra-${CASSANDRA_VERSION}`;
  const env = process.env.FAULTLINE_CASSANDRA_HOME;
  return [...(env ? [env] : []), join('/var/cache/faultline', tail), join(homedir(), '.cache/faultline', tail)];
}

/** The lib dir holding cassandra-all-<ver>.jar, or undefined. */
export function libDir(): string | undefined {
  for (const home of cassandraHomes()) {
    const lib = join(home, 'lib');
    if (existsSync(join(lib, `cassandra-all-${CASSANDRA_VERSION}.jar`))) return lib;
  }
  return undefined;
}

/** Every jar of the lib dir, joined as a classpath. */
export function classpath(lib: string): string {
  return readdirSync(lib)
    .filter((f) => f.endsWith('.jar'))
    .sort()
    .map((f) => join(lib, f))
    .join(':');
}

const JAVA_CANDIDATES = ['/usr/lib/jvm/java-17-openjdk-amd64/bin/java', '/usr/lib/jvm/java-17-openjdk-arm64/bin/java'];

/** Java 17 (Cassandra 5.0 runs on 11 and 17; Debian's default here is 17). $FAULTLINE_JAVA overrides. */
export function javaBin(): string | undefined {
  for (const j of [process.env.FAULTLINE_JAVA, ...JAVA_CANDIDATES]) {
    if (!j) continue;
    try {
      accessSync(j, constants.X_OK);
      return j;
    } catch {
      /* next */
    }
  }
  return undefined;
}

/** Why Cassandra cannot run here, or undefined. */
export function missingInstall(): string | undefined {
  if (!javaBin())
    return `cassandra: Java 17 not found (${JAVA_CANDIDATES[0]}); install openjdk-17-jre-headless or set FAULTLINE_JAVA (scripts/setup.sh does it as root)`;
  if (!libDir())
    return `cassandra: cassandra-all ${CASSANDRA_VERSION} jars not found in ${cassandraHomes()
      .map((h) => join(h, 'lib'))
      .join(' or ')}; run scripts/setup.sh (it fetches them from Maven Central with mvn)`;
  return undefined;
}
