import type { Redis } from 'ioredis';

/** What one op returned: ok, fail (certainly no effect: a cas whose guard did not hold), or info (a WAIT short of replicas). */
export type OpResult = { type: 'ok'; value: unknown } | { type: 'fail' | 'info'; value: unknown; error: string };

/** After a write in `wait` mode: WAIT for this many replicas, at most timeoutMs. */
export interface WaitFor {
  replicas: number;
  timeoutMs: number;
}

export interface WorkloadOps {
  /** fs that change data: sent to the primary; everything else is a read. */
  writes: ReadonlySet<string>;
  run(r: Redis, f: string, value: unknown, wait?: WaitFor): Promise<OpResult>;
}

const ok = (value: unknown): OpResult => ({ type: 'ok', value });
const fail = (value: unknown, error: string): OpResult => ({ type: 'fail', value, error });

function pair(value: unknown, f: string): [number, unknown] {
  if (!Array.isArray(value) || value.length !== 2) throw new Error(`${f}: expected [key, value], got ${JSON.stringify(value)}`);
  return [Number(value[0]), value[1]];
}

/** Acknowledges a write that is applied on the primary: ok, or info when WAIT counts fewer replicas than asked. */
async function acked(r: Redis, value: unknown, wait?: WaitFor): Promise<OpResult> {
  if (!wait || wait.replicas === 0) return ok(value);
  const n = Number(await r.call('WAIT', String(wait.replicas), String(wait.timeoutMs)));
  if (n >= wait.replicas) return ok(value);
  return {
    type: 'info',
    value,
    error: `WAIT: ${n} of ${wait.replicas} replicas acknowledged within ${wait.timeoutMs} ms (the write is on the primary; it may be lost)`,
  };
}

// GET, compare, SET: the script writes last, so an error in it leaves nothing behind.
const CAS = "local v = redis.call('GET', KEYS[1]) if v == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return 1 end return 0";

/** Registers r:k: read [k, nil] -> [k, v|null], write [k, v] (SET), cas [k, [v, v']] (Lua; 0 = fail). */
const register: WorkloadOps = {
  writes: new Set(['write', 'cas']),
  async run(r, f, value, wait) {
    const [k, v] = pair(value, f);
    const key = `r:${k}`;
    if (f === 'read') {
      const got = await r.get(key);
      return ok([k, got === null ? null : Number(got)]);
    }
    if (f === 'write') {
      await r.set(key, String(v));
      return acked(r, value, wait);
    }
    if (f === 'cas') {
      const [from, to] = v as [number, number];
      const done = Number(await r.eval(CAS, 1, key, String(from), String(to)));
      return done === 1 ? acked(r, value, wait) : fail(value, `cas: register ${k} was not ${from}`);
    }
    return fail(value, `register: unknown op ${f}`);
  },
};

/** Lists l:k: append [k, e] (RPUSH), read [k, nil] -> [k, list] (LRANGE 0 -1; a missing key is []). */
const append: WorkloadOps = {
  writes: new Set(['append']),
  async run(r, f, value, wait) {
    const [k, e] = pair(value, f);
    const key = `l:${k}`;
    if (f === 'read') return ok([k, (await r.lrange(key, 0, -1)).map(Number)]);
    if (f === 'append') {
      await r.rpush(key, String(e));
      return acked(r, value, wait);
    }
    return fail(value, `append: unknown op ${f}`);
  },
};

/** One set key: add e (SADD; re-adding is harmless), read -> sorted elements (SMEMBERS). */
const set: WorkloadOps = {
  writes: new Set(['add']),
  async run(r, f, value, wait) {
    if (f === 'read') return ok((await r.smembers('s')).map(Number).sort((a, b) => a - b));
    if (f === 'add') {
      await r.sadd('s', String(Number(value)));
      return acked(r, value, wait);
    }
    return fail(value, `set: unknown op ${f}`);
  },
};

export const WORKLOADS: Readonly<Record<string, WorkloadOps>> = { register, append, set };
