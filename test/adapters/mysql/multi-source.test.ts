import { describe, expect, it } from 'vitest';
import { changeMasterSql, judge, linkStatus, multiLeaderArgs, seqOf, type LinkStatus, type NodeSnapshot } from '../../../src/adapters/mysql/multi-source.js';

const up = (connection: string): LinkStatus => ({ connection, io: 'Yes', sql: 'Yes', ioError: '', sqlError: '' });
const node = (name: string, domain: number, binlog: string, applied: string, links: LinkStatus[]): NodeSnapshot => ({
  node: name,
  domain,
  binlog,
  applied,
  links,
});
const others = (names: string[]) => (n: string) => names.filter((x) => x !== n);

describe('seqOf', () => {
  it('reads one domain of a MariaDB GTID position, 0 when absent', () => {
    expect(seqOf('1-1-20,2-2-7,3-3-5', 2)).toBe(7);
    expect(seqOf('1-1-20', 3)).toBe(0);
    expect(seqOf('', 1)).toBe(0);
    expect(seqOf(' 1-1-4, 1-2-9', 1)).toBe(9);
  });
});

describe('multi-leader settings', () => {
  it('each node its own domain (index + 1), duplicates of relayed events skipped, conflicts not hidden', () => {
    expect(multiLeaderArgs(0)).toEqual(['--gtid-domain-id=1', '--slave-exec-mode=STRICT', '--gtid-ignore-duplicates=1']);
    expect(multiLeaderArgs(2)[0]).toBe('--gtid-domain-id=3');
  });
  it('one named connection per source, by GTID, reconnecting every second', () => {
    expect(changeMasterSql('n2', '10.0.0.12', 3306, 'faultline')).toBe(
      "CHANGE MASTER 'n2' TO MASTER_HOST='10.0.0.12', MASTER_PORT=3306, MASTER_USER='faultline', MASTER_PASSWORD='', " +
        'MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1, MASTER_HEARTBEAT_PERIOD=1',
    );
    expect(changeMasterSql("n'x", 'h', 1, 'u')).toContain("CHANGE MASTER 'n''x' TO");
  });
});

describe('linkStatus', () => {
  it('keeps the threads and joins each error number to its text', () => {
    expect(
      linkStatus({
        Connection_name: 'n1',
        Slave_IO_Running: 'Yes',
        Slave_SQL_Running: 'No',
        Last_IO_Errno: 0,
        Last_IO_Error: '',
        Last_SQL_Errno: 1062,
        Last_SQL_Error: "Duplicate entry '0' for key 'PRIMARY'",
      }),
    ).toEqual({ connection: 'n1', io: 'Yes', sql: 'No', ioError: '', sqlError: "1062: Duplicate entry '0' for key 'PRIMARY'" });
  });
});

describe('judge (multi-leader replication health)', () => {
  const names = ['n1', 'n2'];
  it('healthy when every connection runs and applied all its source wrote', () => {
    const snaps = [node('n1', 1, '1-1-9,2-2-4', '2-2-4', [up('n2')]), node('n2', 2, '1-1-9,2-2-4', '1-1-9', [up('n1')])];
    expect(judge(snaps, others(names))).toEqual({ state: 'healthy' });
  });
  it('waiting while a node is behind its source, or a link still connects', () => {
    const behind = judge([node('n1', 1, '1-1-9', '', [up('n2')]), node('n2', 2, '1-1-7', '1-1-7', [up('n1')])], others(names));
    expect(behind).toEqual({ state: 'waiting', why: ["n2: applied n1's domain 1 up to 7 of 9"] });
    const connecting = judge(
      [node('n1', 1, '', '', [{ ...up('n2'), io: 'Connecting', ioError: "2003: Can't connect" }]), node('n2', 2, '', '', [up('n1')])],
      others(names),
    );
    expect(connecting).toEqual({ state: 'waiting', why: ["n1: connection 'n2' io Connecting, sql Yes (2003: Can't connect)"] });
    expect(judge([node('n1', 1, '', '', []), node('n2', 2, '', '', [up('n1')])], others(names))).toEqual({
      state: 'waiting',
      why: ["n1: no replication connection 'n2'"],
    });
  });
  it('stopped when a thread stopped with an error: naming the node, the connection and the error', () => {
    const v = judge(
      [node('n1', 1, '1-1-9', '', [{ ...up('n2'), sql: 'No', sqlError: '1062: Duplicate entry' }]), node('n2', 2, '', '1-1-9', [up('n1')])],
      others(names),
    );
    expect(v).toEqual({ state: 'stopped', why: ["n1: replication connection 'n2' stopped applying (SQL thread): 1062: Duplicate entry"] });
    const io = judge(
      [node('n1', 1, '', '', [{ ...up('n2'), io: 'No', ioError: '1236: GTID not in the master binlog' }]), node('n2', 2, '', '', [up('n1')])],
      others(names),
    );
    expect(io.state).toBe('stopped');
  });
  it('checks only the sources asked for (setup links the first node before the others)', () => {
    const snaps = [node('n1', 1, '1-1-5', '', []), node('n2', 2, '', '1-1-5', [up('n1')])];
    expect(judge(snaps, (n) => (n === 'n1' ? [] : ['n1']))).toEqual({ state: 'healthy' });
  });
});
