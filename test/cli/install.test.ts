import { execFile, execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { canDrawPngs } from '../../src/run/setup.js';

// What installs when (issue 10). The `faultline` wrapper at the repository root runs scripts/setup.sh,
// then the CLI. With FAULTLINE_SETUP_DRY_RUN=1 the script prints the components it was asked for and what
// it would install, and changes nothing: these tests read that line to see what each command asks for.
// check and --version must ask for `base` only (npm packages and the build), never a database or apt.

const root = join(import.meta.dirname, '..', '..');
const main = join(root, 'dist', 'src', 'cli', 'main.js');
const wrapper = join(root, 'faultline');

beforeAll(() => {
  const t0 = Date.now();
  try {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], { cwd: root, stdio: 'pipe' });
  } catch (e) {
    void e; // type errors elsewhere still emit; a stale CLI is caught below
  }
  if (statSync(main).mtimeMs < t0 - 2000) throw new Error(`tsc did not emit ${main}`);
});

interface Out {
  code: number;
  stdout: string;
  stderr: string;
}
function exec(file: string, argv: string[], env: Record<string, string> = {}): Promise<Out> {
  return new Promise((resolve) => {
    execFile(file, argv, { cwd: root, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}
const dry = { FAULTLINE_SETUP_DRY_RUN: '1' };
/** The components setup.sh was asked for, from its dry-run line. */
function components(stderr: string): string[] {
  const lines = stderr.split('\n').filter((l) => l.startsWith('faultline setup: dry run, components: '));
  expect(lines).toHaveLength(1);
  return lines[0]!.slice('faultline setup: dry run, components: '.length).split(' ');
}
/** Lines where setup.sh says it would install a system package, fetch jars or add a user. */
const systemWide = (stderr: string) => stderr.split('\n').filter((l) => /would (install|fetch|create)/.test(l));

describe('the faultline wrapper installs only what the command needs', () => {
  it('check runs setup for base only, then checks (exit 1: the history is not linearizable)', async () => {
    const r = await exec(wrapper, ['check', 'examples/cas-register-bad.edn', '--model', 'cas-register'], dry);
    expect(components(r.stderr)).toEqual(['base']);
    expect(systemWide(r.stderr)).toEqual([]);
    expect(r.stdout).toMatch(/^examples\/cas-register-bad\.edn: INVALID \(linearizable\)/);
    expect(r.code).toBe(1);
  });

  it('--version runs setup for base only and prints the version', async () => {
    const r = await exec(wrapper, ['--version'], dry);
    expect(components(r.stderr)).toEqual(['base']);
    expect(systemWide(r.stderr)).toEqual([]);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(r.code).toBe(0);
  });

  it('every other command (here its --help) also asks for base only', async () => {
    for (const cmd of ['convert', 'analyze', 'report', 'serve', 'cleanup', 'run', 'setup', 'images']) {
      const r = await exec(wrapper, [cmd, '--help'], dry);
      expect(components(r.stderr), cmd).toEqual(['base']);
      expect(systemWide(r.stderr), cmd).toEqual([]);
      expect(r.stdout, cmd).toContain(`Usage: faultline ${cmd}`);
      expect(r.code, cmd).toBe(0);
    }
  });

  it('setup with no option asks for every component, system packages before the npm install, images after the build', async () => {
    const r = await exec(process.execPath, [main, 'setup', '--dry-run']);
    expect(components(r.stderr)).toEqual(['local', 'docker', 'postgres', 'mysql', 'redis', 'etcd', 'cassandra', 'report', 'chromium', 'base', 'images']);
    expect(r.code).toBe(0);
  });

  it('setup --db redis asks for the local runtime and redis (and the report headers only when canvas is missing)', async () => {
    const r = await exec(process.execPath, [main, 'setup', '--dry-run', '--db', 'redis']);
    expect(components(r.stderr)).toEqual(['local', 'redis', ...((await canDrawPngs()) ? [] : ['report'])]);
    expect(r.code).toBe(0);
  });

  it('setup refuses an unknown database, and setup.sh an unknown component, as usage errors', async () => {
    const a = await exec(process.execPath, [main, 'setup', '--db', 'oracle']);
    expect(a.code).toBe(64);
    expect(a.stderr).toContain("unknown database 'oracle'");
    const b = await exec('bash', [join(root, 'scripts', 'setup.sh'), 'oracle'], dry);
    expect(b.code).toBe(64);
    expect(b.stderr).toContain("unknown component 'oracle'");
  });
});

describe('faultline with no command', () => {
  it('prints the help to stderr and exits 64, from the CLI and through the wrapper', async () => {
    for (const r of [await exec(process.execPath, [main]), await exec(wrapper, [], dry)]) {
      expect(r.code).toBe(64);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('Usage: faultline [options] [command]');
      expect(r.stderr).toMatch(/setup \[options\]/);
    }
  });
});
