import { createHash } from 'node:crypto';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pgBin } from './bin.js';
import type { PgServer } from './server.js';

const INITDB_ARGS = ['-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'];

/**
 * initdb costs 0.7-1.6 s here, most of a cluster's start; its output depends only on the server version
 * and the arguments. So we initdb once into a cache dir named by both and copy it (cp -a, ~50 ms) into
 * each primary's data dir. Clusters from one template share a system identifier, which is harmless:
 * every run is its own cluster. A concurrent first use races only on a rename; the loser uses the winner's.
 */
export async function initPrimaryData(p: PgServer, version: string): Promise<void> {
  const key = createHash('sha256')
    .update(`${version}\0${INITDB_ARGS.join(' ')}`)
    .digest('hex')
    .slice(0, 12);
  const template = join(tmpdir(), `faultline-pg-initdb-${key}`);
  if (!existsSync(join(template, 'PG_VERSION'))) {
    const work = `${template}.${process.pid}.${Date.now()}`;
    const mk = await p.node.exec(['install', '-d', '-o', 'postgres', '-g', 'postgres', '-m', '0700', work]);
    if (mk.code !== 0) throw new Error(`creating ${work} failed: ${mk.stderr.trim()}`);
    try {
      await p.asPostgres([pgBin('initdb'), '-D', work, ...INITDB_ARGS]);
      try {
        renameSync(work, template);
      } catch {
        /* another run made it first */
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  const cp = await p.node.exec(['cp', '-a', '--', `${template}/.`, p.data]);
  if (cp.code !== 0) throw new Error(`${p.name}: copying the initdb template ${template} failed: ${cp.stderr.trim()}`);
}
