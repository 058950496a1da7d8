import { describe, expect, it } from 'vitest';
import { decide, gatherAndDecide, requiredAnswers, type Answer, type SyncRule } from '../../src/adapters/failover-choice.js';
import { semiSyncRule } from '../../src/adapters/mysql/settings.js';
import { syncRule } from '../../src/adapters/postgres/settings.js';
import { waitRule } from '../../src/adapters/redis/settings.js';

const any = (k: number, standbys: string[]): SyncRule => ({ k, standbys, text: `ANY ${k} (${standbys.join(', ')})` });
const at = (entries: [string, number][]) => new Map<string, Answer>(entries.map(([n, v]) => [n, { at: BigInt(v), text: `0/${v.toString(16)}` }]));

describe('failover choice: the n-k+1 rule', () => {
  it('needs n-k+1 answers: ANY 1 of 2 needs both, ANY 2 of 2 one, ANY 1 of 3 three, ANY 2 of 3 two; async none', () => {
    expect(requiredAnswers(any(1, ['a', 'b']))).toBe(2);
    expect(requiredAnswers(any(2, ['a', 'b']))).toBe(1);
    expect(requiredAnswers(any(1, ['a', 'b', 'c']))).toBe(3);
    expect(requiredAnswers(any(2, ['a', 'b', 'c']))).toBe(2);
    expect(requiredAnswers(any(5, ['a', 'b']))).toBe(1); // k above n: nothing is acknowledged, one answer does
    expect(requiredAnswers(undefined)).toBeNull();
  });

  it('safe, sync ANY 1 of 2, only the lagging standby answered: refused, with what it saw', () => {
    const r = decide('safe', any(1, ['n2', 'n3']), ['n2', 'n3'], at([['n2', 100]]), 5000);
    expect(r).toMatchObject({
      policy: 'safe',
      chosen: null,
      decision: 'refused',
      required: 2,
      heard: 1,
      quorum: false,
      unanswered: ['n3'],
      positions: { n2: '0/64', n3: null },
      waitedMs: 5000,
    });
    expect(r.reason).toMatch(/heard from 1 of 2 standbys \(n3 did not answer\) after waiting 5000 ms; under ANY 1 \(n2, n3\) only 2 answers/);
  });

  it('safe, every standby answered: promotes the most advanced (ties by name)', () => {
    expect(
      decide(
        'safe',
        any(1, ['n2', 'n3']),
        ['n2', 'n3'],
        at([
          ['n2', 100],
          ['n3', 200],
        ]),
      ),
    ).toMatchObject({ chosen: 'n3', decision: 'promoted', quorum: true });
    expect(
      decide(
        'safe',
        any(1, ['n2', 'n3']),
        ['n2', 'n3'],
        at([
          ['n3', 100],
          ['n2', 100],
        ]),
      ),
    ).toMatchObject({ chosen: 'n2' });
  });

  it('safe, ANY 2 of 3: two answers are enough, and the most advanced of them is chosen', () => {
    const r = decide(
      'safe',
      any(2, ['a', 'b', 'c']),
      ['a', 'b', 'c'],
      at([
        ['a', 5],
        ['c', 9],
      ]),
    );
    expect(r).toMatchObject({ chosen: 'c', decision: 'promoted', required: 2, heard: 2, quorum: true, unanswered: ['b'] });
  });

  it('naive, too few answers: promotes the most advanced that answered and says the quorum was missing', () => {
    const r = decide('naive', any(1, ['n2', 'n3']), ['n2', 'n3'], at([['n2', 100]]));
    expect(r).toMatchObject({ policy: 'naive', chosen: 'n2', decision: 'promoted', required: 2, heard: 1, quorum: false, unanswered: ['n3'] });
    expect(r.reason).toMatch(/^naive-failover policy: .*without the 2 answers/);
  });

  it('async: promotes the most advanced that answered and records that no quorum applies', () => {
    const r = decide('safe', undefined, ['n2', 'n3'], at([['n2', 7]]));
    expect(r).toMatchObject({ sync: 'async', chosen: 'n2', decision: 'promoted', required: null, quorum: null, unanswered: ['n3'] });
    expect(r.reason).toMatch(/^async replication: no standby is sure to hold/);
  });

  it('refuses with no standby, or none answering, under any policy', () => {
    expect(decide('naive', undefined, [], new Map())).toMatchObject({ decision: 'refused', reason: 'no standby to promote' });
    expect(decide('naive', any(1, ['n2']), ['n2'], new Map())).toMatchObject({ decision: 'refused', chosen: null, unanswered: ['n2'] });
    // Every other node fenced under sync: the record still says the rule, not 'async'.
    expect(decide('safe', syncRule('sync', []), [], new Map())).toMatchObject({
      decision: 'refused',
      sync: 'sync (no standby)',
      reason: 'no standby to promote',
    });
  });
});

describe('failover choice: what the current primary inherited (the floor)', () => {
  // The soak case (postgres sync, seed 103): n1 acknowledged writes with n2 as its sync standby while n3
  // was down; n2 was promoted holding them (floor 0/40DB990); n3 came back behind it, n2 was killed, and
  // ANY 1 ("n3") was met by n3 alone, which lacked everything n1 had acknowledged.
  const floor: Answer = { at: 0x40db990n, text: '0/40DB990' };

  it('safe refuses the quorum when the most advanced standby has not reached the floor, and says why', () => {
    const r = decide('safe', any(1, ['n3']), ['n3'], at([['n3', 0x4086d08]]), 5, floor);
    expect(r).toMatchObject({ decision: 'refused', chosen: null, quorum: true, heard: 1, floor: '0/40DB990' });
    expect(r.reason).toMatch(/the most advanced, n3 at 0\/4086d08, has not reached 0\/40DB990, what the primary held when it was promoted/);
  });

  it('safe promotes a standby at or past the floor; no floor (the first primary) changes nothing', () => {
    expect(decide('safe', any(1, ['n3']), ['n3'], at([['n3', 0x40db990]]), 0, floor)).toMatchObject({ decision: 'promoted', chosen: 'n3', floor: '0/40DB990' });
    expect(decide('safe', any(1, ['n3']), ['n3'], at([['n3', 1]]))).toMatchObject({ decision: 'promoted', chosen: 'n3', floor: null });
  });

  it('naive and async promote below the floor (nothing is promised there), recording it', () => {
    expect(decide('naive', any(1, ['n3']), ['n3'], at([['n3', 1]]), 0, floor)).toMatchObject({ decision: 'promoted', floor: '0/40DB990' });
    expect(decide('safe', undefined, ['n3'], at([['n3', 1]]), 0, floor)).toMatchObject({ decision: 'promoted', quorum: null });
  });

  it('gatherAndDecide passes the floor on', async () => {
    const r = await gatherAndDecide({
      policy: 'safe',
      rule: any(1, ['n3']),
      standbys: ['n3'],
      askable: () => true,
      ask: async () => ({ at: 5n, text: '0/5' }),
      waitMs: 0,
      floor,
    });
    expect(r).toMatchObject({ decision: 'refused', floor: '0/40DB990' });
  });
});

describe('failover choice: gathering answers', () => {
  it('safe waits (bounded) for a standby that starts answering, then promotes it', async () => {
    let calls = 0;
    const r = await gatherAndDecide({
      policy: 'safe',
      rule: any(1, ['n2', 'n3']),
      standbys: ['n2', 'n3'],
      waitMs: 2000,
      pollMs: 10,
      askable: () => true,
      ask: async (n) => (n === 'n2' ? { at: 1n, text: 1 } : ++calls >= 3 ? { at: 2n, text: 2 } : undefined),
    });
    expect(r).toMatchObject({ chosen: 'n3', decision: 'promoted', quorum: true });
    expect(calls).toBe(3);
  });

  it('safe refuses once waitMs passed; naive does not wait; unaskable standbys are never asked', async () => {
    const asked: string[] = [];
    const g = {
      rule: any(1, ['n2', 'n3']),
      standbys: ['n2', 'n3'],
      waitMs: 60,
      pollMs: 10,
      askable: (n: string) => n !== 'n3',
      ask: async (n: string) => {
        asked.push(n);
        return { at: 1n, text: 1 };
      },
    };
    const t0 = Date.now();
    const safe = await gatherAndDecide({ ...g, policy: 'safe' });
    expect(safe).toMatchObject({ decision: 'refused', unanswered: ['n3'] });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(60);
    expect(safe.waitedMs).toBeGreaterThanOrEqual(60);
    asked.length = 0;
    const naive = await gatherAndDecide({ ...g, policy: 'naive' });
    expect(naive).toMatchObject({ decision: 'promoted', chosen: 'n2', quorum: false });
    expect(asked).toEqual(['n2']);
  });

  it('a standby that throws counts as not answering', async () => {
    const r = await gatherAndDecide({
      policy: 'safe',
      rule: undefined,
      standbys: ['a', 'b'],
      waitMs: 0,
      askable: () => true,
      ask: async (n) => {
        if (n === 'a') throw new Error('timeout');
        return { at: 3n, text: 3 };
      },
    });
    expect(r).toMatchObject({ chosen: 'b', unanswered: ['a'] });
  });
});

describe("failover choice: each database's rule", () => {
  const lagging = at([['n2', 100]]); // n3, the only one holding the newest acknowledged writes, is silent

  it('postgres: sync (ANY 1) needs every standby, remote-apply (ANY n) any one, async none', () => {
    expect(syncRule('sync', ['n2', 'n3'])).toEqual({ k: 1, standbys: ['n2', 'n3'], text: 'ANY 1 ("n2", "n3")' });
    expect(decide('safe', syncRule('sync', ['n2', 'n3']), ['n2', 'n3'], lagging)).toMatchObject({ decision: 'refused', required: 2 });
    expect(decide('safe', syncRule('remote-apply', ['n2', 'n3']), ['n2', 'n3'], lagging)).toMatchObject({
      decision: 'promoted',
      chosen: 'n2',
      required: 1,
      quorum: true,
    });
    expect(syncRule('async', ['n2', 'n3'])).toBeUndefined();
    expect(decide('safe', syncRule('async', ['n2', 'n3']), ['n2', 'n3'], lagging)).toMatchObject({ decision: 'promoted', chosen: 'n2', required: null });
  });

  it('mysql semi-sync (one ack of n replicas) needs every replica; async none', () => {
    const rule = semiSyncRule('semi-sync', ['n2', 'n3'])!;
    expect(rule.k).toBe(1);
    expect(requiredAnswers(rule)).toBe(2);
    expect(decide('safe', rule, ['n2', 'n3'], lagging)).toMatchObject({ decision: 'refused', chosen: null, unanswered: ['n3'] });
    expect(decide('naive', rule, ['n2', 'n3'], lagging)).toMatchObject({ decision: 'promoted', chosen: 'n2', quorum: false });
    expect(semiSyncRule('semi-sync', ['n2', 'n3', 'n4'])!.k).toBe(1);
    expect(requiredAnswers(semiSyncRule('semi-sync', ['n2', 'n3', 'n4']))).toBe(3);
    expect(semiSyncRule('async', ['n2', 'n3'])).toBeUndefined();
    expect(requiredAnswers(semiSyncRule('semi-sync', []))).toBe(0);
  });

  it('redis wait (WAIT every replica) needs any one; a replica missing since leaves k above n, still one; async none', () => {
    const rule = waitRule('wait', 2, ['n2', 'n3'])!;
    expect(rule).toMatchObject({ k: 2 });
    expect(decide('safe', rule, ['n2', 'n3'], lagging)).toMatchObject({ decision: 'promoted', chosen: 'n2', required: 1, quorum: true });
    expect(requiredAnswers(waitRule('wait', 2, ['n3']))).toBe(1);
    expect(waitRule('async', 2, ['n2', 'n3'])).toBeUndefined();
  });
});
