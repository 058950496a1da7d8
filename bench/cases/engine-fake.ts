import { once } from 'node:events';
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Client, Completion } from '../../src/adapters/types.js';
import { timeLimit, WORKLOADS } from '../../src/generators/index.js';
import { HistoryWriter } from '../../src/history/writer.js';
import type { BenchCase } from '../types.js';
import { countWrites, cpuUs, rawLoop, timeEngine, type RawLoop } from './engine-common.js';

const SECONDS = 3;

/**
 * The run engine's own CPU per op with no database: a fake client whose "server" answers each op
 * either on the next check phase (setImmediate, one callback per op) or over a loopback TCP
 * connection per client thread to an echo server in this process (answers arrive in the poll phase,
 * as a database's do). The raw loop drives the same fake the same way; the engine's own CPU per op is
 * the difference of the two (the fake's own cost, server included, is on both sides).
 */
const fakeCase = (transport: 'immediate' | 'tcp', concurrency: number): BenchCase => ({
  name: `engine vs raw fake loop (${transport}), register, concurrency ${concurrency}`,
  async run(dir) {
    const server = transport === 'tcp' ? await echoServer() : undefined;
    const port = server ? (server.address() as { port: number }).port : 0;
    const sockets: Socket[] = [];
    const call = async (): Promise<(f: string, value: unknown) => Promise<Completion>> => {
      if (transport === 'immediate') return (_f, value) => new Promise((r) => setImmediate(() => r({ type: 'ok', value, node: 'n1' })));
      const s = netConnect(port, '127.0.0.1');
      s.setNoDelay(true);
      await once(s, 'connect');
      sockets.push(s);
      let waiting: ((c: Completion) => void) | undefined;
      let value: unknown;
      s.on('data', () => {
        const w = waiting!;
        waiting = undefined;
        w({ type: 'ok', value, node: 'n1' });
      });
      return (_f, v) =>
        new Promise((r) => {
          waiting = r;
          value = v;
          s.write('x');
        });
    };
    try {
      const raw: RawLoop = { worker: async () => await call(), close() {} };
      const rawCpu0 = process.cpuUsage();
      const rawOps = await rawLoop(raw, concurrency, SECONDS);
      const rawCpu = cpuUs(process.cpuUsage(rawCpu0));
      const writer = new HistoryWriter(join(dir, 'history.jsonl'));
      const writes = countWrites(writer);
      const { r, cpu: engineCpu } = await timeEngine(
        timeLimit(SECONDS * 1e9, WORKLOADS.register!().generator),
        async (): Promise<Client> => {
          const invoke = await call();
          return { invoke: (f, value) => invoke(f, value), close: async () => {} };
        },
        concurrency,
        writer,
      );
      writer.close();
      const rawPerOp = rawCpu / rawOps;
      const enginePerOp = engineCpu / r.invoked;
      return {
        ops: r.written,
        note:
          `engine ${(r.invoked / SECONDS).toFixed(0)} ops/s, raw ${(rawOps / SECONDS).toFixed(0)} ops/s, ratio ${((r.invoked / rawOps) * 100).toFixed(0)}%; ` +
          `CPU per op: engine ${enginePerOp.toFixed(2)} us, raw ${rawPerOp.toFixed(2)} us, engine's own ${(enginePerOp - rawPerOp).toFixed(2)} us; ${(r.written / writes.n).toFixed(1)} lines per write`,
      };
    } finally {
      for (const s of sockets) s.destroy();
      server?.close();
    }
  },
});

/** Echoes every chunk back: one answer per request, since each connection has one request in flight. */
async function echoServer(): Promise<Server> {
  const server = createServer((s) => {
    s.setNoDelay(true);
    s.on('data', (d) => s.write(d));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

export const cases: BenchCase[] = [fakeCase('immediate', 10), fakeCase('tcp', 10), fakeCase('tcp', 50)];
