import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir } from '../../bench/conformance.js';
import { loadHistory } from '../../src/history/load.js';
import { lintHistory } from '../../src/history/lint.js';

// Real Jepsen histories, copied into test/fixtures/conformance (read-only).
const ROOT = conformanceDir();
const files = (readdirSync(ROOT, { recursive: true }) as string[]).filter((f) => f.endsWith('.edn')).sort();

/** Cross-check: op-level `:type :invoke|ok|fail|info` occurrences (bank.edn nests other :type keys in exceptions). */
function countTypes(text: string): number {
  return (text.match(/:type\s+:(invoke|ok|fail|info)\b/g) ?? []).length;
}

describe('conformance histories', () => {
  it('finds all the histories', () => {
    expect(files.length).toBe(Object.keys(JSON.parse(readFileSync(join(ROOT, 'expected.json'), 'utf8'))).length);
  });

  for (const f of files) {
    it(`${f} loads with every op and lints clean`, async () => {
      const path = join(ROOT, f);
      const h = await loadHistory(path);
      expect(h.format).toBe('edn');
      expect(h.ops.length).toBe(countTypes(readFileSync(path, 'utf8')));
      expect(h.lines.length).toBe(h.ops.length);
      expect(lintHistory(h).map(String)).toEqual([]);
      // Only Elle's own histories (no :f) warn, and only about that.
      if (!f.startsWith('elle/') || f === 'elle/rw-register.edn') expect(h.warnings).toEqual([]);
    });
  }

  it('reads jepsen/*.edn (one map per line) to the last op', async () => {
    const bank = await loadHistory(join(ROOT, 'jepsen/bank.edn'));
    expect(bank.ops.length).toBe(680);
    expect(bank.lines[0]).toBe(1);
    expect(bank.lines[679]).toBe(680);
    expect(bank.ops[1]).toEqual({
      index: 1,
      time: 11245205834,
      type: 'ok',
      process: 0,
      f: 'read',
      value: { '0': 100, '1': 0, '2': 0, '3': 0, '4': 0, '5': 0, '6': 0, '7': 0, '8': 0, '9': 0 },
    });
    expect(bank.ops[678]).toMatchObject({ process: 'nemesis', f: 'pause', value: { '84.23.53.151': '' } });
    expect(bank.ops[679]).toMatchObject({ index: 679, type: 'info', f: 'read', process: 0 });
    expect(bank.ops[679]!.error).toMatch(/^indeterminate: 10000ms is exceeded/);

    const counter = await loadHistory(join(ROOT, 'jepsen/counter.edn'));
    expect(counter.ops.length).toBe(574);
    expect(counter.ops[573]).toEqual({ index: 573, time: 70315222681, type: 'ok', process: 0, f: 'add', value: 1 });

    const set = await loadHistory(join(ROOT, 'jepsen/set.edn'));
    expect(set.ops.length).toBe(8);
    expect(set.ops[7]).toMatchObject({ type: 'ok', f: 'read', value: [0, 1, 2] });
  });

  it('keeps source lines across comments and multi-line maps', async () => {
    const bug = await loadHistory(join(ROOT, 'knossos/cas-register/good/cas-register-bug.edn'));
    expect(bug.lines.slice(0, 3)).toEqual([2, 3, 4]);
    expect(bug.ops[0]).toEqual({ index: 0, time: 0, type: 'invoke', process: 4, f: 'write', value: 2 });

    const minimal = await loadHistory(join(ROOT, 'knossos/cas-register/bad/rethink-fail-minimal.edn'));
    expect(minimal.lines).toEqual([1, 2, 4, 5, 7, 8, 12, 13]);

    const multi = await loadHistory(join(ROOT, 'knossos/multi-register/good/multi-register.edn'));
    expect(multi.lines.slice(0, 2)).toEqual([2, 7]);
    expect(multi.ops[0]).toEqual({ index: 0, time: 7686455705, type: 'invoke', process: 3, f: 'txn', value: [['read', 'x', null]] });

    const etcd = await loadHistory(join(ROOT, 'knossos/mutex/bad/etcd.edn'));
    expect(etcd.ops[169]).toEqual({ index: 169, time: 5326396898, type: 'info', process: 'nemesis', f: 'start', value: null });
    expect(etcd.ops[1]).toMatchObject({ type: 'fail', f: 'release', error: 'not-held' });
  });

  it('reads Elle histories without :f as :txn, with one warning saying so', async () => {
    const h = await loadHistory(join(ROOT, 'elle/list-append-gh-30.edn'));
    expect(h.ops.length).toBe(10);
    expect(h.ops.every((o) => o.f === 'txn')).toBe(true);
    expect(h.ops[0]).toEqual({
      index: 1,
      time: 0,
      type: 'invoke',
      process: 2,
      f: 'txn',
      value: [
        ['append', 4, 2],
        ['append', 5, 5],
      ],
    });
    expect(h.warnings).toHaveLength(1);
    expect(h.warnings[0]!.message).toBe('10 op(s) have no :f; their values are transactions, so they were read as :txn');
  });

  it('reads a history of nemesis ops only', async () => {
    const h = await loadHistory(join(ROOT, 'knossos/cas-register/good/mongodb-v0-ack-rollback-.edn'));
    expect(h.ops.length).toBe(28);
    expect(h.ops.every((o) => o.process === 'nemesis')).toBe(true);
  });
});
