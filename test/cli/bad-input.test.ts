import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticRun } from '../report/fixture.js';
import { buildCli, cli } from './cli.js';

// Bad input gets a clear error (plain words, no stack trace, the right exit code), and nothing is destroyed.

let dir: string;
beforeAll(async () => {
  await buildCli();
  dir = mkdtempSync(join(tmpdir(), 'faultline-bad-input-'));
}, 180_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const line = (o: Record<string, unknown>) => JSON.stringify(o) + '\n';
const readOk =
  line({ index: 0, time: 0, type: 'invoke', process: 0, f: 'read', value: null }) + line({ index: 1, time: 1, type: 'ok', process: 0, f: 'read', value: null });
let n = 0;
function file(text: string | Buffer, name = `h${n++}.jsonl`): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}
const noTrace = (s: string) => expect(s).not.toMatch(/\n\s+at |internal error/);

describe('check: large and special inputs', () => {
  it('refuses /dev/zero within the first chunk instead of reading it without bound', async () => {
    const r = await cli(['check', '/dev/zero', '--model', 'register'], { timeoutMs: 20_000 });
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/\/dev\/zero:1: not a text file/);
  });

  it('refuses a line longer than 64 MB early, saying what to do', async () => {
    const f = file(Buffer.alloc(65 * 1024 * 1024, 'a'));
    const r = await cli(['check', f, '--model', 'register']);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/line 1 is longer than 64 MB/);
    expect(r.stderr).not.toMatch(/readHistory|loadHistory/);
  });

  it('says missing files and directories in plain words, exit 65', async () => {
    const gone = await cli(['check', join(dir, 'no-such.jsonl'), '--model', 'register']);
    expect(gone.code).toBe(65);
    expect(gone.stderr).toMatch(/cannot read history: does not exist/);
    const d = await cli(['check', dir, '--model', 'register']);
    expect(d.code).toBe(65);
    expect(d.stderr).toMatch(/cannot read history: is a directory/);
    expect(d.stderr + gone.stderr).not.toMatch(/E[A-Z]{3,}/);
  });
});

describe('check: several files, one bad', () => {
  const casOk = () =>
    file(
      line({ index: 0, time: 0, type: 'invoke', process: 0, f: 'write', value: 1 }) + line({ index: 1, time: 1, type: 'ok', process: 0, f: 'write', value: 1 }),
    );
  const casBad = () =>
    file(
      line({ index: 0, time: 0, type: 'invoke', process: 0, f: 'cas', value: 'zz' }) +
        line({ index: 1, time: 1, type: 'ok', process: 0, f: 'cas', value: 'zz' }),
    );

  it('--json prints an entry per file, in order, with the error for the bad one; the worst file decides the exit code', async () => {
    const a = casOk();
    const b = casBad();
    const c = join(dir, 'missing.jsonl');
    const r = await cli(['check', a, b, c, '--model', 'cas-register', '--json']);
    const out = JSON.parse(r.stdout) as {
      summary: Record<string, number>;
      results: { file: string; valid?: unknown; error?: { kind: string; messages: string[] } }[];
    };
    expect(out.results.map((e) => e.file)).toEqual([a, b, c]);
    expect(out.results[0]!.valid).toBe(true);
    expect(out.results[1]!.error!.kind).toBe('model');
    expect(out.results[1]!.error!.messages[0]).toMatch(/does not fit model cas-register/);
    expect(out.results[2]!.error).toEqual({ kind: 'unreadable', messages: [`${c}: cannot read history: does not exist`] });
    expect(out.summary).toMatchObject({ files: 3, valid: 1, failed: 2 });
    expect(r.code).toBe(64); // a history that does not fit the model beats unreadable
    const r2 = await cli(['check', a, c, '--model', 'cas-register', '--json']);
    expect(r2.code).toBe(65);
    expect(JSON.parse(r2.stdout).results[0].valid).toBe(true);
  });

  it('without --json, the good file still gets its verdict line', async () => {
    const r = await cli(['check', casOk(), casBad(), '--model', 'cas-register']);
    expect(r.stdout).toMatch(/: valid \(linearizable\)/);
    expect(r.stdout).toMatch(/2 histories: 1 valid, 0 invalid, 0 unknown, 1 not checked/);
    expect(r.stderr).toMatch(/does not fit model/);
    expect(r.code).toBe(64);
  });
});

describe('check: what a history says, said plainly', () => {
  it('an empty history is unknown (nothing was tested), not valid', async () => {
    const r = await cli(['check', file(''), '--model', 'register', '--checker', 'stats']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/UNKNOWN/);
    expect(r.stdout).toMatch(/linearizable: the history has no operations: nothing was tested/);
  });

  it('warns about an unknown EDN tag, with its line; record literals and #inst stay silent', async () => {
    const edn =
      '{:type :invoke, :f :read, :process 0, :value nil, :at #inst "2020-01-01"}\n' +
      '#foo/bar {:type :ok, :f :read, :process 0, :value nil}\n' +
      '#jepsen.history.Op{:type :invoke, :f :read, :process 1, :value nil}\n';
    const r = await cli(['check', file(edn, 'tags.edn'), '--model', 'register']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/warning: line 2: unknown EDN tag #foo\/bar/);
    expect(r.stdout).not.toMatch(/#inst|jepsen\.history\.Op/);
  });

  it('escapes control characters from history values in terminal output', async () => {
    const f = file(line({ index: 0, time: 0, type: 'ok', process: 0, f: 'r\u001b[31mead\r', value: null }));
    const r = await cli(['check', f, '--model', 'register']);
    expect(r.code).toBe(65);
    // eslint-disable-next-line no-control-regex -- control characters are what this test looks for
    expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(r.stderr).toContain('r\\x1b[31mead\\r');
  });

  it('lint says it shows the first 20 of N problems', async () => {
    let text = '';
    for (let i = 0; i < 25; i++) text += line({ index: i, time: i, type: 'ok', process: i, f: 'read', value: null });
    const r = await cli(['check', file(text), '--model', 'register']);
    expect(r.code).toBe(65);
    expect(r.stderr.trim().split('\n')).toHaveLength(21);
    expect(r.stderr).toMatch(/\.\.\. and 5 more problems: the first 20 of 25 are shown/);
  });
});

describe('convert: never replaces what OUTPUT is', () => {
  const input = () => file(readOk);

  it('refuses a symlink, a FIFO, a directory and /dev/null as OUTPUT (64), leaving each as it was', async () => {
    const target = file('keep me\n', 'target.txt');
    const link = join(dir, 'link.jsonl');
    symlinkSync(target, link);
    const fifo = join(dir, 'fifo.jsonl');
    execFileSync('mkfifo', [fifo]);
    for (const out of [link, fifo, dir, '/dev/null']) {
      const r = await cli(['convert', input(), out]);
      expect(r.code, out).toBe(64);
      expect(r.stderr).toMatch(/is a (symlink|FIFO \(named pipe\)|directory|character device); convert writes a new regular file/);
      noTrace(r.stderr);
    }
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('keep me\n');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('still replaces a regular file, and says plainly when the folder is missing (65)', async () => {
    const out = file('old\n', 'out.jsonl');
    expect((await cli(['convert', input(), out])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^\{"index":0/);
    const r = await cli(['convert', input(), join(dir, 'no-such-dir', 'x.jsonl')]);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/cannot write converted history: its folder does not exist/);
  });
});

describe('report and analyze: malformed or missing run files', () => {
  const run = (name: string) => writeSyntheticRun(join(dir, 'store'), name);

  it('a missing run directory is unreadable input (65) for report and analyze, as for check', async () => {
    for (const cmd of ['report', 'analyze']) {
      const r = await cli([cmd, join(dir, 'no-such-run')]);
      expect(r.code, cmd).toBe(65);
      expect(r.stderr).toMatch(/no-such-run: cannot read run: does not exist/);
    }
  });

  it('run.json or results.json that is null, truncated or of the wrong types: a plain message and 65, no stack trace', async () => {
    const cases: [string, string, RegExp][] = [
      ['run.json', 'null', /run\.json: malformed: run\.json should be an object, not null/],
      ['run.json', '{"spec": {"db": "postgres", "work', /run\.json: not valid JSON/],
      ['run.json', '{"spec": {"nodes": "three"}}', /run\.json\.spec\.nodes should be a number, not a string/],
      ['results.json', '{"valid": "maybe", "verdicts": {}}', /results\.json\.valid should be true, false or "unknown"/],
      [
        'results.json',
        '{"valid": true, "verdicts": {"x": {"valid": true, "anomalies": [{"kind": 1}]}}}',
        /results\.json\.verdicts\.x\.anomalies\[0\]\.ops is missing/,
      ],
    ];
    for (const [name, text, message] of cases) {
      const d = run(`bad-${n++}`);
      writeFileSync(join(d, name), text);
      const r = await cli(['report', d]);
      expect(r.code, `${name} ${text}`).toBe(65);
      expect(r.stderr).toMatch(message);
      noTrace(r.stderr);
      if (name === 'run.json') {
        const a = await cli(['analyze', d]);
        expect(a.code, `analyze ${text}`).toBe(65);
        expect(a.stderr).toMatch(message);
        noTrace(a.stderr);
      }
    }
  });

  it('analyze repairs a broken results.json rather than refusing it', async () => {
    const d = run('repair');
    writeFileSync(join(d, 'results.json'), 'null');
    const r = await cli(['analyze', d]);
    expect([0, 1, 2]).toContain(r.code);
    expect(JSON.parse(readFileSync(join(d, 'results.json'), 'utf8')).verdicts).toBeTypeOf('object');
  });

  it('one bad sibling run does not break the rebuilt index: it is listed as unreadable, with a note', async () => {
    const store = join(dir, 'siblings');
    const good = writeSyntheticRun(store, 'good');
    const bad = writeSyntheticRun(store, 'bad');
    writeFileSync(join(bad, 'run.json'), 'null');
    const r = await cli(['report', good]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/note: the index lists bad\/20260101T000000Z as unreadable: run\.json: malformed/);
    const index = readFileSync(join(store, 'index.html'), 'utf8');
    expect(index).toContain('good/20260101T000000Z');
    expect(index).toMatch(/"verdict":"unreadable"/);
  });

  it('writes the index of runs only into a faultline store, never over an unrelated index.html', async () => {
    const outside = join(dir, 'website');
    const d = writeSyntheticRun(outside, 'copied');
    rmSync(join(outside, '.faultline-store'));
    writeFileSync(join(outside, 'index.html'), '<h1>my home page</h1>\n');
    const r = await cli(['report', d]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(outside, 'index.html'), 'utf8')).toBe('<h1>my home page</h1>\n');
    expect(existsSync(join(d, 'index.html'))).toBe(true);
    expect(r.stderr).toMatch(/no index of runs written: .*website is not a faultline store \(no \.faultline-store/);
  });
});

describe('file errors in plain words', () => {
  it('a symlink loop as a history: "too many symlinks", 65', async () => {
    const loop = join(dir, 'loop.jsonl');
    symlinkSync(loop, loop);
    const r = await cli(['check', loop, '--model', 'register']);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/loop\.jsonl: cannot read history: too many symlinks/);
    expect(r.stderr).not.toMatch(/ELOOP/);
  });

  it('a report that cannot be written names the file in words, no stack trace', async () => {
    const d = writeSyntheticRun(join(dir, 'unwritable'), 'r');
    mkdirSync(join(d, 'index.html', 'x'), { recursive: true }); // a folder where the report goes
    const r = await cli(['report', d]);
    expect(r.code).toBe(70);
    expect(r.stderr).toMatch(/index\.html: cannot write: is a directory/);
    noTrace(r.stderr);
    expect(readdirSync(d).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
