// The RuntimeNode contract on every runtime (test/integration/support.ts RUNTIMES): commands and files
// through the node, a foreground service killed with -9 and paused, network faults (partition, loss),
// a clock moved by libfaketime, and nothing left after down(). Nodes run redis-server as a listener
// (the docker runtime's faultline/redis image; the host's package on local). Traffic goes only to
// the nodes' own addresses.
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeByName } from '../../src/runtime/index.js';
import type { Cluster, RuntimeNode, Service } from '../../src/runtime/types.js';
import { leftoversOf, requireRuntime, RUNTIMES } from './support.js';

/** PING from one node to another's redis: PONG, or what failed, within 2 s. */
async function ping(from: RuntimeNode, to: RuntimeNode): Promise<string> {
  const r = await from.exec(['timeout', '2', 'redis-cli', '-h', to.ip, '-p', '6390', 'ping']);
  return r.code === 0 ? r.stdout.trim() : `exit ${r.code}`;
}

/** PING from the host (where clients run) to a node: true when it answers within 1 s. */
function hostReaches(ip: string): Promise<boolean> {
  return new Promise((res) => {
    const s = createConnection(6390, ip);
    s.setTimeout(1000, () => {
      s.destroy();
      res(false);
    });
    s.on('connect', () => s.write('PING\r\n'));
    s.on('data', (b) => {
      s.destroy();
      res(String(b).startsWith('+PONG'));
    });
    s.on('error', () => res(false));
  });
}

const until = async (f: () => Promise<boolean>, ms: number): Promise<boolean> => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await f()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return f();
};

describe.each(RUNTIMES)('the %s runtime keeps the RuntimeNode contract', (kind) => {
  const runtime = runtimeByName(kind);
  const runId = `contract-${kind}-${process.pid}`;
  let dir = '';
  let cluster: Cluster;
  let nodes: RuntimeNode[];
  const servers: Service[] = [];

  beforeAll(async () => {
    await requireRuntime(() => runtime.unavailable('redis'));
    dir = mkdtempSync(join(tmpdir(), `fl-contract-${kind}-`));
    cluster = await runtime.up({ runId, dir, nodes: 3, image: 'redis' });
    nodes = cluster.nodes;
    for (const n of nodes) {
      const argv = [(await n.which('redis-server'))!, '--port', '6390', '--bind', n.ip, '--protected-mode', 'no', '--save', '', '--appendonly', 'no'];
      servers.push(await n.spawn({ name: 'redis', argv, logFile: join(n.dir, 'redis.log') }));
    }
    for (const n of nodes) expect(await until(() => hostReaches(n.ip), 10_000)).toBe(true);
  }, 120_000);

  afterAll(async () => {
    if (cluster) await cluster.down();
    rmSync(dir, { recursive: true, force: true });
    expect(await leftoversOf(kind, runId)).toEqual([]);
  }, 60_000);

  it('runs commands as a user and keeps files in the node', async () => {
    const n = nodes[0]!;
    const who = await n.exec(['id', '-un'], { user: 'redis' });
    expect(who).toMatchObject({ code: 0, stdout: 'redis\n' });
    const f = join(n.dir, 'sub', 'a.txt');
    await n.mkdir(join(n.dir, 'sub'), { mode: 0o750, owner: 'redis' });
    await n.writeFile(f, 'one\n', { owner: 'redis', mode: 0o640 });
    await n.writeFile(f, `two ${'x'.repeat(200_000)}\n`, { append: true });
    expect((await n.readFile(f)).length).toBe(4 + 4 + 200_000 + 1);
    expect((await n.exec(['stat', '-c', '%U %a', f])).stdout.trim()).toBe('redis 640');
    expect(await n.readdir(join(n.dir, 'sub'))).toEqual(['a.txt']);
    await n.rename(f, join(n.dir, 'sub', 'b.txt'));
    expect(await n.exists(f)).toBe(false);
    expect(await n.exists(join(n.dir, 'sub', 'b.txt'))).toBe(true);
    await n.remove(join(n.dir, 'sub'));
    expect(await n.exists(join(n.dir, 'sub'))).toBe(false);
    expect(await n.which('redis-server')).toMatch(/^\/.*redis-server$/);
    expect(await n.which('no-such-binary-here')).toBeUndefined();
    await expect(n.readFile(join(n.dir, 'missing'))).rejects.toThrow();
  });

  it('kill -9 of a service is seen at once; pause stops it and resume lets it serve again', async () => {
    const n = nodes[2]!;
    const s = await n.spawn({ name: 'sleeper', argv: ['sleep', '600'], logFile: join(n.dir, 'sleeper.log') });
    expect(await n.running([s.pid])).toEqual([s.pid]);
    const t0 = Date.now();
    await n.signal([s.pid], 'SIGKILL');
    expect(await s.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(s.running()).toBe(false);
    expect(await n.running([s.pid])).toEqual([]);

    const redis = servers[2]!;
    await n.signal([redis.pid], 'SIGSTOP');
    expect(await hostReaches(n.ip)).toBe(false);
    await n.signal([redis.pid], 'SIGCONT');
    expect(await until(() => hostReaches(n.ip), 5000)).toBe(true);
  }, 30_000);

  it('a partition cuts only the named peers, a loss of every packet cuts all, and each heals alone', async () => {
    const [a, b, c] = nodes as [RuntimeNode, RuntimeNode, RuntimeNode];
    await a.partition([b.ip]);
    expect(await ping(b, a)).not.toBe('PONG');
    expect(await ping(c, a)).toBe('PONG');
    await a.loss(1);
    expect(await ping(c, a)).not.toBe('PONG');
    await a.healLoss();
    expect(await ping(c, a)).toBe('PONG');
    expect(await ping(b, a)).not.toBe('PONG'); // the partition is still on: the loss's heal left it
    await a.healPartition();
    expect(await ping(b, a)).toBe('PONG');
    await a.bandwidth(512);
    expect(await ping(b, a)).toBe('PONG');
    await a.healBandwidth();
  }, 60_000);

  it('moves the clock of a service started with clock: true, and only its', async () => {
    const n = nodes[1]!;
    const out = join(n.dir, 'clock.txt');
    const loop = ['sh', '-c', 'while :; do date +%s > "$1.tmp" && mv "$1.tmp" "$1"; sleep 0.2; done', 'sh', out];
    const s = await n.spawn({ name: 'clock', argv: loop, logFile: join(n.dir, 'clock.log'), clock: true });
    const skew = async () => Number((await n.readFile(out).catch(() => '0')).trim()) - Date.now() / 1000;
    expect(await until(async () => Math.abs(await skew()) < 5, 5000)).toBe(true);
    await n.setClockOffset(3600);
    expect(await until(async () => Math.abs((await skew()) - 3600) < 5, 8000)).toBe(true);
    // The node's own commands keep the real clock.
    expect(Math.abs(Number((await n.exec(['date', '+%s'])).stdout) - Date.now() / 1000)).toBeLessThan(5);
    await n.setClockOffset(0);
    expect(await until(async () => Math.abs(await skew()) < 5, 8000)).toBe(true);
    await s.stop(1000);
  }, 30_000);
});
