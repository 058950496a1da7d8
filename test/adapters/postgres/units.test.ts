import { describe, expect, it } from 'vitest';
import { certainlyNotApplied, connectionSurvives, errorText } from '../../../src/adapters/postgres/errors.js';
import { parseLsn } from '../../../src/adapters/postgres/lsn.js';
import { faultlineConf, hbaConf, syncStandbyNames } from '../../../src/adapters/postgres/settings.js';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('postgres error mapping', () => {
  it('anything while connecting is certain: the statement was never sent', () => {
    expect(certainlyNotApplied(pgError('ECONNREFUSED'), 'connect')).toBe(true);
    expect(certainlyNotApplied(pgError('57P03'), 'connect')).toBe(true);
    expect(certainlyNotApplied(new Error('timeout expired'), 'connect')).toBe(true);
  });
  it('after sending, only errors that roll the statement back are certain', () => {
    for (const c of ['25006', '23505', '23503', '40001', '40P01', '22003', '42P01']) expect(certainlyNotApplied(pgError(c), 'query'), c).toBe(true);
    for (const c of ['57014', '57P01', '57P02', '08006', 'XX000', '53300', 'ECONNRESET', 'EPIPE'])
      expect(certainlyNotApplied(pgError(c), 'query'), c).toBe(false);
    expect(certainlyNotApplied(new Error('Connection terminated unexpectedly'), 'query')).toBe(false);
    expect(certainlyNotApplied(new Error('Client has encountered a connection error and is not queryable'), 'query')).toBe(true);
  });
  it('keeps a connection after a plain SQL error only', () => {
    expect(connectionSurvives(pgError('23505'))).toBe(true);
    expect(connectionSurvives(pgError('57P01'))).toBe(false);
    expect(connectionSurvives(pgError('ECONNRESET'))).toBe(false);
    expect(errorText(pgError('25006', 'cannot execute INSERT in a read-only transaction'))).toBe('25006: cannot execute INSERT in a read-only transaction');
  });
});

describe('postgres settings', () => {
  it('sync waits for one standby, remote-apply for all of them, async for none', () => {
    expect(syncStandbyNames('async', ['n2', 'n3'])).toBe('');
    expect(syncStandbyNames('sync', ['n2', 'n3'])).toBe('ANY 1 ("n2", "n3")');
    expect(syncStandbyNames('remote-apply', ['n2', 'n3'])).toBe('ANY 2 ("n2", "n3")');
    expect(syncStandbyNames('remote-apply', [])).toBe('');
  });
  it('a standby streams from its upstream through its own slot; quotes are doubled', () => {
    const conf = faultlineConf({ mode: 'remote-apply', upstream: { host: '10.0.0.2', slot: 'n3', appName: 'n3' } });
    expect(conf).toContain("primary_conninfo = 'host=10.0.0.2 port=5432 user=postgres application_name=n3 connect_timeout=2'");
    expect(conf).toContain("primary_slot_name = 'n3'");
    expect(conf).toContain('synchronous_commit = remote_apply');
    expect(faultlineConf({ mode: 'sync', standbys: ['n2'] })).toContain(`synchronous_standby_names = 'ANY 1 ("n2")'`);
    expect(hbaConf(['10.0.0.1'])).toContain('host replication all 10.0.0.1/32 trust');
  });
  it('compares WAL positions across the 32-bit halves', () => {
    expect(parseLsn('1/0')! > parseLsn('0/FFFFFFFF')!).toBe(true);
    expect(parseLsn('0/3000060')).toBe(0x3000060n);
    expect(parseLsn(null)).toBeUndefined();
  });
});
