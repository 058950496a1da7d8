import type { Remote } from '../../runtime/types.js';
import type { Flavour } from './flavour.js';

export interface ServerBinaries {
  flavour: Flavour;
  /** mariadbd or mysqld. */
  server: string;
  /** mariadb-install-db (MariaDB); MySQL initializes with `mysqld --initialize-insecure`. */
  installDb?: string;
  version: string;
}

/** `argv`'s output, trimmed; '' when it fails. */
async function output(r: Remote, argv: string[]): Promise<string> {
  const x = await r.exec(argv).catch(() => undefined);
  return x?.code === 0 ? x.stdout.trim() : '';
}

/** Finds the server binary there and tells MariaDB from MySQL by its --version; a string says what is missing. */
export async function serverBinaries(r: Remote): Promise<ServerBinaries | string> {
  const server = (await r.which('mariadbd')) ?? (await r.which('mysqld'));
  if (!server) return "mysql: neither mariadbd nor mysqld is installed; install Debian's mariadb-server (scripts/setup.sh does it as root)";
  const version = await output(r, [server, '--version']);
  if (!version) return `mysql: \`${server} --version\` failed`;
  if (/mariadb/i.test(version)) {
    const installDb = (await r.which('mariadb-install-db')) ?? (await r.which('mysql_install_db'));
    if (!installDb) return 'mysql: MariaDB found but mariadb-install-db is missing (package mariadb-server)';
    return { flavour: 'mariadb', server, installDb, version };
  }
  return { flavour: 'mysql', server, version };
}

export async function mustBinaries(r: Remote): Promise<ServerBinaries> {
  const b = await serverBinaries(r);
  if (typeof b === 'string') throw new Error(b);
  return b;
}
