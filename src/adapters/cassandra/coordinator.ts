import cassandra from 'cassandra-driver';
import type { Stmt } from './cql.js';
import { newClient, shutdownClient } from './shutdown.js';

const { policies, types } = cassandra;

const LEVEL = {
  one: types.consistencies.one,
  quorum: types.consistencies.quorum,
  all: types.consistencies.all,
  serial: types.consistencies.serial,
} as const;

/**
 * A cassandra-driver Client pinned to one node (an allow-list of that node only), so the run decides
 * which coordinator serves each op. Shared by every session using that coordinator (the driver
 * multiplexes requests on its connections). Never retries (fallthrough policy), never speculates, and
 * sends no client-side timestamp: the coordinator's clock stamps each write, as in a cluster whose
 * clients leave timestamps to the server, so clock skew between nodes decides which write wins.
 */
export class Coordinator {
  private client?: cassandra.Client;
  private connecting?: Promise<cassandra.Client>;
  private closed = false;

  constructor(
    readonly node: string,
    /** Where faultline's process reaches the node's CQL port (cqlEndpoint): the contact point and the one allowed host. */
    readonly endpoint: string,
    /** Maps the peers the driver discovers (by their addresses on the run's network) to their endpoints. */
    private readonly translator: cassandra.policies.addressResolution.AddressTranslator,
  ) {}

  private async connected(timeoutMs: number): Promise<cassandra.Client> {
    if (this.closed) throw new Error(`${this.node}: coordinator closed`);
    if (this.client) return this.client;
    this.connecting ??= (async () => {
      const c = newClient({
        contactPoints: [this.endpoint],
        localDataCenter: 'datacenter1',
        policies: {
          addressResolution: this.translator,
          loadBalancing: new policies.loadBalancing.AllowListPolicy(new policies.loadBalancing.DCAwareRoundRobinPolicy('datacenter1'), [this.endpoint]),
          retry: new policies.retry.FallthroughRetryPolicy(),
          reconnection: new policies.reconnection.ConstantReconnectionPolicy(300),
          // null: no client-side timestamps (the driver's default generator would hide clock skew).
          timestampGeneration: null as unknown as cassandra.policies.timestampGeneration.TimestampGenerator,
        },
        socketOptions: { connectTimeout: Math.min(timeoutMs, 2000), readTimeout: 0 },
        pooling: { heartBeatInterval: 1000 },
        protocolOptions: { maxSchemaAgreementWaitSeconds: 20 },
        isMetadataSyncEnabled: false,
      });
      try {
        await c.connect();
      } catch (e) {
        await shutdownClient(c);
        throw e;
      }
      if (this.closed) {
        await shutdownClient(c);
        throw new Error(`${this.node}: coordinator closed`);
      }
      this.client = c;
      return c;
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** Connects if needed (a connect failure sent nothing), then runs the statement. */
  async execute(s: Stmt, timeoutMs: number, phase: { sent: boolean }): Promise<Array<Record<string, unknown>>> {
    const c = await this.connected(timeoutMs);
    phase.sent = true;
    const r = await c.execute(s.cql, s.params, {
      prepare: true,
      consistency: LEVEL[s.level],
      serialConsistency: types.consistencies.serial,
      readTimeout: timeoutMs,
      isIdempotent: false,
    });
    return r.rows as unknown as Array<Record<string, unknown>>;
  }

  async close(): Promise<void> {
    this.closed = true;
    const c = this.client ?? (await this.connecting?.catch(() => undefined));
    this.client = undefined;
    await shutdownClient(c);
  }
}
