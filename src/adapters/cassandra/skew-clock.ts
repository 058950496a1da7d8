import { join } from 'node:path';
import type { RuntimeNode } from '../../runtime/types.js';

/** The class Cassandra loads as its wall clock (-Dcassandra.clock). */
export const CLOCK_CLASS = 'FaultlineClock';

/**
 * Clock skew for Cassandra without libfaketime in the JVM. Cassandra 5 reads time only through
 * org.apache.cassandra.utils.Clock.Global, whose implementation `-Dcassandra.clock` names. This one
 * adds the offset of the runtime's clock file (FAKETIME_TIMESTAMP_FILE, libfaketime's "+30s" / "-0.5s"),
 * re-read every 50 ms, to the wall clock, and leaves the monotonic clock alone: that is what a real
 * clock step does. Under libfaketime the JVM was either ~8x slower per clock read (monotonic left real)
 * or had its monotonic clock stepped with the wall clock, which stalled every scheduled task (gossip,
 * timeouts) by the size of each backward step: a +300 s strobe made a node deaf for minutes, and the
 * soak blamed Cassandra for not recovering.
 */
export const CLOCK_JAVA = `import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

public final class ${CLOCK_CLASS} implements org.apache.cassandra.utils.Clock {
  private static final String FILE = System.getenv("FAKETIME_TIMESTAMP_FILE");
  private static volatile long offsetMs = read(0);

  static {
    if (FILE != null) {
      Thread t = new Thread(() -> {
        for (;;) {
          try {
            Thread.sleep(50);
          } catch (InterruptedException e) {
            return;
          }
          offsetMs = read(offsetMs);
        }
      }, "faultline-clock");
      t.setDaemon(true);
      t.start();
    }
  }

  /** The file's offset in ms ("+30s", "-0.5s", "+0"); the last one while it cannot be read. */
  static long read(long last) {
    if (FILE == null) return 0;
    try {
      String s = new String(Files.readAllBytes(Path.of(FILE)), StandardCharsets.UTF_8).trim();
      if (s.endsWith("s")) s = s.substring(0, s.length() - 1);
      return Math.round(Double.parseDouble(s) * 1000);
    } catch (Exception e) {
      return last;
    }
  }

  public long nanoTime() {
    return System.nanoTime();
  }

  public long currentTimeMillis() {
    return System.currentTimeMillis() + offsetMs;
  }
}
`;

/**
 * Writes and compiles the clock class into `dir` on the node, with the JVM's own compiler module
 * (jdk.compiler ships in Debian's openjdk-17-jre-headless: no JDK needed). Returns the class dir, to
 * put first on the classpath.
 */
export async function compileClock(node: RuntimeNode, java: string, cassandraJar: string, dir: string): Promise<string> {
  const src = join(dir, `${CLOCK_CLASS}.java`);
  await node.writeFile(src, CLOCK_JAVA);
  // -XX:-UsePerfData: no hsperfdata_<user> folder in the machine's temp dir (as for the nodes' JVMs).
  const r = await node.exec([java, '-XX:-UsePerfData', '-m', 'jdk.compiler/com.sun.tools.javac.Main', '-nowarn', '-d', dir, '-cp', cassandraJar, src], {
    timeoutMs: 60_000,
  });
  if (r.code !== 0) throw new Error(`${node.name}: compiling the Cassandra clock class failed: ${(r.stderr || r.stdout).trim()}`);
  return dir;
}
