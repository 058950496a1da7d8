import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the shared conformance histories are: $FAULTLINE_CONFORMANCE, else the nearest
 * `shared/conformance` beside an ancestor of this checkout (the layout of our workspace), else
 * /work/shared/conformance. Throws when none exists: a test that cannot find its inputs fails.
 */
export function conformanceDir(): string {
  const tried: string[] = [];
  const env = process.env.FAULTLINE_CONFORMANCE;
  if (env) {
    if (existsSync(join(env, 'expected.json'))) return resolve(env);
    tried.push(env);
  }
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const c = join(dir, 'shared', 'conformance');
    if (existsSync(join(c, 'expected.json'))) return c;
    tried.push(c);
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  if (existsSync('/work/shared/conformance/expected.json')) return '/work/shared/conformance';
  throw new Error(`conformance histories not found (tried ${tried.join(', ')}, /work/shared/conformance); set FAULTLINE_CONFORMANCE`);
}

export interface Expected {
  model?: string;
  checker?: string;
  consistency?: string;
  valid: boolean;
}
