import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

// The built CLI as a child process (argv arrays, never a shell). Several test files build; a lock
// directory (mkdir is atomic) keeps two tsc runs from writing dist/ at once.

export const root = join(import.meta.dirname, '..', '..');
export const main = join(root, 'dist', 'src', 'cli', 'main.js');

export async function buildCli(): Promise<void> {
  const lock = join(root, 'dist', '.build-lock');
  mkdirSync(join(root, 'dist'), { recursive: true });
  const t0 = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another file is building: wait for it, then trust its build.
      await new Promise((r) => setTimeout(r, 200));
      if (Date.now() - t0 > 120_000) throw new Error(`${lock} held for 2 minutes`);
      try {
        statSync(lock);
      } catch {
        if (statSync(main).mtimeMs >= t0 - 60_000) return;
      }
    }
  }
  try {
    try {
      execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], { cwd: root, stdio: 'pipe' });
    } catch {
      /* type errors still emit; a stale CLI is caught below */
    }
    if (statSync(main).mtimeMs < t0 - 2000) throw new Error(`tsc did not emit ${main}`);
  } finally {
    rmdirSync(lock);
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cli(argv: string[], opts: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [main, ...argv],
      { cwd: opts.cwd ?? root, env: opts.env, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/**
 * `faultline run` refusing a spec before anything starts: exit 64, one sentence matching `why`, no stack
 * trace, nothing on stdout. Local runtime and a 1 s workload, in case a refusal were missed.
 */
export async function expectRunRefused(argv: string[], why: RegExp): Promise<void> {
  const r = await cli(['run', '--runtime', 'local', '--time-limit', '1', ...argv]);
  expect(r.code, r.stderr).toBe(64);
  expect(r.stderr).toMatch(why);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout).toBe('');
}
