import type { Remote } from '../../runtime/types.js';
import { firstExecutable } from '../remote.js';

const DIRS = ['/usr/bin', '/usr/local/bin', '/usr/sbin'];

/** Absolute path of a Redis binary there (redis-server, redis-sentinel), or undefined when it is not installed. */
export function redisBinPath(r: Remote, name: string): Promise<string | undefined> {
  const paths = DIRS.map((d) => `${d}/${name}`);
  return firstExecutable(r, paths);
}

export async function redisBin(r: Remote, name: string): Promise<string> {
  const p = await redisBinPath(r, name);
  if (!p) throw new Error(`redis: ${name} not found in ${DIRS.join(', ')} (install Debian's ${name}: run scripts/setup.sh)`);
  return p;
}
