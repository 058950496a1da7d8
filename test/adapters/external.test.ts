import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adapterProblems, loadAdapter } from '../../src/adapters/external.js';
import { UsageError } from '../../src/errors.js';

// `faultline run --adapter PATH|PACKAGE` (issue 12): small modules under test/fixtures/adapters, loaded with
// that folder as the current directory. Every mistake is one UsageError that names what is wrong.

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'adapters');
const load = (spec: string, cwd = fixtures) => loadAdapter(spec, cwd);

async function usageError(spec: string, cwd = fixtures): Promise<string> {
  const e = await load(spec, cwd).then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(UsageError);
  return (e as Error).message;
}

const tmp: string[] = [];
afterAll(() => {
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
});

describe('loadAdapter: finding the module', () => {
  it('takes a folder with index.js, relative to the current directory, without ./', async () => {
    const r = await load('folder');
    expect(r.adapter.name).toBe('fixture');
    expect(r.file).toBe(join(fixtures, 'folder', 'index.js'));
    expect((await load('./folder/')).adapter.name).toBe('fixture');
  });

  it('takes a file, and a named `adapter` export when there is no default', async () => {
    const r = await load('./named.mjs');
    expect(r.adapter.name).toBe('named');
    expect(r.adapter.description.proxiedLinks).toEqual(['client']);
    expect((await load(join(fixtures, 'named.mjs'), '/')).adapter.name).toBe('named');
  });

  it("takes a folder whose package.json exports '.' (import condition)", async () => {
    const r = await load('pkg');
    expect(r.file).toBe(join(fixtures, 'pkg', 'lib', 'entry.js'));
    expect(r.adapter.name).toBe('fixture');
  });

  it('takes a package name, resolved from node_modules above the current directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fl-adapter-pkg-'));
    tmp.push(dir);
    const pkg = join(dir, 'node_modules', '@me', 'fl-etcd');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@me/fl-etcd', type: 'module', main: 'main.js' }));
    writeFileSync(join(pkg, 'main.js'), `export { default } from ${JSON.stringify(join(fixtures, 'folder', 'index.js'))};\n`);
    const below = join(dir, 'project', 'sub');
    mkdirSync(below, { recursive: true });
    const r = await load('@me/fl-etcd', below);
    expect(r.file).toBe(join(pkg, 'main.js'));
    expect(r.adapter.name).toBe('fixture');
  });
});

describe('loadAdapter: what is wrong, said once', () => {
  it('a missing path', async () => {
    expect(await usageError('./nothing-here')).toMatch(/--adapter \.\/nothing-here: no such file or folder \(.*nothing-here\)/);
  });

  it('a name that is neither a path nor an installed package', async () => {
    expect(await usageError('faultline-adapter-nowhere')).toMatch(/not a file or folder under .*, and no package of that name installed there/);
  });

  it('a folder without index.js or package.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fl-adapter-empty-'));
    tmp.push(dir);
    expect(await usageError(dir)).toMatch(/has no index\.js and no package\.json naming its module/);
  });

  it('a module without a default or `adapter` export lists what it exports', async () => {
    expect(await usageError('no-export.js')).toMatch(/has no default export and no export named 'adapter' \(it exports 'setup', 'version'\)/);
  });

  it('a module that throws while loading: its first line, no stack', async () => {
    const m = await usageError('throws.js');
    expect(m).toMatch(/could not be loaded as an ES module: boom while loading$/);
  });

  it('a default export that is not an object', async () => {
    expect(await usageError('not-object.js')).toMatch(/the default export of .* is not a faultline Adapter: it is string, not an object/);
  });

  it('a bad shape names every field that is off, in one message', async () => {
    const m = await usageError('bad-shape.js');
    expect(m).toContain('is not a faultline Adapter: name must be a non-empty string');
    expect(m).toContain('description.clientPort must be a port number');
    expect(m).toContain("description.proxiedLinks must be an array of 'client', 'replication'");
    expect(m).toContain("description.abilities must be an array of 'failover', 'clock'");
    expect(m).toContain("description.defaultReplication 'fast' is not one of replicationModes");
    expect(m).toContain("workloads names 'bank', which faultline has not");
    expect(m).toContain('unavailable must be a function');
    expect(m).toContain('setup must be a function');
    expect(m).toContain('docs/adapters.md');
  });

  it('adapterProblems is empty for a complete adapter', async () => {
    expect(adapterProblems((await load('folder')).adapter)).toEqual([]);
    expect(adapterProblems(null)).toEqual(['it is null, not an object']);
    expect(adapterProblems({ name: 'x' })).toContain('description is missing (an object with defaultReplication, clientPort, proxiedLinks and abilities)');
  });

  it('takes description.isolation only as levels mapped to documented models', async () => {
    const a = (await load('folder')).adapter;
    const withIsolation = (isolation: unknown) => adapterProblems({ ...a, description: { ...a.description, isolation } });
    expect(withIsolation({ serializable: { model: 'serializable', why: 'documented' } })).toEqual([]);
    for (const bad of [{ snapshot: { model: 'snapshot-isolation', why: 'x' } }, { serializable: 'serializable' }, []])
      expect(withIsolation(bad)).toEqual([expect.stringMatching(/^description.isolation, when given, must map isolation levels/)]);
  });
});
