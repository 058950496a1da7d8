import { redisAdapter } from '../../src/adapters/redis/index.js';
import { connect } from '../../src/adapters/redis/conn.js';
import { PORT } from '../../src/adapters/redis/settings.js';
import { WORKLOADS as REDIS_OPS } from '../../src/adapters/redis/workloads.js';
import type { BenchCase } from '../types.js';
import { engineCase } from './engine-common.js';

type Conn = Awaited<ReturnType<typeof connect>>;

/**
 * Redis: the raw loop runs the same register commands (GET, SET, the cas script) on plain ioredis
 * connections. Redis answers in microseconds, so this ratio shows faultline's own cost per op most starkly.
 */
const redis = (concurrency: number): BenchCase =>
  engineCase({
    raw: 'raw ioredis loop',
    adapter: redisAdapter,
    replication: 'async',
    concurrency,
    async openRaw(cluster) {
      const conns: Conn[] = [];
      return {
        async worker() {
          const c = await connect(cluster.nodes[0]!.endpoint(PORT).host, cluster.nodes[0]!.endpoint(PORT).port, 5000);
          conns.push(c);
          return (f, value) => REDIS_OPS.register!.run(c, f, value);
        },
        close: () => conns.forEach((c) => c.disconnect()),
      };
    },
  });

export const cases: BenchCase[] = [redis(10), redis(50)];
