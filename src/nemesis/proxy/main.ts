import { rmSync } from 'node:fs';
import { serveControl } from './control.js';
import { TcpProxy, type Endpoint } from './proxy.js';

/**
 * A proxy as a service inside a node's network namespace (for a replication link, so iptables
 * partitions of the node still cut it):
 *   node dist/src/nemesis/proxy/main.js --listen 127.0.0.1:P --target IP:5432 --control DIR/proxy.sock
 * Faults and the target are set over the control socket (control.ts). SIGTERM stops it.
 */
function endpoint(s: string | undefined, what: string): Endpoint {
  const m = s ? /^(.+):(\d+)$/.exec(s) : null;
  if (!m) throw new Error(`--${what} must be HOST:PORT, got ${s ?? 'nothing'}`);
  return { host: m[1]!, port: Number(m[2]) };
}

async function main(argv: string[]): Promise<void> {
  const arg = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const controlPath = arg('control');
  if (!controlPath) throw new Error('--control PATH is required');
  const proxy = await TcpProxy.start({ listen: endpoint(arg('listen'), 'listen'), target: endpoint(arg('target'), 'target') });
  rmSync(controlPath, { force: true });
  const server = await serveControl(proxy, controlPath);
  const a = proxy.address();
  console.log(`proxy ${a.host}:${a.port} -> ${arg('target')}, control ${controlPath}`);
  const stop = () => {
    server.close();
    rmSync(controlPath, { force: true });
    void proxy.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main(process.argv.slice(2)).catch((e: Error) => {
  console.error(`proxy: ${e.message}`);
  process.exit(1);
});
