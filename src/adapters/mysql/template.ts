import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { RuntimeNode } from '../../runtime/types.js';
import type { ServerBinaries } from './bin.js';
import { INNODB_ARGS, MYSQL_USER } from './settings.js';

function initArgv(b: ServerBinaries, datadir: string): string[] {
  if (b.flavour === 'mariadb') {
    return [
      b.installDb!,
      '--no-defaults',
      `--datadir=${datadir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--skip-name-resolve',
      ...INNODB_ARGS,
    ];
  }
  // MySQL 8 (untested here): root@localhost with an empty password.
  return [b.server, '--no-defaults', '--initialize-insecure', `--datadir=${datadir}`, ...INNODB_ARGS];
}

/**
 * Installing the system tables costs ~1.7 s; its output depends only on the server version and the
 * arguments. So we do it once into a cache dir on the node's machine (Remote.cacheDir), named by both,
 * and copy it (cp -a) into each node's data dir. MySQL's auto.cnf (server_uuid) is removed from the copy so every node gets its own UUID.
 */
export async function initDataDir(node: RuntimeNode, b: ServerBinaries, datadir: string): Promise<void> {
  const key = createHash('sha256')
    .update(`${b.version}\0${initArgv(b, '').join(' ')}`)
    .digest('hex')
    .slice(0, 12);
  const template = join(node.cacheDir, `faultline-mysql-template-${key}`);
  if (!(await node.exists(join(template, 'mysql')))) {
    const work = `${template}.${process.pid}.${Date.now()}`;
    await node.mkdir(work, { mode: 0o755, owner: MYSQL_USER });
    try {
      const data = join(work, 'data');
      const r = await node.exec(initArgv(b, data), { user: MYSQL_USER, timeoutMs: 120_000 });
      if (r.code !== 0) throw new Error(`${node.name}: initializing ${data} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim().slice(-2000)}`);
      await node.rename(data, template).catch(() => undefined); // another run made it first
    } finally {
      await node.remove(work);
    }
  }
  const cp = await node.exec(['cp', '-a', '--', `${template}/.`, datadir]);
  if (cp.code !== 0) throw new Error(`${node.name}: copying the data dir template ${template} failed: ${cp.stderr.trim()}`);
  await node.remove(join(datadir, 'auto.cnf'));
}
