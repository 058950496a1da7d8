import { accessSync, constants, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RuntimeNode } from '../../runtime/types.js';

/**
 * Workaround (see docs-draft/runtime-notes-from-postgres.md): the local runtime's `clock: true` preloads
 * libfaketime into `ip` and `setpriv` as root, whose semaphore the postgres user then cannot open, so
 * postgres exits at start. Until that is fixed we preload it ourselves AFTER the privilege drop, reading
 * the same offset file the runtime's setClockOffset writes (<node.dir>/faketime). Flip this to true then.
 */
export const USE_RUNTIME_CLOCK = false;

function libfaketime(): string | undefined {
  for (const dir of ['/usr/lib', '/usr/local/lib']) {
    let subdirs: string[];
    try { subdirs = readdirSync(dir); } catch { continue; }
    for (const d of ['faketime', ...subdirs.map((s) => join(s, 'faketime'))]) {
      const p = join(dir, d, 'libfaketime.so.1');
      try { accessSync(p, constants.R_OK); return p; } catch { /* next */ }
    }
  }
  return undefined;
}

/** argv prefix that runs the command under libfaketime with the node's offset file; [] without libfaketime. */
export function clockPrefix(node: RuntimeNode): string[] {
  const lib = libfaketime();
  if (USE_RUNTIME_CLOCK || !lib) return [];
  return ['/usr/bin/env', `LD_PRELOAD=${lib}`, `FAKETIME_TIMESTAMP_FILE=${join(node.dir, 'faketime')}`,
    'FAKETIME_CACHE_DURATION=1', 'FAKETIME_DONT_RESET=1', 'FAKETIME_DONT_FAKE_MONOTONIC=1'];
}
