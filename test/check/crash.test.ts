import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkHistory } from '../../src/check.js';
import * as lin from '../../src/checkers/linearizability/index.js';
import { checkerRegistry, registerChecker } from '../../src/checkers/registry.js';
import { h } from '../support/history.js';

// A checker that throws is faultline's bug, not a property of the history: on the `check` path (the
// one `faultline check` and `faultline run` take) it becomes unknown with its cause, and every other
// checker is still reported.

const history = h([
  [0, 'invoke', 'write', 1],
  [0, 'ok', 'write', 1],
  [1, 'invoke', 'read', null],
  [1, 'ok', 'read', 1],
]);

afterEach(() => {
  checkerRegistry.delete('test-boom');
  vi.restoreAllMocks();
});

describe('a checker that throws', () => {
  it('is unknown with its cause; the other checkers are still reported', async () => {
    registerChecker({
      name: 'test-boom',
      doc: 'throws',
      check: () => {
        throw new Error('kaboom at op 3');
      },
    });
    const r = await checkHistory(history, { checkers: ['test-boom', 'stats'] });
    expect(r.verdicts['test-boom']!.valid).toBe('unknown');
    expect(r.verdicts['test-boom']!.cause).toMatch(/test-boom checker failed.*kaboom at op 3/);
    expect(r.verdicts.stats).toBeDefined();
    expect(r.verdicts.stats!.cause ?? '').not.toMatch(/failed on this history/);
    expect(r.valid).toBe('unknown');
  });

  it('an async checker that rejects is unknown too', async () => {
    registerChecker({
      name: 'test-boom',
      doc: 'rejects',
      check: async () => {
        throw new TypeError('no such field');
      },
    });
    const r = await checkHistory(history, { checkers: ['test-boom'] });
    expect(r.verdicts['test-boom']).toMatchObject({ valid: 'unknown', anomalies: [] });
    expect(r.verdicts['test-boom']!.cause).toMatch(/no such field/);
  });

  it('a linearizability crash is unknown; a replication checker beside it is still reported', async () => {
    vi.spyOn(lin, 'checkLinearizability').mockImplementation(() => {
      throw new RangeError('search blew up');
    });
    const r = await checkHistory(history, { model: 'register', checkers: ['stats'] });
    expect(r.verdicts.linearizable!.valid).toBe('unknown');
    expect(r.verdicts.linearizable!.cause).toMatch(/linearizable checker failed.*search blew up/);
    expect(r.verdicts.stats).toBeDefined();
  });

  it('an invalid verdict from another checker still makes the whole result invalid', async () => {
    registerChecker({
      name: 'test-boom',
      doc: 'throws',
      check: () => {
        throw new Error('x');
      },
    });
    const bad = h([
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write', 1],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', 2],
    ]);
    const r = await checkHistory(bad, { model: 'register', checkers: ['test-boom'] });
    expect(r.verdicts.linearizable!.valid).toBe(false);
    expect(r.valid).toBe(false);
  });
});
