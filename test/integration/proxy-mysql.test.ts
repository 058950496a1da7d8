import { describe, it } from 'vitest';
import { mysqlAdapter } from '../../src/adapters/mysql/index.js';
import { localRuntime } from '../../src/runtime/local/index.js';
import { latencyCheck } from './proxy-latency.js';

// MySQL's clients go through faultline's client-path proxy (DbOptions.clientAddress); replication does not.
const run = latencyCheck(async () => (await localRuntime.unavailable()) ?? (await mysqlAdapter.unavailable()));

describe('proxy faults in the client path: mysql', () => {
  it('latency: every op on the faulted node inside a window takes at least the injected latency', async () => {
    console.log('mysql', JSON.stringify(await run({ db: 'mysql' })));
  }, 120_000);
});
