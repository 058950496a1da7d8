import { execFile } from 'node:child_process';
import { which } from '../../runtime/local/bins.js';
import type { Flavour } from './flavour.js';

export interface ServerBinaries {
  flavour: Flavour;
  /** mariadbd or mysqld. */
  server: string;
  /** mariadb-install-db (MariaDB); MySQL initializes with `mysqld --initialize-insecure`. */
  installDb?: string;
  version: string;
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((res) => execFile(cmd, args, (e, out) => res(e ? '' : String(out).trim())));
}

let cached: Promise<ServerBinaries | string> | undefined;

/** Finds the server binary and tells MariaDB from MySQL by its --version; a string says what is missing. */
export function serverBinaries(): Promise<ServerBinaries | string> {
  cached ??= (async () => {
    const server = which('mariadbd') ?? which('mysqld');
    if (!server) return "mysql: neither mariadbd nor mysqld is installed; install Debian's mariadb-server (scripts/setup.sh does it as root)";
    const version = await run(server, ['--version']);
    if (!version) return `mysql: \`${server} --version\` failed`;
    if (/mariadb/i.test(version)) {
      const installDb = which('mariadb-install-db') ?? which('mysql_install_db');
      if (!installDb) return 'mysql: MariaDB found but mariadb-install-db is missing (package mariadb-server)';
      return { flavour: 'mariadb', server, installDb, version };
    }
    return { flavour: 'mysql', server, version };
  })();
  return cached;
}

export async function mustBinaries(): Promise<ServerBinaries> {
  const b = await serverBinaries();
  if (typeof b === 'string') throw new Error(b);
  return b;
}
