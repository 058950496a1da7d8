import { describe, expect, it } from 'vitest';
import { adapterByName, adapterNames } from '../../src/adapters/index.js';
import { UsageError } from '../../src/errors.js';

// One registry names every adapter: the run resolves --db through it and the flag takes its choices from it.
describe('the adapter registry', () => {
  it('names the four databases, and loads each lazily by its name', async () => {
    expect(adapterNames).toEqual(['postgres', 'mysql', 'redis', 'cassandra']);
    for (const name of adapterNames) expect((await adapterByName(name)).name).toBe(name);
  });

  it('refuses a name no adapter has, listing the ones there are', async () => {
    await expect(adapterByName('etcd')).rejects.toThrow(UsageError);
    await expect(adapterByName('etcd')).rejects.toThrow("unknown database 'etcd'; databases: postgres, mysql, redis, cassandra");
    await expect(adapterByName('__proto__')).rejects.toThrow(UsageError);
  });
});
