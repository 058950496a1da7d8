import { describe, expect, it } from 'vitest';
import { cassandraAdapter } from '../../src/adapters/cassandra/index.js';
import { mysqlAdapter } from '../../src/adapters/mysql/index.js';
import { postgresAdapter } from '../../src/adapters/postgres/index.js';
import { redisAdapter } from '../../src/adapters/redis/index.js';
import type { AdapterDescription } from '../../src/adapters/types.js';
import { UsageError } from '../../src/errors.js';
import { faultPackages, refusal, resolvePackages, type DescribedDb } from '../../src/nemesis/index.js';

// Fault packages ask the adapter's description what it can do, never its name: a database is refused
// by the ability it lacks, with its own sentence when it gave one, and accepted when it has them all.

const local = { kind: 'local', capabilities: new Set(['partition', 'kill', 'pause', 'clock', 'loss', 'bandwidth'] as const) };

/** A database that says it can do everything, under any name. */
const full: AdapterDescription = { defaultReplication: 'async', clientPort: 5000, proxiedLinks: ['client', 'replication'], abilities: ['failover', 'clock'] };
const named = (name: string, description: AdapterDescription): DescribedDb => ({ name, description });

/** The message resolvePackages throws for one package, or undefined when it accepts it. */
function refused(pkg: string, db: DescribedDb): string | undefined {
  try {
    resolvePackages(pkg, local, db);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
}

describe('fault packages check the abilities of the adapter', () => {
  it('refuses clock for an adapter lacking the clock ability, in its own words (Redis)', () => {
    expect(refused('clock', redisAdapter)).toBe(
      "nemesis 'clock' is not supported for redis: Redis hangs under libfaketime (its allocator does), so its clock cannot be skewed",
    );
  });

  it('refuses every failover package for an adapter without a primary, in its own words (Cassandra)', () => {
    for (const name of ['failover', 'naive-failover', 'split-brain']) {
      expect(refused(name, cassandraAdapter)).toBe(
        `nemesis '${name}' is not supported for cassandra: Cassandra is masterless (every node accepts writes), so there is no primary to fail over; use kill, pause or partition`,
      );
    }
  });

  it('refuses the proxy packages for an adapter whose client link is not proxied (Cassandra)', () => {
    for (const name of ['latency', 'half-open', 'reset']) {
      expect(refused(name, cassandraAdapter)).toBe(
        `nemesis '${name}' is not supported for cassandra: the cassandra adapter does not route its clients through faultline's proxy yet (DbOptions.clientAddress)`,
      );
    }
  });

  it('accepts every package for an adapter that has every ability the package needs', () => {
    for (const name of Object.keys(faultPackages)) {
      expect(refused(name, postgresAdapter), name).toBeUndefined();
      expect(refused(name, mysqlAdapter), name).toBeUndefined();
    }
    expect(refused('failover', redisAdapter)).toBeUndefined();
    expect(refused('latency', redisAdapter)).toBeUndefined();
    expect(refused('clock', cassandraAdapter)).toBeUndefined();
    expect(refused('partition,kill,pause,loss,bandwidth', cassandraAdapter)).toBeUndefined();
  });

  it('decides by the description, not the name: a lacking ability without a reason gets a generic sentence', () => {
    // Named like a database that has the ability, described without it: refused.
    expect(refused('clock', named('postgres', { ...full, abilities: ['failover'] }))).toBe(
      "nemesis 'clock' is not supported for postgres: the postgres adapter's processes cannot take clock skew",
    );
    expect(refused('failover', named('mysql', { ...full, abilities: ['clock'] }))).toBe(
      "nemesis 'failover' is not supported for mysql: the mysql adapter has no primary to fail over",
    );
    expect(refused('reset', named('postgres', { ...full, proxiedLinks: ['replication'] }))).toMatch(/does not route its clients through faultline's proxy/);
    // Named like a database that lacks it, described with it: accepted.
    expect(refused('clock', named('redis', full))).toBeUndefined();
    expect(refused('failover', named('cassandra', full))).toBeUndefined();
  });

  it('refusal() is the same check, one package at a time', () => {
    expect(refusal(faultPackages.clock!(), redisAdapter)).toMatch(/libfaketime/);
    expect(refusal(faultPackages.kill!(), redisAdapter)).toBeUndefined();
  });
});
