import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { DirOptions, ExecOptions, ExecResult, FileOptions, Remote } from '../types.js';
import { which } from './bins.js';
import { run } from './run.js';
import { envFor, lookupUser, privArgv } from './user.js';

/**
 * The host as a Remote: the local runtime's nodes share the host's filesystem, binaries and users, so
 * file calls are plain host calls. exec runs on the host itself here; a LocalNode runs it in its namespace.
 */
export class HostRemote implements Remote {
  readonly cacheDir = tmpdir();

  async exec(argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    if (argv.length === 0) throw new Error('exec needs a command');
    const user = opts.user ? await lookupUser(opts.user) : undefined;
    return run(privArgv(argv, user), { env: envFor(user, opts.env), cwd: opts.cwd, timeoutMs: opts.timeoutMs });
  }

  async which(name: string): Promise<string | undefined> {
    return which(name);
  }

  async readFile(path: string): Promise<string> {
    return readFileSync(path, 'utf8');
  }

  async writeFile(path: string, data: string, opts: FileOptions = {}): Promise<void> {
    writeFileSync(path, data, { flag: opts.append ? 'a' : 'w', mode: opts.mode });
    if (opts.owner) await this.chown(path, opts.owner);
  }

  async mkdir(path: string, opts: DirOptions = {}): Promise<void> {
    mkdirSync(path, { recursive: true });
    // Explicitly, as install -d does: mkdir's mode is masked by the umask and ignored for an existing directory.
    if (opts.mode !== undefined) chmodSync(path, opts.mode);
    if (opts.owner) await this.chown(path, opts.owner);
  }

  async exists(path: string): Promise<boolean> {
    return existsSync(path);
  }

  async readdir(path: string): Promise<string[]> {
    return readdirSync(path);
  }

  async remove(path: string): Promise<void> {
    rmSync(path, { recursive: true, force: true });
  }

  async rename(from: string, to: string): Promise<void> {
    renameSync(from, to);
  }

  private async chown(path: string, owner: string): Promise<void> {
    const u = await lookupUser(owner);
    chownSync(path, u.uid, u.gid);
  }
}
