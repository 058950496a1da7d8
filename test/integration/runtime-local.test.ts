// Integration tests of the local runtime on real network namespaces (root only; skipped otherwise).
// They talk only to loopback and to addresses inside namespaces they create.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, liveClusters, localRuntime, shortId } from '../../src/runtime/local/index.js';
import { unregister } from '../../src/runtime/local/signals.js';
import { unavailable as unavailableFor } from '../../src/runtime/local/unavailable.js';
import { read as readRecord, STATE_DIR } from '../../src/runtime/local/state.js';
import type { Cluster, RuntimeNode, Service } from '../../src/runtime/types.js';

const sh = promisify(execFile);
const unavailable = await localRuntime.unavailable();
const uniq = (tag: string): string => `test-${tag}-${process.pid}-${Date.now()}-${Math.random().toString(16).slice(2, 8)}`;

/** Everything on the host that carries this run's short id: namespaces, links, FORWARD rules. */
async function traces(runId: string): Promise<string[]> {
  const id = shortId(runId);
  const [ns, links, fwd] = await Promise.all([sh('ip', ['netns', 'list']), sh('ip', ['-o', 'link', 'show']), sh('iptables', ['-w', '-S', 'FORWARD'])]);
  return [ns.stdout, links.stdout, fwd.stdout]
    .join('\n')
    .split('\n')
    .filter((l) => l.includes(id));
}

/** PIDs of processes still in any namespace of this run (namespace gone: none can be left in it). */
async function nsPids(runId: string, nodes: number): Promise<number[]> {
  const id = shortId(runId);
  const out: number[] = [];
  for (let i = 1; i <= nodes; i++) {
    const r = await sh('ip', ['netns', 'pids', `fl-${id}-n${i}`]).catch(() => ({ stdout: '' }));
    out.push(...r.stdout.split(/\s+/).filter(Boolean).map(Number));
  }
  return out;
}

/** A tiny TCP server in a node that answers "pong" and closes. */
const SERVER = `require('net').createServer((s) => s.end('pong')).listen(7000, '0.0.0.0', () => console.log('listening'))`;
/** Connects from a node; prints ok or the error, within 800 ms. */
const CLIENT = `const s = require('net').connect(7000, process.argv[1]); let d = '';
s.setTimeout(800, () => { console.log('timeout'); process.exit(0); });
s.on('data', (b) => d += b); s.on('end', () => { console.log(d === 'pong' ? 'ok' : 'bad:' + d); process.exit(0); });
s.on('error', (e) => { console.log('error ' + e.code); process.exit(0); });`;

async function reach(from: RuntimeNode, ip: string): Promise<string> {
  const r = await from.exec([process.execPath, '-e', CLIENT, ip], { timeoutMs: 5000 });
  return r.stdout.trim();
}

function reachFromHost(ip: string): Promise<string> {
  return new Promise((res) => {
    const s = createConnection(7000, ip);
    let d = '';
    s.setTimeout(800, () => {
      s.destroy();
      res('timeout');
    });
    s.on('data', (b) => {
      d += b;
    });
    s.on('end', () => res(d === 'pong' ? 'ok' : `bad:${d}`));
    s.on('error', (e: NodeJS.ErrnoException) => res(`error ${e.code}`));
  });
}

async function waitFor<T>(what: string, f: () => T | Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v) || Date.now() > end) {
      if (!ok(v)) throw new Error(`timed out waiting for ${what}: last ${String(v)}`);
      return v;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

// CI runs these as root: a machine that cannot is a failure, never a silent skip.
if (unavailable !== undefined) throw new Error(`the local runtime integration tests cannot run here: ${unavailable}`);

describe('runtime local (real namespaces)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-local-'));
  const runId = uniq('main');
  let cluster: Cluster;
  const services: Service[] = [];

  beforeAll(async () => {
    cluster = await localRuntime.up({ runId, dir, nodes: 3 });
  });

  afterEach(async () => {
    await cluster?.healAll();
    await Promise.all(services.splice(0).map((s) => s.stop(500)));
  });

  afterAll(async () => {
    await cluster?.down().catch(() => undefined);
    await cleanup({ runId });
    rmSync(dir, { recursive: true, force: true });
  });

  // How fast up(), partition, heal, kill -9 and down() are is printed by the bench (bench/cases/runtime-local.ts).
  it('brings up 3 named nodes on a private /24', async () => {
    expect(cluster.nodes.map((n) => n.name)).toEqual(['n1', 'n2', 'n3']);
    const prefix = cluster.hostIp.replace(/\.1$/, '');
    expect(cluster.hostIp).toMatch(/^10\.77\.\d+\.1$/);
    expect(cluster.nodes.map((n) => n.ip)).toEqual([`${prefix}.11`, `${prefix}.12`, `${prefix}.13`]);
    expect(liveClusters()).toContain(cluster);
    for (const l of await traces(runId)) expect(l.length).toBeGreaterThan(0);
    expect((await traces(runId)).join('\n')).toMatch(/-A FORWARD -i flb-\w+ -o flb-\w+ -j ACCEPT/);
  });

  it('exec runs inside the node: ip -4 addr shows its address and nothing of the host', async () => {
    const r = await cluster.nodes[1]!.exec(['ip', '-4', 'addr']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`inet ${cluster.nodes[1]!.ip}/24`);
    expect(r.stdout).not.toContain(cluster.nodes[0]!.ip + '/');
    const bad = await cluster.nodes[0]!.exec(['sh', '-c', 'exit 3']);
    expect(bad.code).toBe(3);
  });

  it('exec and spawn as another user go through setpriv; the child PID is the service itself', async () => {
    const r = await cluster.nodes[0]!.exec(['id', '-u'], { user: 'nobody' });
    expect(r.stdout.trim()).toBe('65534');
    const n = cluster.nodes[0]!;
    const s = await n.spawn({ name: 'sleep', argv: ['sleep', '1000'], user: 'nobody', logFile: join(n.dir, 'sleep.log') });
    services.push(s);
    await waitFor(
      'exec into sleep',
      () => readFileSync(`/proc/${s.pid}/comm`, 'utf8').trim(),
      (c) => c === 'sleep',
    );
    expect(readFileSync(`/proc/${s.pid}/status`, 'utf8')).toMatch(/^Uid:\s+65534\s/m);
    expect((await sh('ip', ['netns', 'identify', String(s.pid)])).stdout.trim()).toBe(`fl-${shortId(runId)}-n1`);
  });

  it('a node reaches another and the host reaches it; partition blocks, heal restores', async () => {
    const [n1, n2, n3] = cluster.nodes as [RuntimeNode, RuntimeNode, RuntimeNode];
    const log = join(n2.dir, 'server.log');
    services.push(await n2.spawn({ name: 'server', argv: [process.execPath, '-e', SERVER], logFile: log }));
    await waitFor(
      'server',
      () => {
        try {
          return readFileSync(log, 'utf8');
        } catch {
          return '';
        }
      },
      (t) => t.includes('listening'),
    );
    expect(await reach(n1, n2.ip)).toBe('ok');
    expect(await reachFromHost(n2.ip)).toBe('ok');

    await n1.partition([n2.ip]);
    expect(await reach(n1, n2.ip)).toBe('timeout');
    expect(await reach(n3, n2.ip)).toBe('ok'); // only n1 <-> n2 is cut
    await n1.healPartition();
    expect(await reach(n1, n2.ip)).toBe('ok');
    // Heal flushes only the partition layer's chain; the jumps to it stay, nothing else in the tables is touched.
    const rules = (await n1.exec(['iptables', '-S'])).stdout;
    expect(rules).toContain('-N FAULTLINE-PART');
    expect(rules).not.toContain('FAULTLINE-LOSS'); // a layer never used is never created
    expect(rules).not.toContain('DROP');
  });

  it('loss(1.0) drops everything, healLoss restores; bandwidth installs a tbf qdisc that healAll removes', async () => {
    const [n1, n2] = cluster.nodes as [RuntimeNode, RuntimeNode];
    const log = join(n2.dir, 'server2.log');
    services.push(await n2.spawn({ name: 'server', argv: [process.execPath, '-e', SERVER], logFile: log }));
    await waitFor(
      'server',
      () => {
        try {
          return readFileSync(log, 'utf8');
        } catch {
          return '';
        }
      },
      (t) => t.includes('listening'),
    );
    await n2.loss(1.0);
    expect(await reach(n1, n2.ip)).toBe('timeout');
    expect(await reachFromHost(n2.ip)).toBe('timeout');
    await n2.healLoss();
    expect(await reach(n1, n2.ip)).toBe('ok');

    await n1.bandwidth(512);
    const dev = `fle${shortId(runId)}n1`;
    expect((await n1.exec(['tc', 'qdisc', 'show', 'dev', dev])).stdout).toMatch(/tbf .*rate 512Kbit/);
    expect(await reach(n1, n2.ip)).toBe('ok');
    await cluster.healAll();
    expect((await n1.exec(['tc', 'qdisc', 'show', 'dev', dev])).stdout).not.toContain('tbf');
  });

  it('clock offset moves date in a clock: true service, both at start and while it runs', async () => {
    const n3 = cluster.nodes[2]!;
    await n3.setClockOffset(3600);
    const log = join(n3.dir, 'date.log');
    const d = await n3.spawn({ name: 'date', argv: ['date', '+%s'], clock: true, logFile: log });
    await d.exited;
    const shifted = Number(readFileSync(log, 'utf8').trim()) - Date.now() / 1000;
    expect(shifted).toBeGreaterThan(3590);
    expect(shifted).toBeLessThan(3610);

    await n3.setClockOffset(0);
    const tick = join(n3.dir, 'tick.log');
    const s = await n3.spawn({
      name: 'tick',
      clock: true,
      logFile: tick,
      user: 'nobody',
      argv: [process.execPath, '-e', 'setInterval(() => console.log(Math.round(Date.now() / 1000)), 100)'],
    });
    services.push(s);
    const last = (): number => Number(readFileSync(tick, 'utf8').trim().split('\n').pop() || 0) - Date.now() / 1000;
    await waitFor('first tick', last, (v) => Math.abs(v) < 5).catch((e: Error) => {
      throw new Error(`${e.message}; service log: ${readFileSync(tick, 'utf8')}`);
    });
    await n3.setClockOffset(-600);
    await waitFor('clock to move back', last, (v) => v < -590 && v > -610, 4000);
    await cluster.healAll(); // healAll resets the clock too
    await waitFor('clock to come back', last, (v) => Math.abs(v) < 5, 4000);
    expect(Math.abs(Date.now() / 1000 - Number((await sh('date', ['+%s'])).stdout))).toBeLessThan(5); // host clock untouched
  });

  it('kill -9 of a spawned service resolves exited with SIGKILL', async () => {
    const n = cluster.nodes[0]!;
    const s = await n.spawn({ name: 'sleep', argv: ['sleep', '1000'], logFile: join(n.dir, 'k.log') });
    services.push(s);
    await waitFor(
      'exec into sleep',
      () => readFileSync(`/proc/${s.pid}/comm`, 'utf8').trim(),
      (c) => c === 'sleep',
    );
    expect(s.running()).toBe(true);
    process.kill(s.pid, 'SIGKILL');
    const exit = await s.exited;
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(s.running()).toBe(false);
  });

  it('stop() ends a paused service (SIGCONT before SIGTERM) without waiting for the grace', async () => {
    const n = cluster.nodes[0]!;
    const s = await n.spawn({ name: 'sleep', argv: ['sleep', '1000'], logFile: join(n.dir, 'p.log') });
    await waitFor(
      'exec into sleep',
      () => readFileSync(`/proc/${s.pid}/comm`, 'utf8').trim(),
      (c) => c === 'sleep',
    );
    s.signal('SIGSTOP');
    await waitFor(
      'stopped',
      () => readFileSync(`/proc/${s.pid}/stat`, 'utf8').split(') ')[1]![0],
      (c) => c === 'T',
    );
    const grace = 10_000;
    const t0 = performance.now();
    await s.stop(grace);
    // Behaviour, not speed: a paused service not sent SIGCONT would sit out the whole grace, then be killed.
    expect(performance.now() - t0).toBeLessThan(grace / 2);
    expect((await s.exited).signal).toBe('SIGTERM');
  });

  it('down() removes namespaces, veths, bridge, FORWARD rule and every process, and is idempotent', async () => {
    const [n1, n2] = cluster.nodes as [RuntimeNode, RuntimeNode];
    // A service that ignores SIGTERM (needs the SIGKILL after the grace), a paused one, a partition,
    // and a process that escaped us (reparented to init) but still lives in the namespace.
    await n1.spawn({ name: 'stubborn', argv: ['sh', '-c', "trap '' TERM; while :; do sleep 1; done"], logFile: join(n1.dir, 's.log') });
    const paused = await n2.spawn({ name: 'paused', argv: ['sleep', '1000'], logFile: join(n2.dir, 'q.log') });
    paused.signal('SIGSTOP');
    await n1.exec(['sh', '-c', 'sleep 1000 >/dev/null 2>&1 &']);
    await n1.partition([n2.ip]);
    expect((await nsPids(runId, 3)).length).toBeGreaterThanOrEqual(3);

    await cluster.down();
    await cluster.down(); // idempotent
    expect(await traces(runId)).toEqual([]);
    expect(await nsPids(runId, 3)).toEqual([]);
    expect(liveClusters()).not.toContain(cluster);
    expect(readRecord(shortId(runId))).toBeUndefined();
  });
});

/**
 * The kill -9 case for real: a separate Node process brings a cluster up (the runtime's own code,
 * transpiled from src), starts a service and an escaped process, and is killed with SIGKILL. cleanup()
 * must then find and remove everything by the run id.
 */
describe('runtime local cleanup', () => {
  const work = mkdtempSync(join(tmpdir(), 'faultline-cleanup-'));
  const started: string[] = [];

  /**
   * Transpiles src/runtime/local/*.ts and the runtime-wide modules it imports (src/runtime/*.ts: node: imports
   * and type-only imports only) to plain JS for the child.
   */
  function transpile(): string {
    for (const [src, out] of [
      [resolve('src/runtime/local'), join(work, 'local')],
      [resolve('src/runtime'), work],
    ] as const) {
      mkdirSync(out, { recursive: true });
      for (const f of readdirSync(src).filter((f) => f.endsWith('.ts'))) {
        const js = ts.transpileModule(readFileSync(join(src, f), 'utf8'), {
          compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
        }).outputText;
        writeFileSync(join(out, basename(f, '.ts') + '.js'), js);
      }
    }
    writeFileSync(join(work, 'package.json'), '{"type":"module"}');
    return join(work, 'local', 'index.js');
  }

  afterAll(async () => {
    for (const runId of started) await cleanup({ runId }).catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  });

  it('removes what a run killed by kill -9 left behind, found by its run id', async () => {
    const index = transpile();
    const runId = uniq('crash');
    started.push(runId);
    const driver = join(work, 'driver.mjs');
    writeFileSync(
      driver,
      `
      import { localRuntime } from ${JSON.stringify(index)};
      const c = await localRuntime.up({ runId: ${JSON.stringify(runId)}, dir: ${JSON.stringify(join(work, 'run'))}, nodes: 2 });
      await c.nodes[0].spawn({ name: 'sleep', argv: ['sleep', '1000'], logFile: ${JSON.stringify(join(work, 'sleep.log'))} });
      await c.nodes[1].exec(['sh', '-c', 'sleep 1000 >/dev/null 2>&1 &']);
      await c.nodes[1].partition([c.nodes[0].ip]);
      console.log('ready');
      setInterval(() => {}, 1000);
    `,
    );
    const child = spawn(process.execPath, [driver], { stdio: ['ignore', 'pipe', 'inherit'] });
    const gone = new Promise((r) => child.once('exit', r));
    try {
      await new Promise<void>((res, rej) => {
        child.stdout.on('data', (b: Buffer) => {
          if (b.toString().includes('ready')) res();
        });
        child.once('exit', (code) => rej(new Error(`driver exited early (${code})`)));
      });
    } finally {
      child.kill('SIGKILL');
      await gone;
    }
    expect((await traces(runId)).length).toBeGreaterThan(0);
    expect((await nsPids(runId, 2)).length).toBe(2); // the service (now orphaned) and the escaped sleep
    expect(readRecord(shortId(runId))?.pid).toBe(child.pid);

    const removed = await cleanup({ runId });
    const id = shortId(runId);
    expect(removed).toEqual(
      expect.arrayContaining([
        `netns fl-${id}-n1`,
        `netns fl-${id}-n2`,
        `veth flv${id}n1`,
        `veth flv${id}n2`,
        `bridge flb-${id}`,
        `iptables rule -A FORWARD -i flb-${id} -o flb-${id} -j ACCEPT`,
        `state record ${id}`,
        `2 rule(s) in chain FAULTLINE-PART in fl-${id}-n2`, // the crashed run's partition, healed before the namespace goes
      ]),
    );
    expect(removed.filter((r) => r.startsWith('process '))).toHaveLength(2);
    expect(await traces(runId)).toEqual([]);
    expect(await nsPids(runId, 2)).toEqual([]);
    expect(await cleanup({ runId })).toEqual([]); // nothing left the second time
  });

  it('cleanup() without a run id spares a live cluster and removes one whose owner is dead', async () => {
    const liveId = uniq('live');
    const deadId = uniq('dead');
    started.push(liveId, deadId);
    const live = await localRuntime.up({ runId: liveId, dir: join(work, 'live'), nodes: 1 });
    const dead = await localRuntime.up({ runId: deadId, dir: join(work, 'dead'), nodes: 1 });
    try {
      // Make `dead` look like a crashed run's leftovers: not in this process's registry, owner PID gone.
      unregister(dead);
      const exited = spawn('true');
      await new Promise((r) => exited.once('exit', r));
      const file = join(STATE_DIR, `${shortId(deadId)}.json`);
      writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), pid: exited.pid }));

      const removed = await cleanup();
      expect(removed).toContain(`bridge flb-${shortId(deadId)}`);
      expect(removed.some((r) => r.includes(shortId(liveId)))).toBe(false);
      expect(await traces(deadId)).toEqual([]);
      expect((await traces(liveId)).length).toBeGreaterThan(0);
    } finally {
      await live.down();
      await dead.down();
    }
    expect(await traces(liveId)).toEqual([]);
  });

  it('SIGINT tears down a cluster with a partition and a paused service; a second SIGINT does not abort it', async () => {
    const index = transpile();
    const runId = uniq('sigint');
    started.push(runId);
    const driver = join(work, 'sigint.mjs');
    writeFileSync(
      driver,
      `
      import { localRuntime, installSignalTeardown } from ${JSON.stringify(index)};
      installSignalTeardown();
      const c = await localRuntime.up({ runId: ${JSON.stringify(runId)}, dir: ${JSON.stringify(join(work, 'sig'))}, nodes: 2 });
      const s = await c.nodes[0].spawn({ name: 'sleep', argv: ['sleep', '1000'], logFile: ${JSON.stringify(join(work, 'sig.log'))} });
      s.signal('SIGSTOP');
      await c.nodes[1].partition([c.nodes[0].ip]);
      console.log('ready');
      setInterval(() => {}, 1000);
    `,
    );
    const child = spawn(process.execPath, [driver], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => {
      err += b;
    });
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      await new Promise<void>((res, rej) => {
        child.stdout.on('data', (b: Buffer) => {
          if (b.toString().includes('ready')) res();
        });
        child.once('exit', (code) => rej(new Error(`driver exited early (${code}): ${err}`)));
      });
      child.kill('SIGINT');
      await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGINT');
      expect(await exit).toBe(130);
    } finally {
      child.kill('SIGKILL');
    }
    expect(err).toMatch(/SIGINT: healing faults and tearing down 1 cluster/);
    expect(err).toMatch(/SIGINT again: still healing/);
    expect(await traces(runId)).toEqual([]);
    expect(await nsPids(runId, 2)).toEqual([]);
  });

  it('a failed up() removes what it created and says which step failed', async () => {
    const runId = uniq('fail');
    started.push(runId);
    const id = shortId(runId);
    // Occupy the name of n2's host veth, so up() fails half way (bridge, rule and n1 already exist).
    await sh('ip', ['link', 'add', `flv${id}n2`, 'type', 'bridge']);
    try {
      const err = await localRuntime.up({ runId, dir: join(work, 'fail'), nodes: 3 }).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err?.message).toMatch(new RegExp(`bringing up 3 node\\(s\\) for run '${runId}'.*failed: \`ip link add flv${id}n2 type veth`));
      expect(await traces(runId)).toEqual([]);
      expect(readRecord(id)).toBeUndefined();
      expect(liveClusters().some((c) => c.runId === runId)).toBe(false);
    } finally {
      await sh('ip', ['link', 'del', `flv${id}n2`]).catch(() => undefined);
    }
  });

  it('refuses the same run id twice while the first cluster is up', async () => {
    const runId = uniq('twice');
    started.push(runId);
    const c = await localRuntime.up({ runId, dir: join(work, 'twice'), nodes: 1 });
    try {
      await expect(localRuntime.up({ runId, dir: join(work, 'twice2'), nodes: 1 })).rejects.toThrow(/already in use by live process/);
    } finally {
      await c.down();
    }
    expect(await traces(runId)).toEqual([]);
  });
});

describe('runtime local without root', () => {
  // Tests run as root; the check takes the uid, so the non-root answer is asked for directly.
  it('says it needs root and what to do instead', async () => {
    expect(await unavailableFor(65534)).toMatch(/^the local runtime needs root \(network namespaces, iptables\); run as root/);
    expect(await unavailableFor(0)).toBeUndefined();
  });
});
