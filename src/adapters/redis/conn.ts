import { Redis } from 'ioredis';
import { deadlineOrThrow } from '../deadline.js';

/**
 * A plain connection: no offline queue, no retries, no reconnects, no resending. A command either goes
 * out on a ready socket or is refused before sending, so the client decides fail or info itself.
 */
export async function connect(host: string, port: number, timeoutMs: number): Promise<Redis> {
  const r = new Redis({
    host,
    port,
    lazyConnect: true,
    connectTimeout: Math.max(1, Math.ceil(timeoutMs)),
    enableOfflineQueue: false,
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    reconnectOnError: () => false,
    autoResubscribe: false,
    autoResendUnfulfilledCommands: false,
    keepAlive: 1000,
  });
  // An idle connection whose server dies emits 'error'; without a listener ioredis logs it to stderr.
  // It also keeps the cause (ECONNREFUSED, ...): connect() itself rejects with "Connection is closed.".
  let cause: Error | undefined;
  r.on('error', (e: Error) => {
    cause ??= e;
  });
  try {
    await r.connect();
  } catch (e) {
    r.disconnect();
    throw cause ?? e;
  }
  return r;
}

/** One admin command on a fresh connection, bounded by timeoutMs end to end. */
export async function adminCall(host: string, port: number, args: (string | number)[], timeoutMs = 3000): Promise<unknown> {
  let conn: Redis | undefined;
  let over = false;
  const work = (async () => {
    const c = await connect(host, port, timeoutMs);
    if (over) {
      c.disconnect();
      throw new Error('connected after the deadline');
    }
    conn = c;
    return c.call(String(args[0]), ...args.slice(1).map(String));
  })();
  try {
    return await deadlineOrThrow(work, timeoutMs, () => new Error(`${args.join(' ')} on ${host}:${port} timed out after ${timeoutMs} ms`));
  } finally {
    over = true;
    conn?.disconnect();
  }
}

/** INFO text as a map of field -> value. */
export function parseInfo(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) m.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  return m;
}

/** A flat [field, value, ...] reply (SENTINEL MASTER) as a map. */
export function pairs(reply: unknown): Map<string, string> {
  const m = new Map<string, string>();
  if (Array.isArray(reply)) for (let i = 0; i + 1 < reply.length; i += 2) m.set(String(reply[i]), String(reply[i + 1]));
  return m;
}
