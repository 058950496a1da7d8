import { describe, expect, it } from 'vitest';
import { adminInitSql } from '../../../src/adapters/mysql/server.js';

describe('the mysql admin user (--init-file)', () => {
  it("is created at every start from the node's /24 only, out of the binlog", () => {
    expect(adminInitSql('10.78.31.12').split('\n')).toEqual([
      'SET sql_log_bin = 0;',
      "CREATE USER IF NOT EXISTS 'faultline_admin'@'10.78.31.%' IDENTIFIED BY '';",
      "GRANT ALL PRIVILEGES ON *.* TO 'faultline_admin'@'10.78.31.%' WITH GRANT OPTION;",
      '',
    ]);
  });

  it('refuses an address it cannot derive a subnet from', () => {
    expect(() => adminInitSql('fd00::11')).toThrow(/cannot derive a subnet/);
  });
});
