import type { DirOptions, ExecOptions, ExecResult, FileOptions, Remote } from '../types.js';
import { type ContainerExec } from './engine.js';

/** Runs argv in the node's container (or a throwaway one) and resolves with its output and status. */
export type Runner = (argv: string[], opts: ContainerExec) => Promise<ExecResult>;

/** Bytes of file content per exec: the content travels as one argv element, and Linux caps one at 128 KiB. */
const CHUNK = 96 * 1024;

/**
 * A container as a Remote: every call is a `docker exec` of a plain command (cat, mkdir, chown, ...) with
 * argv elements, never a shell string built from data, so it works wherever the Engine API does (Docker
 * Desktop too) and paths, users and binaries are the container's own.
 */
export class ContainerRemote implements Remote {
  readonly cacheDir = '/var/cache/faultline';

  constructor(
    private readonly runner: Runner,
    /** For errors: the node's name. */
    protected readonly label: string,
  ) {}

  async exec(argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    if (argv.length === 0) throw new Error(`${this.label}: exec needs a command`);
    // The engine cannot end an exec; coreutils' timeout inside the container can.
    const secs = opts.timeoutMs ? Math.max(1, Math.ceil(opts.timeoutMs / 1000)) : 0;
    const full = secs ? ['timeout', '-s', 'KILL', String(secs), ...argv] : argv;
    const r = await this.runner(full, { user: opts.user, env: opts.env, cwd: opts.cwd });
    if (secs && r.code === 137) throw new Error(`${argv.join(' ')}: timed out after ${opts.timeoutMs} ms`);
    return r;
  }

  async which(name: string): Promise<string | undefined> {
    const r = await this.exec(['sh', '-c', 'PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin" command -v "$1"', 'sh', name]);
    const path = r.stdout.trim();
    return r.code === 0 && path.startsWith('/') ? path : undefined;
  }

  async readFile(path: string): Promise<string> {
    return (await this.must(['cat', '--', path])).stdout;
  }

  async writeFile(path: string, data: string, opts: FileOptions = {}): Promise<void> {
    const existed = opts.mode !== undefined && (await this.exists(path));
    for (let i = 0; i === 0 || i < data.length; i += CHUNK) {
      const op = opts.append || i > 0 ? '>>' : '>';
      await this.must(['sh', '-c', `printf '%s' "$1" ${op} "$2"`, 'sh', data.slice(i, i + CHUNK), path]);
    }
    if (opts.mode !== undefined && !existed) await this.must(['chmod', opts.mode.toString(8), '--', path]);
    if (opts.owner) await this.must(['chown', `${opts.owner}:`, '--', path]);
  }

  async mkdir(path: string, opts: DirOptions = {}): Promise<void> {
    await this.must(['mkdir', '-p', '--', path]);
    if (opts.mode !== undefined) await this.must(['chmod', opts.mode.toString(8), '--', path]);
    if (opts.owner) await this.must(['chown', `${opts.owner}:`, '--', path]);
  }

  async exists(path: string): Promise<boolean> {
    return (await this.exec(['test', '-e', path])).code === 0;
  }

  async readdir(path: string): Promise<string[]> {
    const out = (await this.must(['ls', '-A1', '--', path])).stdout;
    return out.split('\n').filter((n) => n !== '');
  }

  async remove(path: string): Promise<void> {
    await this.must(['rm', '-rf', '--', path]);
  }

  async rename(from: string, to: string): Promise<void> {
    // -T: `to` is never a directory to move into; mv fails when it is a non-empty directory, as rename(2) does.
    await this.must(['mv', '-T', '--', from, to]);
  }

  protected async must(argv: string[]): Promise<ExecResult> {
    const r = await this.exec(argv);
    if (r.code !== 0) throw new Error(`${this.label}: \`${argv[0]}\` failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`);
    return r;
  }
}
