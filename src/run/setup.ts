import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RunFailure, UsageError } from '../errors.js';
import { pngRenderer } from '../report/png.js';

/**
 * What scripts/setup.sh installs, one component at a time: `base` (npm packages and the build of a clone),
 * `local` (the local runtime's tools), `docker` (an engine that answers, and debootstrap), one per database (and `etcd`, for the example adapter examples/adapters/etcd),
 * `report` (the headers canvas builds against, for PNG charts), `chromium` (browser tests) and `images` (the
 * docker runtime's images, built locally). Nothing installs unless asked: the CLI wrapper asks for base,
 * `faultline run --db X` for local + X (+ report when canvas is missing), `faultline setup` for what it is told.
 */
export const COMPONENTS = ['base', 'local', 'docker', 'postgres', 'mysql', 'redis', 'etcd', 'cassandra', 'report', 'chromium', 'images'] as const;
export type Component = (typeof COMPONENTS)[number];
export const DATABASES = ['postgres', 'mysql', 'redis', 'cassandra'] as const;

/** scripts/setup.sh of this package (src/run in tests, dist/src/run when built), or undefined. */
export function setupScript(): string | undefined {
  for (const up of ['../../scripts/setup.sh', '../../../scripts/setup.sh']) {
    const p = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** Whether reports can draw PNG charts (the optional chartjs-node-canvas and its native canvas load). */
export async function canDrawPngs(): Promise<boolean> {
  return typeof (await pngRenderer()) !== 'string';
}

/** What `run --db` needs for these databases: the local runtime, each database, and the report's headers only when canvas is missing. */
export async function componentsFor(dbs: readonly string[]): Promise<Component[]> {
  for (const db of dbs) {
    if (!(DATABASES as readonly string[]).includes(db)) throw new UsageError(`unknown database '${db}'; databases: ${DATABASES.join(', ')}`);
  }
  return ['local', ...(dbs as Component[]), ...((await canDrawPngs()) ? [] : ['report' as const])];
}

export interface SetupOptions {
  /** Print the components and what would be installed; change nothing (FAULTLINE_SETUP_DRY_RUN=1). */
  dryRun?: boolean;
}

/**
 * Runs scripts/setup.sh with these components (argv, no shell); its lines go to stderr. Resolves when
 * everything asked for is present. Throws UsageError (exit 64) when something is missing that this user
 * cannot install (the script has printed what to install and how), RunFailure when an install failed.
 */
export async function setup(components: readonly Component[], opts: SetupOptions = {}): Promise<void> {
  const script = setupScript();
  if (!script) throw new RunFailure('scripts/setup.sh is not in this installation of faultline');
  const env = { ...process.env, ...(opts.dryRun ? { FAULTLINE_SETUP_DRY_RUN: '1' } : {}) };
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn('bash', [script, ...components], { stdio: ['ignore', 2, 2], env });
    child.on('error', reject);
    child.on('exit', (c, sig) => resolve(c ?? (sig ? 128 : 1)));
  });
  if (code === 0) return;
  if (code === 3) throw new UsageError(`what ${components.join(', ')} needs is not installed and this user cannot install it (see the lines above)`);
  throw new RunFailure(`setup of ${components.join(', ')} failed (scripts/setup.sh exited with ${code}; see the lines above)`);
}
