import { connect, createServer, type Server, type Socket } from 'node:net';
import type { ProxyFaults } from './faults.js';
import { Lane } from './lane.js';

export interface Endpoint {
  host: string;
  port: number;
}

export interface ProxyOptions {
  /** Where to listen; port 0 picks a free one (see address()). */
  listen: Endpoint;
  target: Endpoint;
  faults?: ProxyFaults;
  /** For jitter draws; Math.random by default (per-chunk jitter is not part of the seeded schedule). */
  rng?: () => number;
}

interface Conn {
  client: Socket;
  upstream: Socket;
  up: Lane;
  down: Lane;
}

/**
 * A TCP proxy for one link (clients -> one database node, or a standby -> its primary) whose faults
 * are set at run time with setFaults. Both sockets allow half-open streams, so a FIN is forwarded as a
 * FIN (through the lane, after the data before it); an error or RST on one side resets the other.
 */
export class TcpProxy {
  private faults: ProxyFaults;
  private readonly conns = new Set<Conn>();
  private readonly rng: () => number;

  private constructor(
    private readonly server: Server,
    private target: Endpoint,
    o: ProxyOptions,
  ) {
    this.faults = { ...(o.faults ?? {}) };
    this.rng = o.rng ?? Math.random;
    server.on('connection', (s) => this.accept(s));
  }

  static start(o: ProxyOptions): Promise<TcpProxy> {
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true });
    const p = new TcpProxy(server, o.target, o);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.listen.port, o.listen.host, () => {
        server.off('error', reject);
        resolve(p);
      });
    });
  }

  address(): Endpoint {
    const a = this.server.address();
    if (!a || typeof a === 'string') throw new Error('proxy: not listening');
    return { host: a.address, port: a.port };
  }

  get connections(): number {
    return this.conns.size;
  }

  current(): ProxyFaults {
    return { ...this.faults };
  }

  /** Replaces the link's faults. reset destroys every open connection now; {} heals. */
  setFaults(f: ProxyFaults): void {
    this.faults = { ...f };
    if (f.reset) for (const c of [...this.conns]) this.kill(c);
    for (const c of this.conns) {
      c.up.refault(this.faults);
      c.down.refault(this.faults);
    }
  }

  /** New connections go to `target`; open ones (to the old target) are reset. */
  setTarget(target: Endpoint): void {
    this.target = { ...target };
    for (const c of [...this.conns]) this.kill(c);
  }

  /** Stops listening and resets every connection. */
  close(): Promise<void> {
    for (const c of [...this.conns]) this.kill(c);
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.faults.refuse) {
      client.on('error', () => {});
      client.resetAndDestroy();
      return;
    }
    const upstream = connect({ host: this.target.host, port: this.target.port, allowHalfOpen: true });
    const f = () => this.faults;
    const c: Conn = { client, upstream, up: new Lane(client, upstream, f, this.rng), down: new Lane(upstream, client, f, this.rng) };
    this.conns.add(c);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.on('data', (b: Buffer) => c.up.data(b));
    upstream.on('data', (b: Buffer) => c.down.data(b));
    client.on('end', () => c.up.end());
    upstream.on('end', () => c.down.end());
    // An error (ECONNRESET, a refused upstream) on one side resets the other: no silent half-dead link.
    client.on('error', () => this.kill(c));
    upstream.on('error', () => this.kill(c));
    const closed = () => {
      if (client.destroyed && upstream.destroyed) {
        c.up.stop();
        c.down.stop();
        this.conns.delete(c);
      }
    };
    client.on('close', closed);
    upstream.on('close', closed);
    client.resume();
  }

  private kill(c: Conn): void {
    c.up.stop();
    c.down.stop();
    for (const s of [c.client, c.upstream]) {
      s.on('error', () => {});
      // resetAndDestroy sends RST; it waits for a pending connect, and does nothing without a handle.
      if (!s.destroyed) {
        try {
          s.resetAndDestroy();
        } catch {
          s.destroy();
        }
      }
      if (!s.destroyed && !s.connecting) s.destroy();
    }
    this.conns.delete(c);
  }
}
