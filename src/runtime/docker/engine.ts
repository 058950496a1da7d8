import Docker from 'dockerode';
import { PassThrough } from 'node:stream';
import type { ExecResult } from '../types.js';

/** The label every container and network of ours carries, with the run id as its value (cleanup finds them by it). */
export const RUN_LABEL = 'faultline.run';
/** The label naming a container's node. */
export const NODE_LABEL = 'faultline.node';
/** The PID of the faultline process that made it: cleanup leaves the things of a live run alone. */
export const PID_LABEL = 'faultline.pid';

let client: Docker | undefined;

/** The Engine API client: DOCKER_HOST when set, else the local socket (dockerode's defaults). */
export function docker(): Docker {
  client ??= new Docker();
  return client;
}

/** Where the engine is expected, for messages ("no Docker engine answers at ..."). */
export function engineAddress(): string {
  return process.env.DOCKER_HOST ?? '/var/run/docker.sock';
}

export interface ContainerExec {
  user?: string;
  env?: Record<string, string>;
  cwd?: string;
}

/**
 * Runs argv in a running container (docker exec, no shell) and resolves when it ends, with its output
 * and exit status (128 + N when a signal ended it, as a shell reports it).
 */
export async function execIn(container: Docker.Container, argv: string[], opts: ContainerExec = {}): Promise<ExecResult> {
  const exec = await container.exec({
    Cmd: argv,
    AttachStdout: true,
    AttachStderr: true,
    User: opts.user ?? 'root',
    Env: opts.env ? Object.entries(opts.env).map(([k, v]) => `${k}=${v}`) : undefined,
    WorkingDir: opts.cwd,
  });
  const stream = await exec.start({ hijack: true, stdin: false });
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
