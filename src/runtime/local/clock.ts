import { renameSync, writeFileSync } from 'node:fs';
import { faketimeEnv, offsetText } from '../faketime.js';
import { bin, libfaketime } from './bins.js';

/**
 * `env VAR=... ` to put before the service's argv, so libfaketime is preloaded into the service only, not
 * into `ip netns exec` and `setpriv` before it: libfaketime 0.9.10 has the first preloaded process create a
 * semaphore and hand it down (FAKETIME_SHARED); created by root `ip`, a service that setpriv made
 * 'postgres' cannot open it and exits. env execs too, so the child PID is still the service's.
 */
export function clockPrefix(offsetFile: string): string[] {
  return [bin('env'), ...Object.entries(clockEnv(offsetFile)).map(([k, v]) => `${k}=${v}`)];
}

/** libfaketime's settings for a service whose clock follows offsetFile (src/runtime/faketime.ts). */
export function clockEnv(offsetFile: string): Record<string, string> {
  const lib = libfaketime();
  if (!lib) throw new Error('clock: true needs libfaketime (Debian package faketime; run scripts/setup.sh)');
  return faketimeEnv(lib, offsetFile);
}

/** Writes the offset through a temp file and a rename, so libfaketime never reads a half-written line. */
export function writeOffset(file: string, seconds: number): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, offsetText(seconds) + '\n', { mode: 0o644 });
  renameSync(tmp, file);
}
