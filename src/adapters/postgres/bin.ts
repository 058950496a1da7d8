import { join } from 'node:path';
import type { Remote } from '../../runtime/types.js';
import { allExecutable } from '../remote.js';

const ROOT = '/usr/lib/postgresql';
const NEEDED = ['postgres', 'initdb', 'pg_basebackup'] as const;

/** Debian's server binaries there: /usr/lib/postgresql/<major>/bin of the newest major installed, or undefined. */
export async function pgBinDir(r: Remote): Promise<string | undefined> {
  let majors: string[];
  try {
    majors = (await r.readdir(ROOT)).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a));
  } catch {
    return undefined;
  }
  for (const m of majors) {
    const dir = join(ROOT, m, 'bin');
    const bins = NEEDED.map((b) => join(dir, b));
    if (await allExecutable(r, bins)) return dir;
  }
  return undefined;
}

/** The server binaries' directory; a clear error when Postgres is not installed. */
export async function mustPgBinDir(r: Remote): Promise<string> {
  const dir = await pgBinDir(r);
  if (!dir) throw new Error(`postgres: no server binaries under ${ROOT}/*/bin (install Debian's postgresql: run scripts/setup.sh)`);
  return dir;
}

/** Why the adapter cannot run there, or undefined. */
export async function missingBinaries(r: Remote): Promise<string | undefined> {
  return (await pgBinDir(r))
    ? undefined
    : `postgres: ${NEEDED.join(', ')} not found under ${ROOT}/*/bin; install Debian's postgresql (scripts/setup.sh does it as root)`;
}
