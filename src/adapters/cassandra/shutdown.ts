import cassandra from 'cassandra-driver';

type HostLike = { shutdown(waitForPending: boolean): Promise<void> };
type Internals = { connecting?: boolean; hosts?: { values(): HostLike[] }; once(e: string, f: () => void): void };

/** Every driver client this process made and has not shut down yet: teardown ends them all. */
const live = new Set<cassandra.Client>();

/** A driver client, registered so that no teardown path can forget it. */
export function newClient(options: cassandra.ClientOptions): cassandra.Client {
  const c = new cassandra.Client(options);
  live.add(c);
  return c;
}

/**
 * Shuts a driver client down completely. cassandra-driver 4.x can leave a client running: shutdown()
 * returns at once for a client that is still connecting (its `connected` flag is not set yet), and
 * the connect then finishes with each host's 200 ms health timer and its pool's heartbeats running.
 * Those referenced timers kept `faultline run` alive after "stored in" for as long as anyone waited.
 * So: wait for a connect in progress to end, shutdown(), then shut every known host down too
 * (Host.shutdown clears its timer and closes its pool; it is idempotent).
 */
export async function shutdownClient(c: cassandra.Client | undefined): Promise<void> {
  if (!c) return;
  const x = c as unknown as Internals;
  if (x.connecting) await new Promise<void>((resolve) => x.once('connected', () => resolve()));
  await c.shutdown().catch(() => undefined);
  await Promise.all((x.hosts?.values() ?? []).map((h) => h.shutdown(false).catch(() => undefined)));
  live.delete(c);
}

/**
 * Shuts down every client still registered whose contact point is one of these endpoints (host:port, as
 * cqlEndpoint writes them: a cluster's teardown: nothing of the driver outlives it; clients of another
 * cluster in this process are left alone, also when both reach their nodes through published loopback ports).
 */
export async function shutdownClientsOf(endpoints: readonly string[]): Promise<void> {
  const points = (c: cassandra.Client) => (c as unknown as { options?: { contactPoints?: string[] } }).options?.contactPoints ?? [];
  const ours = (c: cassandra.Client) => points(c).some((cp) => endpoints.includes(cp));
  await Promise.all([...live].filter(ours).map((c) => shutdownClient(c)));
}
