import { describe, it } from 'vitest';
import { redisAdapter } from '../../src/adapters/redis/index.js';
import { localRuntime } from '../../src/runtime/local/index.js';
import { latencyCheck } from './proxy-latency.js';

// Redis's clients go through faultline's client-path proxy (DbOptions.clientAddress); replication does not.
const run = latencyCheck(async () => (await localRuntime.unavailable()) ?? (await redisAdapter.unavailable()));

describe('proxy faults in the client path: redis', () => {
  it('latency: every op on the faulted node inside a window takes at least the injected latency', async () => {
    console.log('redis', JSON.stringify(await run({ db: 'redis' })));
  }, 120_000);
});
