import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the conformance histories are: test/fixtures/conformance in this repository (copied there with
 * their origin and licence, so a clone anywhere has them). Found by walking up from this file, which
 * runs both as bench/conformance.ts (vitest) and as dist/bench/conformance.js (npm run bench). Throws when
 * they are missing: a test that cannot find its inputs fails.
 */
export function conformanceDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const c = join(dir, 'test', 'fixtures', 'conformance');
    if (existsSync(join(c, 'expected.json'))) return c;
    dir = dirname(dir);
  }
  throw new Error('conformance histories not found: test/fixtures/conformance/expected.json is missing from this checkout');
}

export interface Expected {
  model?: string;
  checker?: string;
  consistency?: string;
  valid: boolean;
}
