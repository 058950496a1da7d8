import type { BenchCase } from '../types.js';
import { cases as hardkey } from './hardkey.js';
import { cases as linearizability } from './linearizability.js';

/** Every benchmark case, in the order they print. Capabilities add their files here. */
export async function allCases(): Promise<BenchCase[]> {
  const out = [...linearizability, ...hardkey];
  for (const mod of [
    './porcupine.js',
    './replication.js',
    './engine-fake.js',
    './engine.js',
    './engine-mysql.js',
    './engine-cassandra.js',
    './engine-redis.js',
    './runtime.js',
    './report.js',
    './txn.js',
  ]) {
    try {
      const m = (await import(mod)) as { cases?: BenchCase[] };
      out.push(...(m.cases ?? []));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    }
  }
  return out;
}
