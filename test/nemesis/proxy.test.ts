import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TcpProxy } from '../../src/nemesis/proxy/proxy.js';

// The proxy on loopback in front of a tiny echo server: each fault is applied, measured, and healed.
let echo: Server;
let echoPort: number;
let proxy: TcpProxy;
const open: Socket[] = [];

beforeEach(async () => {
  echo = createServer({ allowHalfOpen: true }, (s) => {
    s.on('error', () => {});
    s.pipe(s);
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
  echoPort = (echo.address() as { port: number }).port;
  proxy = await TcpProxy.start({ listen: { host: '127.0.0.1', port: 0 }, target: { host: '127.0.0.1', port: echoPort } });
});

afterEach(async () => {
  for (const s of open) s.destroy();
  open.length = 0;
  await proxy.close();
  await new Promise((r) => echo.close(r));
});

async function client(): Promise<Socket> {
  const s = connect({ host: '127.0.0.1', port: proxy.address().port, allowHalfOpen: true });
  s.on('error', () => {});
  open.push(s);
  await new Promise<void>((r, j) => {
    s.once('connect', r);
    s.once('error', j);
  });
  return s;
}

/** Sends n bytes and resolves with the ms until all n came back, or undefined after waitMs. */
function roundTrip(s: Socket, n: number, waitMs = 5000): Promise<number | undefined> {
  return new Promise((resolve) => {
    let got = 0;
    const t0 = performance.now();
    const timer = setTimeout(() => {
      s.off('data', on);
      resolve(undefined);
    }, waitMs);
    const on = (b: Buffer) => {
      got += b.length;
      if (got >= n) {
        clearTimeout(timer);
        s.off('data', on);
        resolve(performance.now() - t0);
      }
    };
    s.on('data', on);
    s.write(Buffer.alloc(n, 7));
  });
}

describe('tcp proxy', () => {
  it('forwards without faults, then latency delays every round trip, and the heal restores it', async () => {
    const s = await client();
    // Upper bounds only separate "faulted" from "not" (no speed assertions: the machine may be loaded).
    expect((await roundTrip(s, 100))!).toBeLessThan(150);
    proxy.setFaults({ latencyMs: 100, jitterMs: 20 });
    for (let i = 0; i < 5; i++) {
      const rt = (await roundTrip(s, 100))!;
      // 80..120 ms each way
      expect(rt).toBeGreaterThanOrEqual(160 - 2);
    }
    proxy.setFaults({});
    expect((await roundTrip(s, 100))!).toBeLessThan(150);
  });

  it('keeps order per direction under jitter', async () => {
    proxy.setFaults({ latencyMs: 20, jitterMs: 19 });
    const s = await client();
    const got: number[] = [];
    const done = new Promise<void>((r) =>
      s.on('data', (b: Buffer) => {
        for (const x of b) got.push(x);
        if (got.length === 200) r();
      }),
    );
    for (let i = 0; i < 200; i++) {
      s.write(Buffer.from([i]));
      await new Promise((r) => setImmediate(r));
    }
    await done;
    expect(got).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('half-open: no echo within 300 ms, the socket stays open; healed, data flows again', async () => {
    const s = await client();
    proxy.setFaults({ halfOpen: true });
    let closed = false;
    s.on('close', () => {
      closed = true;
    });
    expect(await roundTrip(s, 10, 300)).toBeUndefined();
    expect(closed).toBe(false);
    expect(s.destroyed).toBe(false);
    expect(proxy.connections).toBe(1);
    proxy.setFaults({});
    expect(await roundTrip(s, 10)).toBeDefined();
  });

  it('reset: open connections see ECONNRESET; refuse resets new ones; healed, new ones work', async () => {
    const s = await client();
    const err = new Promise<string>((r) => {
      s.on('error', (e: NodeJS.ErrnoException) => r(e.code ?? e.message));
      s.on('close', () => r('close'));
    });
    proxy.setFaults({ reset: true, refuse: true });
    expect(['ECONNRESET', 'close']).toContain(await err);
    expect(proxy.connections).toBe(0);
    const s2 = connect({ host: '127.0.0.1', port: proxy.address().port });
    open.push(s2);
    const r2 = await new Promise<string>((r) => {
      s2.on('error', (e: NodeJS.ErrnoException) => r(e.code ?? e.message));
      s2.on('close', () => r('close'));
    });
    expect(['ECONNRESET', 'close']).toContain(r2);
    proxy.setFaults({});
    const s3 = await client();
    expect(await roundTrip(s3, 10)).toBeDefined();
  });

  it('bandwidth: 200 KB through a 100 KB/s cap takes >= 1.5 s (one direction, then echoed)', async () => {
    const s = await client();
    proxy.setFaults({ bandwidthBps: 100_000 });
    const rt = (await roundTrip(s, 200_000, 10_000))!;
    // Each direction is capped at 100 KB/s and paced; both directions run concurrently, so ~2 s.
    expect(rt).toBeGreaterThanOrEqual(1500);
    proxy.setFaults({});
    expect((await roundTrip(s, 200_000))!).toBeLessThan(1500);
  }, 20_000);

  it('slow close: the FIN reaches the server N ms late; data before it is not delayed', async () => {
    let serverEnd = 0;
    await new Promise((r) => echo.close(r));
    echo = createServer({ allowHalfOpen: true }, (s) => {
      s.on('error', () => {});
      s.on('end', () => {
        serverEnd = performance.now();
        s.end();
      });
      s.resume();
    });
    await new Promise<void>((r) => echo.listen(echoPort, '127.0.0.1', () => r()));
    proxy.setFaults({ slowCloseMs: 300 });
    const s = await client();
    const closed = new Promise<void>((r) => s.on('close', () => r()));
    const t0 = performance.now();
    s.end();
    await closed;
    expect(serverEnd - t0).toBeGreaterThanOrEqual(300 - 2);
  });
});
