import { describe, expect, it } from 'vitest';
import { ReplicaSet, type ReplicaServer } from '../../src/adapters/replicated.js';
import type { RuntimeNode } from '../../src/runtime/types.js';

/** A server that is only a name, a node reachable at `<name>.host:<port>`, and a switch for running. */
class FakeServer implements ReplicaServer {
  up = true;
  readonly node: RuntimeNode;
  constructor(readonly name: string) {
    this.node = { name, endpoint: (port: number) => ({ host: `${name}.host`, port }) } as unknown as RuntimeNode;
  }
  running(): boolean {
    return this.up;
  }
}

function cluster(n = 3, clientAddress?: (node: string) => { host: string; port: number }) {
  const servers = Array.from({ length: n }, (_, i) => new FakeServer(`n${i + 1}`));
  const rs = new ReplicaSet({ db: 'fakedb', servers, port: 7000, clientAddress });
  return { rs, s: (name: string) => servers.find((x) => x.name === name)! };
}

describe('ReplicaSet', () => {
  it('starts with the first server as the primary and the others as its standbys, no floor', () => {
    const { rs } = cluster();
    expect(rs.current).toBe('n1');
    expect(rs.primary().name).toBe('n1');
    expect(rs.standbys()).toEqual(['n2', 'n3']);
    expect(rs.floor).toBeUndefined();
    expect(rs.size).toBe(3);
    expect(rs.all().map((x) => x.name)).toEqual(['n1', 'n2', 'n3']);
    expect([...rs.roles()]).toEqual([
      ['n1', 'primary'],
      ['n2', 'standby'],
      ['n3', 'standby'],
    ]);
  });

  it('shows a node that is not running as down, and a fenced one as fenced whether it runs or not', () => {
    const { rs, s } = cluster(4);
    s('n2').up = false;
    rs.fence('n3');
    s('n4').up = false;
    rs.fence('n4');
    expect(Object.fromEntries(rs.roles())).toEqual({ n1: 'primary', n2: 'down', n3: 'fenced', n4: 'fenced' });
    s('n1').up = false;
    expect(rs.roles().get('n1')).toBe('down');
    // Down is what roles() shows; the role held does not change.
    expect(rs.held('n1')).toBe('primary');
    expect(rs.held('n2')).toBe('standby');
    expect(rs.held('n9')).toBeUndefined();
  });

  it('routes reads: primary to the primary, replicas to the standbys, any to every node not fenced, by name', () => {
    const { rs, s } = cluster(4);
    rs.fence('n3');
    s('n4').up = false;
    expect(rs.readable('primary')).toEqual(['n1']);
    // A standby that is down is still one (the session's connection fails, as it would against the database).
    expect(rs.readable('replicas')).toEqual(['n2', 'n4']);
    expect(rs.readable('any')).toEqual(['n1', 'n2', 'n4']);
  });

  it('sends replica reads to the primary when there is no standby', () => {
    const { rs } = cluster(3);
    rs.fence('n2');
    rs.fence('n3');
    expect(rs.standbys()).toEqual([]);
    expect(rs.readable('replicas')).toEqual(['n1']);
    expect(rs.readable('any')).toEqual(['n1']);
    expect(cluster(1).rs.readable('replicas')).toEqual(['n1']);
  });

  it('sorts by name, not by the order roles changed', () => {
    const { rs } = cluster(3);
    rs.promote('n3', undefined);
    rs.switchTo('n3');
    rs.setRole('n1', 'standby');
    expect(rs.standbys()).toEqual(['n1', 'n2']);
    expect(rs.readable('any')).toEqual(['n1', 'n2', 'n3']);
  });

  it('promote holds the node as primary with its floor; sessions move only at switchTo', () => {
    const { rs } = cluster();
    const floor = { at: 42n, text: '0/2A' };
    rs.fence('n1');
    rs.promote('n2', floor);
    expect(rs.floor).toBe(floor);
    expect(rs.held('n2')).toBe('primary');
    // The Db still re-points the standbys: sessions keep going to the old primary meanwhile.
    expect(rs.current).toBe('n1');
    expect(rs.readable('primary')).toEqual(['n1']);
    expect(rs.standbys()).toEqual(['n3']);
    rs.switchTo('n2');
    expect(rs.current).toBe('n2');
    expect(rs.primary().name).toBe('n2');
    expect(rs.readable('primary')).toEqual(['n2']);
    expect(Object.fromEntries(rs.roles())).toEqual({ n1: 'fenced', n2: 'primary', n3: 'standby' });
    // A later promotion replaces the floor (undefined when the position is unknown).
    rs.promote('n3', undefined);
    expect(rs.floor).toBeUndefined();
  });

  it('without fencing, the old primary stays a primary after a promotion (split brain): neither is a standby', () => {
    const { rs } = cluster();
    rs.promote('n2', { at: 1n, text: 1 });
    rs.setRole('n1', 'primary');
    rs.switchTo('n2');
    expect(Object.fromEntries(rs.roles())).toEqual({ n1: 'primary', n2: 'primary', n3: 'standby' });
    expect(rs.standbys()).toEqual(['n3']);
    expect(rs.readable('any')).toEqual(['n1', 'n2', 'n3']);
  });

  it('a fenced node set back to standby is read from again', () => {
    const { rs } = cluster();
    rs.fence('n2');
    expect(rs.readable('replicas')).toEqual(['n3']);
    rs.setRole('n2', 'standby');
    expect(rs.readable('replicas')).toEqual(['n2', 'n3']);
  });

  it('takeOver makes the named node the one primary (others that held primary become standbys) and moves sessions to it', () => {
    const { rs } = cluster();
    rs.fence('n3');
    rs.takeOver('n2');
    expect(rs.current).toBe('n2');
    // A fenced node other than the one named stays fenced.
    expect(Object.fromEntries(rs.roles())).toEqual({ n1: 'standby', n2: 'primary', n3: 'fenced' });
    // Split brain ends with it too: both primaries become standbys of the one named.
    rs.setRole('n1', 'primary');
    rs.takeOver('n3');
    expect(Object.fromEntries(rs.roles())).toEqual({ n1: 'standby', n2: 'standby', n3: 'primary' });
    expect(rs.floor).toBeUndefined();
  });

  it('throws for a node it does not have, naming the database', () => {
    const { rs } = cluster();
    expect(() => rs.server('n9')).toThrow('fakedb: no node named n9');
    expect(rs.server('n2').name).toBe('n2');
  });

  it('gives clients the node endpoint on its port, or the client address when one is set', () => {
    expect(cluster().rs.address('n2')).toEqual({ host: 'n2.host', port: 7000 });
    const { rs } = cluster(3, (n) => ({ host: 'proxy', port: n === 'n2' ? 9002 : 9000 }));
    expect(rs.address('n2')).toEqual({ host: 'proxy', port: 9002 });
    expect(rs.address('n1')).toEqual({ host: 'proxy', port: 9000 });
  });
});
