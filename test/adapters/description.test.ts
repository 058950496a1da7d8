import { describe, expect, it } from 'vitest';
import { cassandraAdapter } from '../../src/adapters/cassandra/index.js';
import { mysqlAdapter } from '../../src/adapters/mysql/index.js';
import { postgresAdapter } from '../../src/adapters/postgres/index.js';
import { redisAdapter } from '../../src/adapters/redis/index.js';

const adapters = [postgresAdapter, mysqlAdapter, redisAdapter, cassandraAdapter];

describe('adapter descriptions', () => {
  it('every adapter describes itself: a default mode it has, a client port, links and abilities from the known sets', () => {
    for (const a of adapters) {
      const d = a.description;
      expect(a.replicationModes, a.name).toContain(d.defaultReplication);
      expect(Number.isInteger(d.clientPort) && d.clientPort > 0 && d.clientPort < 65536, a.name).toBe(true);
      for (const l of d.proxiedLinks) expect(['client', 'replication'], a.name).toContain(l);
      for (const x of d.abilities) expect(['failover', 'clock'], a.name).toContain(x);
      // A reason is only for an ability it lacks.
      for (const x of Object.keys(d.lacks ?? {})) expect(d.abilities, a.name).not.toContain(x);
    }
  });

  it('keeps the defaults and ports users had: async (Cassandra: quorum), 5432 / 3306 / 6379 / 9042', () => {
    expect(adapters.map((a) => [a.name, a.description.defaultReplication, a.description.clientPort])).toEqual([
      ['postgres', 'async', 5432],
      ['mysql', 'async', 3306],
      ['redis', 'async', 6379],
      ['cassandra', 'quorum', 9042],
    ]);
  });
});
