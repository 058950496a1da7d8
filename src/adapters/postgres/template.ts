import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { PgServer } from './server.js';

const INITDB_ARGS = ['-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'];

/**
 * initdb costs 0.7-1.6 s here, most of a cluster's start; its output depends only on the server version
 * and the arguments. So we initdb once into a cache dir on the node's machine (Remote.cacheDir), named by
 * both, and copy it (cp -a, ~50 ms) into each primary's data dir. Clusters from one template share a
 * system identifier, which is harmless: every run is its own cluster. A concurrent first use races only
 * on a rename; the loser uses the winner's.
 */
export async function initPrimaryData(p: PgServer, version: string): Promise<void> {
  const node = p.node;
  const key = createHash('sha256')
    .update(`${version}\0${INITDB_ARGS.join(' ')}`)
    .digest('hex')
    .slice(0, 12);
  const template = join(node.cacheDir, `faultline-pg-initdb-${key}`);
  if (!(await node.exists(join(template, 'PG_VERSION')))) {
    const work = `${template}.${process.pid}.${Date.now()}`;
    await node.mkdir(work, { mode: 0o700, owner: 'postgres' });
    try {
      await p.asPostgres([p.bin('initdb'), '-D', work, ...INITDB_ARGS]);
      await node.rename(work, template).catch(() => undefined); // another run made it first
    } finally {
      await node.remove(work);
    }
  }
  const cp = await node.exec(['cp', '-a', '--', `${template}/.`, p.data]);
  if (cp.code !== 0) throw new Error(`${p.name}: copying the initdb template ${template} failed: ${cp.stderr.trim()}`);
}
