import { accessSync, constants } from 'node:fs';

const DIRS = ['/usr/bin', '/usr/local/bin', '/usr/sbin'];

/** Absolute path of a Redis binary (redis-server, redis-sentinel), or undefined when it is not installed. */
export function redisBinPath(name: string): string | undefined {
  for (const d of DIRS) {
    try {
      accessSync(`${d}/${name}`, constants.X_OK);
      return `${d}/${name}`;
    } catch {
      /* next */
    }
  }
  return undefined;
}

export function redisBin(name: string): string {
  const p = redisBinPath(name);
  if (!p) throw new Error(`redis: ${name} not found in ${DIRS.join(', ')} (install Debian's ${name}: run scripts/setup.sh)`);
  return p;
}
