import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

// The package as a library: `import('faultline')` by name resolves through package.json "exports" (Node's
// self-reference inside the package) to dist/src/index.js, which tsc emits with its .d.ts. The build
// runs once here; the import is by name, so a wrong main/exports/types path fails this test.

const root = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  main: string;
  types: string;
  bin: Record<string, string>;
  exports: Record<string, { types: string; default: string }>;
};

beforeAll(() => {
  const t0 = Date.now();
  try {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], { cwd: root, stdio: 'pipe' });
  } catch (e) {
    void e; // type errors elsewhere still emit; a missing entry point is caught below
  }
  if (statSync(join(root, 'dist', 'src', 'index.js')).mtimeMs < t0 - 2000) throw new Error('tsc did not emit dist/src/index.js');
});

// A register history (Knossos style): process 1 reads 0 after process 0's write of 1 completed, with no
// other write in between: not linearizable, and the witness is that read (index 3).
const ops = [
  { index: 0, time: 0, type: 'invoke', process: 0, f: 'write', value: 1 },
  { index: 1, time: 1, type: 'ok', process: 0, f: 'write', value: 1 },
  { index: 2, time: 2, type: 'invoke', process: 1, f: 'read', value: null },
  { index: 3, time: 3, type: 'ok', process: 1, f: 'read', value: 0 },
];

describe("the package's library API", () => {
  it('package.json points main, types, exports and bin at files the build emits', () => {
    expect(pkg.name).toBe('faultline');
    for (const p of [pkg.main, pkg.types, pkg.exports['.']!.default, pkg.exports['.']!.types, pkg.bin.faultline!]) {
      expect(statSync(join(root, p)).isFile(), p).toBe(true);
    }
    // The declarations carry the API's types, not just `any`.
    const dts = readFileSync(join(root, pkg.types), 'utf8');
    expect(dts).toMatch(/checkHistoryFile/);
    expect(dts).toMatch(/RunSpec/);
  });

  it("import('faultline') by name checks a history to an exact verdict, in memory and from a file", async () => {
    const f = await import('faultline');
    const mem = await f.checkHistory(ops as never, { model: 'register' });
    expect(mem.valid).toBe(false);
    expect(mem.verdicts.linearizable!.anomalies.map((a) => a.ops)).toEqual([[2, 3]]);
    const file = await f.checkHistoryFile(join(root, 'examples', 'cas-register-bad.edn'), { model: 'cas-register' });
    expect(file.valid).toBe(false);
    expect(file.ops).toBe(14);
    expect(Object.keys(f.models)).toContain('cas-register');
    expect(f.checkerRegistry.has('read-your-writes')).toBe(true);
    expect(typeof f.runTest).toBe('function');
  });

  it('resolves the same way in plain Node (not only through vitest), from the built files', async () => {
    const script =
      "const f = await import('faultline'); const r = await f.checkHistoryFile(process.argv[1], { model: 'cas-register' }); " +
      'console.log(JSON.stringify([r.valid, r.ops]));';
    const out = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--input-type=module', '-e', script, join(root, 'examples', 'cas-register-bad.edn')],
        { cwd: join(root, 'test') },
        (err, stdout, stderr) => (err ? reject(new Error(stderr)) : resolve(stdout)),
      );
    });
    expect(JSON.parse(out)).toEqual([false, 14]);
  });
});
