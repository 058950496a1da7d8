import { describe, expect, it } from 'vitest';
import { certainlyNotApplied, connectionSurvives } from '../../../src/adapters/mysql/errors.js';
import { FLAVOURS, progress } from '../../../src/adapters/mysql/flavour.js';
import { serverArgs } from '../../../src/adapters/mysql/settings.js';
import type { RuntimeNode } from '../../../src/runtime/types.js';

describe('mysql flavour table', () => {
  it('measures how far a MariaDB GTID position or a MySQL GTID set reaches', () => {
    expect(progress('mariadb', '')).toBe(0);
    expect(progress('mariadb', '0-1-42')).toBe(42);
    expect(progress('mariadb', '0-2-50')).toBeGreaterThan(progress('mariadb', '0-1-49'));
    expect(progress('mysql', '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5')).toBe(5);
    expect(progress('mysql', '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7-9,\n4e11fa47-71ca-11e1-9e33-c80aa9429562:1')).toBe(9);
  });

  it("uses each flavour's replication statements", () => {
    expect(FLAVOURS.mariadb.changePrimary('10.77.3.12', 3306, 'faultline')).toMatch(/^CHANGE MASTER TO .*MASTER_USE_GTID=slave_pos.*MASTER_CONNECT_RETRY=1/);
    expect(FLAVOURS.mysql.changePrimary('10.77.3.12', 3306, 'faultline')).toMatch(/^CHANGE REPLICATION SOURCE TO .*SOURCE_AUTO_POSITION=1/);
    expect(FLAVOURS.mariadb.startReplica).toBe('START SLAVE');
    expect(FLAVOURS.mysql.startReplica).toBe('START REPLICA');
  });

  it('turns semi-sync waiting on only on the primary, and read_only only on replicas', () => {
    const node = { name: 'n2', ip: '10.77.3.12', dir: '/x/n2' } as RuntimeNode;
    const paths = { data: '/x/n2/d', socket: '/x/n2/s', pidFile: '/x/n2/p' };
    const replica = serverArgs({ flavour: 'mariadb', node, serverId: 2, paths, mode: 'semi-sync', readOnly: true });
    const primary = serverArgs({ flavour: 'mariadb', node, serverId: 2, paths, mode: 'semi-sync', readOnly: false });
    expect(replica).toContain('--read-only=1');
    expect(replica).toContain('--rpl-semi-sync-slave-enabled=1');
    expect(replica.some((a) => a.startsWith('--rpl-semi-sync-master-enabled'))).toBe(false);
    expect(primary).toContain('--rpl-semi-sync-master-enabled=1');
    expect(primary).not.toContain('--read-only=1');
    expect(primary).toContain('--no-defaults');
  });
});

describe('mysql error mapping', () => {
  const err = (errno: number, fatal = false) => Object.assign(new Error(`e${errno}`), { errno, fatal });
  it('is fail only when certainly not applied', () => {
    expect(certainlyNotApplied(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', errno: -111 }), 'connect')).toBe(true);
    for (const n of [1290, 1062, 1213, 1205]) expect(certainlyNotApplied(err(n), 'query')).toBe(true);
    expect(certainlyNotApplied(new Error("Can't add new command when connection is in closed state"), 'query')).toBe(true);
    expect(
      certainlyNotApplied(
        Object.assign(new Error('Connection lost: The server closed the connection.'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true }),
        'query',
      ),
    ).toBe(false);
    expect(certainlyNotApplied(err(2013, true), 'query')).toBe(false);
    expect(certainlyNotApplied(err(1927), 'query')).toBe(false);
  });
  it('keeps a connection after a plain SQL error only', () => {
    expect(connectionSurvives(err(1062))).toBe(true);
    expect(connectionSurvives(err(1927))).toBe(false);
    expect(connectionSurvives(err(2013, true))).toBe(false);
  });
});
