import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** sbin dirs are searched too: a root shell's PATH usually has them, a test runner's sometimes not. */
const EXTRA_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/local/bin', '/usr/bin', '/bin'];

const found = new Map<string, string | undefined>();

/** Absolute path of an executable, or undefined when it is nowhere on PATH or the sbin dirs. */
export function which(name: string): string | undefined {
  if (found.has(name)) return found.get(name);
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  let hit: string | undefined;
  for (const dir of dirs) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      hit = join(dir, name);
      break;
    } catch {
      /* next */
    }
  }
  found.set(name, hit);
  return hit;
}

/** Like which, but a missing binary is an error naming it. */
export function bin(name: string): string {
  const path = which(name);
  if (!path) throw new Error(`the local runtime needs '${name}' and it is not installed (run scripts/setup.sh)`);
  return path;
}

/** libfaketime.so.1 under /usr/lib/<multiarch>/faketime/, or undefined. */
export function libfaketime(): string | undefined {
  for (const base of ['/usr/lib', '/usr/local/lib']) {
    let entries: string[];
    try {
      entries = readdirSync(base);
    } catch {
      continue;
    }
    for (const e of ['faketime', ...entries.map((d) => join(d, 'faketime'))]) {
      const path = join(base, e, 'libfaketime.so.1');
      try {
        accessSync(path, constants.R_OK);
        return path;
      } catch {
        /* next */
      }
    }
  }
  return undefined;
}
