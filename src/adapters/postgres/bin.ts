import { accessSync, constants, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = '/usr/lib/postgresql';
const NEEDED = ['postgres', 'initdb', 'pg_basebackup'] as const;

/** Debian's server binaries: /usr/lib/postgresql/<major>/bin of the newest major installed, or undefined. */
export function pgBinDir(): string | undefined {
  let majors: string[];
  try {
    majors = readdirSync(ROOT)
      .filter((d) => /^\d+$/.test(d))
      .sort((a, b) => Number(b) - Number(a));
  } catch {
    return undefined;
  }
  for (const m of majors) {
    const dir = join(ROOT, m, 'bin');
    try {
      for (const b of NEEDED) accessSync(join(dir, b), constants.X_OK);
      return dir;
    } catch {
      /* next */
    }
  }
  return undefined;
}

/** Absolute path of a server binary; a clear error when Postgres is not installed. */
export function pgBin(name: string): string {
  const dir = pgBinDir();
  if (!dir) throw new Error(`postgres: no server binaries under ${ROOT}/*/bin (install Debian's postgresql: run scripts/setup.sh)`);
  return join(dir, name);
}

/** Why the adapter cannot run here, or undefined. */
export function missingBinaries(): string | undefined {
  return pgBinDir()
    ? undefined
    : `postgres: ${NEEDED.join(', ')} not found under ${ROOT}/*/bin; install Debian's postgresql (scripts/setup.sh does it as root)`;
}
