import Docker from 'dockerode';

/**
 * The Docker engine the docker runtime and the image builder talk to: dockerode's defaults, so
 * DOCKER_HOST (unix:// or tcp://, with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH) is honoured and
 * /var/run/docker.sock is used otherwise.
 */
export function dockerClient(): Docker {
  return new Docker();
}

/** Where this client talks to, in words: the socket path or host:port. */
export function engineAddress(docker: Docker = sharedClient()): string {
  const m = docker.modem as { socketPath?: unknown; host?: unknown; port?: unknown; protocol?: unknown };
  if (typeof m.socketPath === 'string') return m.socketPath;
  if (typeof m.host === 'string') return `${typeof m.protocol === 'string' ? m.protocol : 'http'}://${m.host}${m.port ? `:${String(m.port)}` : ''}`;
  return process.env.DOCKER_HOST ?? '/var/run/docker.sock';
}

/** No engine answers: a machine without Docker (or a stopped dockerd). The CLI reports it in one line, exit 64. */
export class EngineUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineUnavailable';
  }
}

/** Pings the engine; throws EngineUnavailable saying where it looked and why nothing answered. */
export async function requireEngine(docker: Docker, timeoutMs = 5000): Promise<void> {
  const where = engineAddress(docker);
  try {
    await Promise.race([
      docker.ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs).unref()),
    ]);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why =
      err.code === 'ENOENT'
        ? 'the socket does not exist (is dockerd running? scripts/setup.sh docker starts one as root)'
        : err.code === 'EACCES'
          ? 'permission denied (run as root or as a member of the docker group)'
          : err.code === 'ECONNREFUSED'
            ? 'connection refused (is dockerd running? scripts/setup.sh docker starts one as root)'
            : (err.message ?? String(e)).split('\n')[0]!;
    throw new EngineUnavailable(`no Docker engine answers at ${where}: ${why}`);
  }
}
import { PassThrough } from 'node:stream';
import type { ExecResult } from '../types.js';

/** The label every container and network of ours carries, with the run id as its value (cleanup finds them by it). */
export const RUN_LABEL = 'faultline.run';
/** The label naming a container's node. */
export const NODE_LABEL = 'faultline.node';
/** The PID of the faultline process that made it: cleanup leaves the things of a live run alone. */
export const PID_LABEL = 'faultline.pid';

let client: Docker | undefined;

/** The one client the runtime uses (dockerClient's defaults), made on first use. */
export function docker(): Docker {
  client ??= dockerClient();
  return client;
}
const sharedClient = docker;

export interface ContainerExec {
  user?: string;
  env?: Record<string, string>;
  cwd?: string;
}

/** Creates and starts a `docker exec` of argv (no shell) with its output attached; the stream ends with the process. */
export async function startExec(
  container: Docker.Container,
  argv: string[],
  opts: ContainerExec = {},
): Promise<{ exec: Docker.Exec; stream: NodeJS.ReadWriteStream }> {
  const exec = await container.exec({
    Cmd: argv,
    AttachStdout: true,
    AttachStderr: true,
    User: opts.user ?? 'root',
    Env: opts.env ? Object.entries(opts.env).map(([k, v]) => `${k}=${v}`) : undefined,
    WorkingDir: opts.cwd,
  });
  return { exec, stream: await exec.start({ hijack: true, stdin: false }) };
}

/**
 * Runs argv in a running container (docker exec, no shell) and resolves when it ends, with its output
 * and exit status (128 + N when a signal ended it, as a shell reports it).
 */
export async function execIn(container: Docker.Container, argv: string[], opts: ContainerExec = {}): Promise<ExecResult> {
  const { exec, stream } = await startExec(container, argv, opts);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdout = new PassThrough().on('data', (b: Buffer) => out.push(b));
  const stderr = new PassThrough().on('data', (b: Buffer) => err.push(b));
  docker().modem.demuxStream(stream, stdout, stderr);
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  return { code: await exitCode(exec), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

/**
 * The exec's exit code once the engine has it: the output stream can end a moment before the engine
 * marks the exec finished, so ask again (briefly) while it still says running.
 */
export async function exitCode(exec: Docker.Exec): Promise<number> {
  for (let i = 0; ; i++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null && info.ExitCode !== undefined) return info.ExitCode;
    if (i >= 200) return 255;
    await new Promise((r) => setTimeout(r, i < 10 ? 5 : 50));
  }
}

/** An engine error's message without dockerode's "(HTTP code 404) no such container - " prefix noise. */
export function engineMessage(e: unknown): string {
  const err = e as { json?: { message?: string }; message?: string };
  return err.json?.message ?? err.message ?? String(e);
}

/** True when the engine said 404 (the container, network or exec is gone). */
export function notFound(e: unknown): boolean {
  return (e as { statusCode?: number }).statusCode === 404;
}

/**
 * Runs argv in a fresh container of `image` that is removed when it ends (docker run --rm), for checks
 * made before any node exists (preflight's probe). Labelled, so a kill -9 in between leaves nothing cleanup misses.
 */
export async function runOnce(image: string, argv: string[], opts: ContainerExec = {}): Promise<ExecResult> {
  const c = await docker().createContainer({
    Image: image,
    Cmd: argv,
    User: opts.user ?? 'root',
    Env: opts.env ? Object.entries(opts.env).map(([k, v]) => `${k}=${v}`) : undefined,
    WorkingDir: opts.cwd,
    Labels: { [RUN_LABEL]: `probe-${process.pid}`, [PID_LABEL]: String(process.pid) },
    HostConfig: { NetworkMode: 'none' },
  });
  try {
    await c.start();
    const { StatusCode } = (await c.wait()) as { StatusCode: number };
    const logs = (await c.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    demux(logs, out, err);
    return { code: StatusCode, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
  } finally {
    await c.remove({ force: true }).catch(() => undefined);
  }
}

/** Splits a non-TTY log buffer (8-byte frame headers: stream, 0, 0, 0, size) into stdout and stderr. */
function demux(buf: Buffer, out: Buffer[], err: Buffer[]): void {
  for (let i = 0; i + 8 <= buf.length;) {
    const size = buf.readUInt32BE(i + 4);
    (buf[i] === 2 ? err : out).push(buf.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
}
