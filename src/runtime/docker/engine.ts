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
export function engineAddress(docker: Docker): string {
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
