import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Op } from '../../src/history/op.js';
import { add, ap, hist, nem, rd, rs } from '../checkers/replication/build.js';

// `faultline check FILE --checker NAME[,NAME...]` through the built CLI (dist/src/cli/main.js, argv
// only, no shell): every replication checker by name, with exit codes 0 valid, 1 invalid, 2 unknown,
// 64 usage error. The build runs once here (tsc emits even when code elsewhere fails to type-check,
// so the test checks that it emitted rather than trusting a stale dist).

const root = join(import.meta.dirname, '..', '..');
const main = join(root, 'dist', 'src', 'cli', 'main.js');
let dir: string;

beforeAll(() => {
  const t0 = Date.now();
  try {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], { cwd: root, stdio: 'pipe' });
  } catch (e) {
    // Type errors still emit; a missing or stale CLI is caught just below.
    void e;
  }
  if (statSync(main).mtimeMs < t0 - 2000) throw new Error(`tsc did not emit ${main}`);
  dir = mkdtempSync(join(tmpdir(), 'faultline-cli-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function file(ops: Op[]): string {
  const f = join(dir, `h${n++}.jsonl`);
  writeFileSync(f, ops.map((o) => JSON.stringify(o)).join('\n') + '\n');
  return f;
}

function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [main, ...argv], { cwd: root }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const keyedCheckers = [
  'read-your-writes',
  'monotonic-reads',
  'monotonic-writes',
  'writes-follow-reads',
  'consistent-prefix',
  'lost-writes',
  'staleness',
  'availability',
  'stats',
];
const all = [...keyedCheckers, 'set', 'set-full', 'counter', 'bank'];

// One append history every keyed checker accepts: p0 appends 1, reads [1] during a partition,
// appends 2 and reads [1, 2] after the heal.
const appendValid = () => hist(ap(0, 'x', 1), nem('start-partition'), rd(0, 'x', [1], 'n1'), ap(0, 'x', 2), nem('stop-partition'), rd(0, 'x', [1, 2], 'n2'));
// Nothing read, no faults: every one of the 13 checkers must say unknown, never true.
const vacuous = () => hist(ap(0, 'x', 1));

const valid: Record<string, () => Op[]> = {
  ...Object.fromEntries(keyedCheckers.map((c) => [c, appendValid])),
  set: () => hist(add(0, 1), rs(1, [1])),
  'set-full': () => hist(add(0, 1), rs(1, [1])),
  counter: () => hist(add(0, 1), rs(1, 1)),
  bank: () => hist(rs(0, { a: 50, b: 50 }), rs(1, { a: 40, b: 60 })),
};
// staleness, availability and stats are measurements: they never say invalid.
const invalid: Record<string, () => Op[]> = {
  'read-your-writes': () => hist(ap(3, 'x', 7), rd(3, 'x', [], 'pg2')),
  'monotonic-reads': () => hist(ap(1, 'x', 1), ap(1, 'x', 2), rd(0, 'x', [1, 2]), rd(0, 'x', [1])),
  'monotonic-writes': () => hist(ap(0, 'x', 1), ap(0, 'x', 2), rd(1, 'x', [2])),
  'writes-follow-reads': () => hist(ap(1, 'x', 1), rd(0, 'x', [1]), ap(0, 'x', 2), rd(2, 'x', [2])),
  'consistent-prefix': () => hist(rd(0, 'x', [1, 2]), rd(1, 'x', [1, 3])),
  'lost-writes': () => hist(ap(0, 'x', 1), ap(0, 'x', 2), rd(1, 'x', [1])),
  set: () => hist(add(0, 1), rs(1, [])),
  'set-full': () => hist(add(0, 1), rs(1, [1]), rs(1, [])),
  counter: () => hist(add(0, 1), rs(1, 5)),
  bank: () => hist(rs(0, { a: 50, b: 50 }), rs(1, { a: 40, b: 50 })),
};

describe('faultline check --checker', () => {
  it.each(all)('%s: exit 0 on a valid history, 1 on an invalid one, 2 on one that tests nothing', async (name) => {
    const [ok, bad, none] = await Promise.all([
      cli('check', file(valid[name]!()), '--checker', name, '--json'),
      invalid[name] ? cli('check', file(invalid[name]!()), '--checker', name, '--json') : undefined,
      cli('check', file(vacuous()), '--checker', name, '--json'),
    ]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).results[0].verdicts[name].valid).toBe(true);
    if (bad) {
      expect(bad.code).toBe(1);
      const v = JSON.parse(bad.stdout).results[0].verdicts[name];
      expect(v.valid).toBe(false);
      expect(v.anomalies.length).toBeGreaterThan(0);
    }
    expect(none.code).toBe(2);
    const u = JSON.parse(none.stdout).results[0].verdicts[name];
    expect(u.valid).toBe('unknown');
    expect(u.cause).toEqual(expect.any(String));
  });

  it('runs several checkers at once and composes them: false beats unknown beats true', async () => {
    const list = keyedCheckers.join(',');
    expect((await cli('check', file(appendValid()), '--checker', list)).code).toBe(0);
    // read-your-writes false, the others true or unknown: invalid.
    const bad = await cli('check', file(invalid['read-your-writes']!()), '--checker', list, '--json');
    expect(bad.code).toBe(1);
    const verdicts = JSON.parse(bad.stdout).results[0].verdicts as Record<string, { valid: unknown }>;
    expect(Object.keys(verdicts)).toEqual(keyedCheckers);
    expect(verdicts['read-your-writes']!.valid).toBe(false);
    expect(verdicts.availability!.valid).toBe('unknown');
    // valid under one, unknown under another: unknown.
    expect((await cli('check', file(valid.set!()), '--checker', 'set,availability')).code).toBe(2);
  });

  it('prints a plain-text verdict per checker without --json', async () => {
    const r = await cli('check', file(invalid['lost-writes']!()), '--checker', 'lost-writes');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/lost-writes/);
    expect(r.stdout).toMatch(/process 0 appended 2 to key x and got ok/);
  });

  it('an unknown checker name is a usage error (64)', async () => {
    const r = await cli('check', file(appendValid()), '--checker', 'read-your-writes,no-such-checker');
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/unknown checker 'no-such-checker'/);
  });
});

describe('faultline check --keyed', () => {
  // Jepsen's set-full with adds [0 v] and reads of one flat set: read literally, every add is lost.
  const literal = () => hist(add(0, [0, 1]), add(0, [0, 2]), rs(1, [1, 2], 'n1'));
  // Plain adds, and a read invoked with a key: auto takes it for another workload's keyed read.
  const keyedRead = () =>
    hist(add(0, 1), add(0, 2), [
      [1, 'invoke', 'read', ['s', null]],
      [1, 'ok', 'read', [1]],
    ]);

  it('auto reads the literal set-full shape as Jepsen does (exit 1); --keyed yes finds no keyed set in it (exit 2)', async () => {
    const f = file(literal());
    const [auto, yes] = await Promise.all([
      cli('check', f, '--checker', 'set-full', '--json'),
      cli('check', f, '--checker', 'set-full', '--keyed', 'yes', '--json'),
    ]);
    expect(auto.code).toBe(1);
    const v = JSON.parse(auto.stdout).results[0].verdicts['set-full'];
    expect(v.stats).toMatchObject({ shape: 'literal', lost: 2 });
    expect(v.anomalies[0]).toMatchObject({ kind: 'lost', ops: [0, 1, 2, 3, 4, 5] });
    expect(yes.code).toBe(2);
    // Keyed, [0 1] adds 1 to key 0, and no read returns [0, set].
    expect(JSON.parse(yes.stdout).results[0].verdicts['set-full'].cause).toBe('no read returned [key, set], so no keyed set was ever read');
  });

  it('--keyed no reaches set-full and lost-writes: every value is read whole', async () => {
    const f = file(keyedRead());
    const [auto, no] = await Promise.all([
      cli('check', f, '--checker', 'set-full,lost-writes', '--json'),
      cli('check', f, '--checker', 'set-full,lost-writes', '--keyed', 'no'),
    ]);
    expect(auto.code).toBe(2);
    expect(no.code).toBe(1);
    expect(no.stdout).toMatch(/process 0 added 2 and got ok at 0\.003 s \(op #3\), but every read of the set begun after the ok lacks it/);
    // A keyed append history: valid keyed; literally the read's collection ["x", [1]] lacks ["x", 1].
    const g = file(hist(ap(0, 'x', 1), rd(1, 'x', [1])));
    const [lwAuto, lwNo] = await Promise.all([
      cli('check', g, '--checker', 'lost-writes'),
      cli('check', g, '--checker', 'lost-writes', '--keyed', 'no', '--json'),
    ]);
    expect(lwAuto.code).toBe(0);
    expect(lwNo.code).toBe(1);
    expect(JSON.parse(lwNo.stdout).results[0].verdicts['lost-writes'].stats).toMatchObject({ keys: 1, lost: 1 });
  });
});

describe('faultline check and convert keep integers beyond 2^53 exact', () => {
  it('an EDN history: --json holds the bare digits, convert writes them back', async () => {
    const edn = join(dir, 'big.edn');
    writeFileSync(
      edn,
      [
        '{:index 0 :type :invoke :process 0 :f :append :value [:x 9007199254740992]}',
        '{:index 1 :type :ok :process 0 :f :append :value [:x 9007199254740992]}',
        '{:index 2 :type :invoke :process 0 :f :append :value [:x 9007199254740993]}',
        '{:index 3 :type :ok :process 0 :f :append :value [:x 9007199254740993]}',
        '{:index 4 :type :invoke :process 1 :f :read :value [:x nil]}',
        '{:index 5 :type :ok :process 1 :f :read :value [:x [9007199254740992]] :node "n1"}',
      ].join('\n') + '\n',
    );
    const r = await cli('check', edn, '--checker', 'lost-writes', '--json');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/"elements": \[\s*9007199254740993\s*\]/);
    expect(r.stdout).toContain('appended 9007199254740993 to key x');
    const out = join(dir, 'big.jsonl');
    expect((await cli('convert', edn, out)).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('{"index":5,"time":0,"type":"ok","process":1,"f":"read","value":["x",[9007199254740992]],"node":"n1"}');
  });
});
