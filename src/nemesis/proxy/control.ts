import { connect, createServer, type Server } from 'node:net';
import type { ProxyFaults } from './faults.js';
import type { Endpoint, TcpProxy } from './proxy.js';

/** One control request (a JSON line) to a proxy service, and its reply line. */
export type ControlRequest = { faults: ProxyFaults } | { target: Endpoint } | { ping: true };
export interface ControlReply {
  ok: boolean;
  error?: string;
  faults?: ProxyFaults;
  connections?: number;
}

/** Serves control requests for `proxy` on a unix socket: one JSON line in, one JSON line out. */
export function serveControl(proxy: TcpProxy, path: string): Promise<Server> {
  const server = createServer((s) => {
    s.on('error', () => {});
    let buf = '';
    s.on('data', (b) => {
      buf += b.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        let reply: ControlReply;
        try {
          const req = JSON.parse(line) as ControlRequest;
          if ('faults' in req) proxy.setFaults(req.faults);
          else if ('target' in req) proxy.setTarget(req.target);
          reply = { ok: true, faults: proxy.current(), connections: proxy.connections };
        } catch (e) {
          reply = { ok: false, error: (e as Error).message };
        }
        s.write(JSON.stringify(reply) + '\n');
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** Sends one request to a proxy service's control socket; rejects after timeoutMs or on an error reply. */
export function control(path: string, req: ControlRequest, timeoutMs = 2000): Promise<ControlReply> {
  return new Promise((resolve, reject) => {
    const s = connect(path);
    let buf = '';
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`proxy control ${path}: no reply in ${timeoutMs} ms`));
    }, timeoutMs);
    s.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`proxy control ${path}: ${e.message}`));
    });
    s.on('data', (b) => {
      buf += b.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      s.end();
      const r = JSON.parse(buf.slice(0, nl)) as ControlReply;
      if (r.ok) resolve(r);
      else reject(new Error(`proxy control ${path}: ${r.error}`));
    });
    s.write(JSON.stringify(req) + '\n');
  });
}
