import type { DbOptions } from '../types.js';
import { FLAVOURS, progress, type Flavour } from './flavour.js';
import type { MyServer } from './server.js';
import { adminQuery, PORT, USER, type Row } from './sql.js';

export interface ReplicaStatus {
  received: string;
  io: string;
  sql: string;
  errors: string;
}

/** A replica's SHOW SLAVE/REPLICA STATUS, or undefined when it replicates from nobody. */
export async function replicaStatus(s: MyServer, flavour: Flavour, timeoutMs = 2000): Promise<ReplicaStatus | undefined> {
  const f = FLAVOURS[flavour];
  const rows = await adminQuery(s.admin, f.showReplicaStatus, [], timeoutMs);
  const r = rows[0];
  if (!r) return undefined;
  const str = (k: string) => String(r[k] ?? '');
  return {
    received: str(f.receivedColumn),
    io: str(f.ioRunningColumn),
    sql: str(f.sqlRunningColumn),
    errors: f.lastErrorColumns.map(str).filter(Boolean).join('; '),
  };
}

export async function appliedPosition(s: MyServer, flavour: Flavour, timeoutMs = 2000): Promise<string> {
  const rows = await adminQuery<Row & { pos: string | null }>(s.admin, FLAVOURS[flavour].appliedPosition, [], timeoutMs);
  return String(rows[0]?.pos ?? '');
}

/**
 * (Re)points a replica at a primary from its own GTID position and starts replicating: directly, or
 * through the proxy `via` gives (DbOptions.replicationAddress; it retargets the replica's proxy first).
 */
export async function follow(replica: MyServer, primary: MyServer, flavour: Flavour, via?: DbOptions['replicationAddress']): Promise<void> {
  const f = FLAVOURS[flavour];
  const direct = { host: primary.node.ip, port: PORT };
  const to = via ? await via(replica.name, direct) : direct;
  await adminQuery(replica.admin, f.stopReplica, [], 10_000);
  await adminQuery(replica.admin, f.changePrimary(to.host, to.port, USER), [], 10_000);
  await adminQuery(replica.admin, f.startReplica, [], 10_000);
}

/** Until every replica applied what the primary has written and both of its threads run. */
export async function waitCaughtUp(primary: MyServer, replicas: MyServer[], flavour: Flavour, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  const want = progress(flavour, await appliedPosition(primary, flavour));
  for (;;) {
    const seen = await Promise.all(
      replicas.map(async (r) => {
        const st = await replicaStatus(r, flavour).catch((e: Error) => ({ io: '?', sql: '?', received: '', errors: e.message }));
        const at = progress(flavour, await appliedPosition(r, flavour).catch(() => ''));
        return { r, st, at, ok: st !== undefined && st.io === 'Yes' && st.sql === 'Yes' && at >= want };
      }),
    );
    if (seen.every((x) => x.ok)) return;
    if (Date.now() > end) {
      const bad = await Promise.all(
        seen
          .filter((x) => !x.ok)
          .map(
            async (x) => `${x.r.name}: io ${x.st?.io}, sql ${x.st?.sql}, at ${x.at}/${want}${x.st?.errors ? `, ${x.st.errors}` : ''}\n${await x.r.logTail(8)}`,
          ),
      );
      throw new Error(`replicas not caught up with ${primary.name} after ${timeoutMs} ms:\n${bad.join('\n')}`);
    }
    await new Promise((res) => setTimeout(res, 30));
  }
}

/** Until the primary counts at least one semi-sync replica (a commit then waits for its ack). */
export async function waitSemiSync(primary: MyServer, flavour: Flavour, timeoutMs = 30_000): Promise<void> {
  const name = FLAVOURS[flavour].semiSyncClientsStatus;
  const end = Date.now() + timeoutMs;
  for (;;) {
    const rows = await adminQuery<Row & { Value: string }>(primary.admin, 'SHOW GLOBAL STATUS LIKE ?', [name]).catch(() => []);
    if (Number(rows[0]?.Value ?? 0) >= 1) return;
    if (Date.now() > end) throw new Error(`${primary.name}: no semi-sync replica after ${timeoutMs} ms (${name} = ${rows[0]?.Value ?? '?'})`);
    await new Promise((res) => setTimeout(res, 30));
  }
}
