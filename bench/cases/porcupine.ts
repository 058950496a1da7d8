// faultline beside Porcupine (Go) on Porcupine's own test data: its kv test with 50 clients (c50-ok,
// c50-bad) and the 102 Jepsen etcd logs its tests check. Porcupine v1.3.1 comes through the Go module
// proxy into bench/porcupine/.cache (git-ignored; GOMODCACHE, GOPATH and GOCACHE all point there), its
// test binary is built once, and each side runs as a whole process: Porcupine's test binary running the
// named tests, `faultline check` on the same histories converted to JSONL (bench/porcupine/convert.ts).
// Each is run REPEAT times, interleaved; the fastest and the median are printed side by side, with the
// verdicts against Porcupine's expected ones. Without Go or the network: "Porcupine not available".
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatOpLine } from '../../src/history/writer.js';
import { jepsenEtcdLogToOps, kvLogToOps } from '../porcupine/convert.js';
import type { BenchCase } from '../types.js';

const MODULE = 'github.com/anishathalye/porcupine';
const VERSION = 'v1.3.1';
const REPEAT = 5;
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CACHE = join(ROOT, 'bench/porcupine/.cache');
const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const TEST_BIN = join(CACHE, `porcupine-${VERSION}.test`);

function goEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOMODCACHE: join(CACHE, 'mod'),
    GOPATH: join(CACHE, 'gopath'),
    GOCACHE: join(CACHE, 'gocache'),
    GOFLAGS: '-modcacherw',
    GOTOOLCHAIN: 'local',
  };
}

/** Fetches Porcupine and builds its test binary; returns its module folder, or why it is not available. */
export function fetchPorcupine(): { dir: string } | { missing: string } {
  try {
    mkdirSync(CACHE, { recursive: true });
    const out = execFileSync('go', ['mod', 'download', '-json', `${MODULE}@${VERSION}`], {
      cwd: CACHE,
      env: goEnv(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    const dir = (JSON.parse(out) as { Dir?: string; Error?: string }).Dir;
    if (!dir) return { missing: 'go mod download gave no folder' };
    if (!existsSync(TEST_BIN)) {
      execFileSync('go', ['test', '-c', '-o', TEST_BIN, '.'], { cwd: dir, env: goEnv(), stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
    }
    return { dir };
  } catch (e) {
    const err = e as { stderr?: Buffer | string; message: string };
    const why =
      String(err.stderr ?? '')
        .trim()
        .split('\n')[0] || err.message.split('\n')[0];
    return { missing: why };
  }
}

/** Porcupine's expected verdict for each etcd log, from its own tests (checkJepsen(t, N, true|false)). */
function expectedEtcd(dir: string): Map<number, boolean> {
  const src = readFileSync(join(dir, 'porcupine_test.go'), 'utf8');
  return new Map([...src.matchAll(/checkJepsen\(t, (\d+), (true|false)\)/g)].map((m) => [Number(m[1]), m[2] === 'true']));
}

function writeJsonl(file: string, ops: ReturnType<typeof kvLogToOps>): void {
  writeFileSync(file, ops.map(formatOpLine).join(''));
}

interface Timed {
  ms: number;
  status: number | null;
  stdout: string;
}

function timed(cmd: string, args: string[], cwd: string): Timed {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
  return { ms: performance.now() - t0, status: r.status, stdout: r.stdout ?? '' };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`);
const both = (xs: number[]) => `${fmt(Math.min(...xs))} (median ${fmt(median(xs))})`;

interface Setup {
  missing?: string;
  dir?: string;
}

function readSetup(dir: string): Setup {
  return JSON.parse(readFileSync(join(dir, 'setup.json'), 'utf8')) as Setup;
}

/** Verdicts of `faultline check --json` per file name. */
function verdicts(stdout: string): Map<string, unknown> {
  const doc = JSON.parse(stdout) as { results: { file: string; valid?: unknown; error?: unknown }[] };
  return new Map(doc.results.map((r) => [r.file.replace(/.*\//, ''), 'error' in r ? 'error' : r.valid]));
}

const kvCase: BenchCase = {
  name: 'porcupine kv 50 clients (c50-ok, c50-bad) vs Porcupine',
  async prepare(dir) {
    const p = fetchPorcupine();
    if ('missing' in p) return writeFileSync(join(dir, 'setup.json'), JSON.stringify({ missing: p.missing }));
    for (const n of ['c50-ok', 'c50-bad']) writeJsonl(join(dir, `${n}.jsonl`), kvLogToOps(readFileSync(join(p.dir, 'test_data/kv', `${n}.txt`), 'utf8')));
    writeFileSync(join(dir, 'setup.json'), JSON.stringify({ dir: p.dir }));
  },
  async run(dir) {
    const s = readSetup(dir);
    if (!s.dir) return { ops: 0, note: `Porcupine not available (${s.missing}); faultline alone not timed` };
    const notes: string[] = [];
    let ops = 0;
    for (const [name, test, expect] of [
      ['c50-ok', 'TestKv50ClientsOk', 0],
      ['c50-bad', 'TestKv50ClientsBad', 1],
    ] as const) {
      const file = join(dir, `${name}.jsonl`);
      ops += readFileSync(file, 'utf8').split('\n').length - 1;
      const ours: number[] = [];
      const theirs: number[] = [];
      // Inside the process: faultline's own elapsedMs (load, lint, check), Porcupine's test time (-test.v, 10 ms steps).
      const oursIn: number[] = [];
      const theirsIn: number[] = [];
      let wrong = 0;
      for (let i = 0; i < REPEAT; i++) {
        const f = timed(process.execPath, [CLI, 'check', file, '--model', 'kv', '--json'], dir);
        if (f.status !== expect) wrong++;
        ours.push(f.ms);
        oursIn.push((JSON.parse(f.stdout) as { results: { elapsedMs: number }[] }).results[0].elapsedMs);
        const g = timed(TEST_BIN, ['-test.run', `^${test}$`, '-test.count=1', '-test.v'], s.dir);
        if (g.status !== 0) wrong++;
        theirs.push(g.ms);
        const secs = /--- PASS: \S+ \(([\d.]+)s\)/.exec(g.stdout);
        if (secs) theirsIn.push(Number(secs[1]) * 1000);
      }
      notes.push(
        `${name}: faultline ${both(ours)} vs Porcupine ${both(theirs)}, ratio ${(Math.min(...ours) / Math.min(...theirs)).toFixed(2)}` +
          `; the check alone ${both(oursIn)} vs ${theirsIn.length ? both(theirsIn) : '?'}` +
          `${wrong ? `, ${wrong} WRONG verdicts` : ', verdicts as Porcupine'}`,
      );
    }
    return { ops, note: `${notes.join('; ')} (goal: <= half Porcupine's time; whole processes, ${REPEAT} runs each)` };
  },
};

const etcdCase: BenchCase = {
  name: 'porcupine 102 etcd Jepsen logs, one process each side',
  async prepare(dir) {
    const p = fetchPorcupine();
    if ('missing' in p) return writeFileSync(join(dir, 'setup.json'), JSON.stringify({ missing: p.missing }));
    const expected = expectedEtcd(p.dir);
    mkdirSync(join(dir, 'etcd'));
    for (const n of expected.keys()) {
      const log = join(p.dir, 'test_data/jepsen', `etcd_${String(n).padStart(3, '0')}.log`);
      writeJsonl(join(dir, 'etcd', `etcd_${String(n).padStart(3, '0')}.jsonl`), jepsenEtcdLogToOps(readFileSync(log, 'utf8')));
    }
    writeFileSync(join(dir, 'expected.json'), JSON.stringify(Object.fromEntries(expected)));
    writeFileSync(join(dir, 'setup.json'), JSON.stringify({ dir: p.dir }));
  },
  async run(dir) {
    const s = readSetup(dir);
    if (!s.dir) return { ops: 0, note: `Porcupine not available (${s.missing}); faultline alone not timed` };
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, boolean>;
    const files = readdirSync(join(dir, 'etcd'))
      .sort()
      .map((f) => join(dir, 'etcd', f));
    const ops = files.reduce((n, f) => n + readFileSync(f, 'utf8').split('\n').length - 1, 0);
    const ours: number[] = [];
    const theirs: number[] = [];
    let wrong = 0;
    let failedRuns = 0;
    for (let i = 0; i < REPEAT; i++) {
      const f = timed(process.execPath, [CLI, 'check', ...files, '--model', 'cas-register', '--json'], dir);
      ours.push(f.ms);
      if (i === 0) {
        const got = verdicts(f.stdout);
        for (const [n, v] of Object.entries(expected)) if (got.get(`etcd_${n.padStart(3, '0')}.jsonl`) !== v) wrong++;
      }
      const g = timed(TEST_BIN, ['-test.run', '^TestEtcdJepsen', '-test.count=1'], s.dir);
      if (g.status !== 0) failedRuns++;
      theirs.push(g.ms);
    }
    return {
      ops,
      note:
        `${files.length} files: faultline ${both(ours)} vs Porcupine ${both(theirs)}, ratio ${(Math.min(...ours) / Math.min(...theirs)).toFixed(2)}; ` +
        `${wrong === 0 ? 'every verdict as Porcupine expects' : `${wrong} verdicts DIFFER from Porcupine's`}` +
        `${failedRuns ? `; Porcupine's own tests failed ${failedRuns} times` : ''} (goal: keep ahead; whole processes, ${REPEAT} runs each)`,
    };
  },
};

export const cases: BenchCase[] = [kvCase, etcdCase];
