// Each network fault owns its layer and heals alone, on real namespaces (root only; CI fails, never skips).
// Faults are started and stopped through the fault packages, as a run does, so a stop that healed more
// than its own layer (the old heal-everything) fails here. Traffic stays inside namespaces we create.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAdapter } from '../../src/adapters/postgres/index.js';
import type { Db } from '../../src/adapters/types.js';
import { Nemesis, finalHeal, resolvePackages, type FaultPackage } from '../../src/nemesis/index.js';
import { cleanup, localRuntime, shortId } from '../../src/runtime/local/index.js';
import type { Cluster, RuntimeNode, Service } from '../../src/runtime/types.js';
import { leftovers, requireRuntime } from './support.js';

const runId = `test-layers-${process.pid}-${Date.now()}-${Math.random().toString(16).slice(2, 8)}`;

/** TCP on 7000 answers "pong"; TCP on 7001 sends 48 KiB; UDP on 7002 echoes. */
const SERVER = `const net = require('net');
net.createServer((s) => s.end('pong')).listen(7000, '0.0.0.0');
net.createServer((s) => s.end(Buffer.alloc(48 * 1024, 120))).listen(7001, '0.0.0.0');
const u = require('dgram').createSocket('udp4'); u.on('message', (m, r) => u.send(m, r.port, r.address));
u.bind(7002, () => console.log('listening'));`;
/** Connects to port 7000 from a node; prints ok, timeout or the error, within 800 ms. */
const CLIENT = `const s = require('net').connect(7000, process.argv[1]); let d = '';
s.setTimeout(800, () => { console.log('timeout'); process.exit(0); });
s.on('data', (b) => d += b); s.on('end', () => { console.log(d === 'pong' ? 'ok' : 'bad:' + d); process.exit(0); });
s.on('error', (e) => { console.log('error ' + e.code); process.exit(0); });`;
/** Sends 200 numbered UDP datagrams 2 ms apart to port 7002 and prints how many distinct echoes came back. */
const UDP = `const u = require('dgram').createSocket('udp4'); const got = new Set();
u.on('message', (m) => got.add(m.toString()));
u.bind(0, async () => {
  for (let i = 0; i < 200; i++) { u.send(String(i), 7002, process.argv[1]); await new Promise((r) => setTimeout(r, 2)); }
  setTimeout(() => { console.log(got.size); process.exit(0); }, 500);
});`;

async function reach(from: RuntimeNode, ip: string): Promise<string> {
  return (await from.exec([process.execPath, '-e', CLIENT, ip], { timeoutMs: 5000 })).stdout.trim();
}

/** Echoes of 200 datagrams from `from` to `ip`: a loss p on one end lets about (1-p)^2 come back. */
async function echoes(from: RuntimeNode, ip: string): Promise<number> {
  return Number((await from.exec([process.execPath, '-e', UDP, ip], { timeoutMs: 10_000 })).stdout.trim());
}

/** Milliseconds the host takes to receive the 48 KiB reply from port 7001 of this address. */
function download(ip: string): Promise<number> {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const s = createConnection(7001, ip);
    let n = 0;
    s.setTimeout(10_000, () => {
      s.destroy();
      rej(new Error(`download from ${ip} timed out after ${n} bytes`));
    });
    s.on('data', (b) => {
      n += b.length;
    });
    s.on('end', () => (n === 48 * 1024 ? res(performance.now() - t0) : rej(new Error(`got ${n} bytes`))));
    s.on('error', rej);
  });
}

async function chain(n: RuntimeNode, name: string): Promise<string[]> {
  const r = await n.exec(['iptables', '-w', '-S', name]);
  return r.code === 0
    ? r.stdout
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('-A'))
    : [];
}

async function tbf(n: RuntimeNode): Promise<boolean> {
  return (await n.exec(['tc', 'qdisc', 'show'])).stdout.includes('qdisc tbf');
}

describe("fault layers (real namespaces): one fault's stop never ends another", () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-layers-'));
  let cluster: Cluster;
  let nem: Nemesis;
  let packages: FaultPackage[];
  const services: Service[] = [];
  let n1: RuntimeNode, n2: RuntimeNode, n3: RuntimeNode;
  const act = async (f: string, value: unknown = null) => {
    const r = await nem.invoke({ f, value });
    expect(r.error, `${f} ${JSON.stringify(value)}`).toBeUndefined();
    return r;
  };

  beforeAll(async () => {
    await requireRuntime(() => localRuntime.unavailable());
    cluster = await localRuntime.up({ runId, dir, nodes: 3 });
    [n1, n2, n3] = cluster.nodes as [RuntimeNode, RuntimeNode, RuntimeNode];
    for (const n of [n2, n3]) {
      const log = join(n.dir, 'server.log');
      services.push(await n.spawn({ name: 'server', argv: [process.execPath, '-e', SERVER], logFile: log }));
      for (let i = 0; i < 100 && !readSafe(log).includes('listening'); i++) await new Promise((r) => setTimeout(r, 50));
    }
    packages = resolvePackages('partition,loss,bandwidth,failover', localRuntime, postgresAdapter);
    // Only the failover needs the database (its primary); the network packages act on the runtime's nodes.
    const db = { primary: () => n1 } as unknown as Db;
    nem = new Nemesis(packages, { cluster, db });
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop(500)));
    await cluster?.down().catch(() => undefined);
    // Nothing may be left: no namespace (the chains lived in them), veth, bridge, rule or process.
    expect(leftovers(runId)).toEqual([]);
    expect(await cleanup({ runId })).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('partition and loss together: stopping loss keeps the partition cutting, stopping the partition keeps the loss', async () => {
    expect(await reach(n1, n2.ip)).toBe('ok');
    expect(await echoes(n2, n3.ip)).toBeGreaterThanOrEqual(195);

    await act('start-partition', { shape: 'one', node: 'n1' }); // n1 | n2 n3
    await act('start-loss', { node: 'n3', probability: 1 });
    expect(await reach(n1, n2.ip)).toBe('timeout');
    expect(await reach(n2, n3.ip)).toBe('timeout'); // the loss, not the partition: n2 and n3 are one side
    await act('stop-loss');
    expect(await reach(n2, n3.ip)).toBe('ok'); // the loss ended...
    expect(await reach(n1, n2.ip)).toBe('timeout'); // ...and the partition still cuts, both ways
    expect(await reach(n2, n1.ip)).not.toBe('ok');
    expect(await chain(n1, 'FAULTLINE-PART')).toHaveLength(4);

    // Now a measurable drop rate: half of each direction at n3, so about a quarter of the echoes return.
    await act('start-loss', { node: 'n3', probability: 0.5 });
    const lossy = await echoes(n2, n3.ip);
    await act('stop-partition');
    expect(await reach(n1, n2.ip)).toBe('ok'); // the partition ended...
    expect(await chain(n1, 'FAULTLINE-PART')).toEqual([]);
    expect(await chain(n3, 'FAULTLINE-LOSS')).toEqual([expect.stringMatching(/statistic --mode random --probability 0\.5\d* -j DROP/)]);
    const still = await echoes(n2, n3.ip); // ...and the loss still drops
    for (const e of [lossy, still]) {
      expect(e).toBeGreaterThan(10);
      expect(e).toBeLessThan(110);
    }
    await act('stop-loss');
    expect(await echoes(n2, n3.ip)).toBeGreaterThanOrEqual(195);
  });

  it('bandwidth and partition together: stopping one leaves the other', async () => {
    const free = await download(n2.ip);
    await act('start-partition', { shape: 'one', node: 'n1' });
    await act('start-bandwidth', { node: 'n2', kbit: 256 });
    expect(await tbf(n2)).toBe(true);
    await act('stop-bandwidth');
    expect(await tbf(n2)).toBe(false);
    expect(await reach(n1, n2.ip)).toBe('timeout'); // the partition outlives the bandwidth cap

    await act('start-bandwidth', { node: 'n2', kbit: 256 });
    await act('stop-partition');
    expect(await reach(n1, n2.ip)).toBe('ok');
    expect(await tbf(n2)).toBe(true);
    const capped = await download(n2.ip); // 48 KiB at 256 kbit/s (32 KB/s, 4 KB burst): about 1.4 s
    expect(free).toBeLessThan(500);
    expect(capped).toBeGreaterThan(1000);
    await act('stop-bandwidth');
    expect(await download(n2.ip)).toBeLessThan(500);
  });

  it("a failover's isolation of its old primary is a layer of its own: ending it keeps a partition", async () => {
    await act('start-partition', { shape: 'halves', order: ['n1', 'n2', 'n3'] }); // n1 | n2 n3
    await n1.isolate([n3.ip]); // as start-failover does to its old primary, for the duration of the promotion
    expect(await chain(n1, 'FAULTLINE-ISO')).toHaveLength(2);
    await n1.healIsolation();
    expect(await chain(n1, 'FAULTLINE-ISO')).toEqual([]);
    expect(await reach(n1, n2.ip)).toBe('timeout');
    expect(await reach(n1, n3.ip)).toBe('timeout');
    // And the other way round: the partition's stop leaves an isolation on.
    await n1.isolate([n3.ip]);
    await act('stop-partition');
    expect(await reach(n1, n2.ip)).toBe('ok');
    expect(await reach(n1, n3.ip)).toBe('timeout');
    await act('stop-failover'); // the failover package's own stop ends its isolation
    expect(await reach(n1, n3.ip)).toBe('ok');
  });

  it('the final heal heals each package with its own stop, and then no fault is left on any node', async () => {
    await act('start-partition', { shape: 'ring' });
    await act('start-loss', { node: 'n2', probability: 0.3 });
    await act('start-bandwidth', { node: 'n3', kbit: 512 });
    await n1.isolate([n2.ip]);
    const fin = finalHeal(packages);
    expect(fin.map((a) => a.f)).toEqual(['stop-partition', 'stop-loss', 'stop-bandwidth', 'stop-failover']);
    for (const a of fin) await act(a.f, a.value);
    for (const n of cluster.nodes) {
      for (const c of ['FAULTLINE-PART', 'FAULTLINE-LOSS', 'FAULTLINE-ISO']) expect(await chain(n, c), `${n.name} ${c}`).toEqual([]);
      expect(await tbf(n)).toBe(false);
    }
    expect(await reach(n1, n3.ip)).toBe('ok');
  });

  it('cleanup heals and reports the faults a crashed run left in each layer before removing its namespaces', async () => {
    const other = `${runId}-crash`;
    const c = await localRuntime.up({ runId: other, dir: join(dir, 'crash'), nodes: 2 });
    try {
      await c.nodes[0]!.partition([c.nodes[1]!.ip]);
      await c.nodes[1]!.loss(0.2);
      await c.nodes[1]!.bandwidth(1000);
      const id = shortId(other);
      // As after a crash: cleanup by run id, with the cluster's faults still on.
      const removed = await cleanup({ runId: other });
      expect(removed).toEqual(
        expect.arrayContaining([
          `2 rule(s) in chain FAULTLINE-PART in fl-${id}-n1`,
          `1 rule(s) in chain FAULTLINE-LOSS in fl-${id}-n2`,
          `tbf qdisc on fle${id}n2 in fl-${id}-n2`,
          `netns fl-${id}-n1`,
          `netns fl-${id}-n2`,
        ]),
      );
      expect(leftovers(other)).toEqual([]);
    } finally {
      await c.down().catch(() => undefined);
    }
  });
});

function readSafe(f: string): string {
  try {
    return readFileSync(f, 'utf8');
  } catch {
    return '';
  }
}
