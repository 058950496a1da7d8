import type Docker from 'dockerode';
import { constants } from 'node:os';
import type { Service, ServiceExit } from '../types.js';
import { execIn, exitCode, startExec } from './engine.js';

/**
 * Starts argv in the container as a foreground `docker exec` that lasts as long as the process: its PID
 * (the container's) is written to pidFile before exec replaces the wrapper, its output goes to logFile
 * in the node, and `exited` resolves when the exec ends. The wrapper is a constant script; the argv,
 * pid file and log path reach it as argv elements.
 */
export async function launchIn(
  container: Docker.Container,
  spec: { name: string; argv: string[]; user?: string; env?: Record<string, string>; cwd?: string; logFile: string; pidFile: string },
  signal: (pid: number, sig: NodeJS.Signals) => Promise<void>,
): Promise<Service> {
  const wrapper = ['sh', '-c', 'echo $$ > "$1"; log=$2; shift 2; exec "$@" >>"$log" 2>&1', 'sh', spec.pidFile, spec.logFile, ...spec.argv];
  const { exec, stream } = await startExec(container, wrapper, spec);
  stream.resume();
  let done = false;
  const exited: Promise<ServiceExit> = new Promise<void>((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', () => resolve());
  }).then(async () => {
    let code: number;
    try {
      code = await exitCode(exec);
    } catch {
      code = 137; // the container itself is gone: its processes were killed with it
    }
    done = true;
    const sig = code > 128 ? signalName(code - 128) : undefined;
    return sig ? { code: null, signal: sig } : { code, signal: null };
  });
  const pid = await readPid(container, spec.pidFile, exited);
  return {
    name: spec.name,
    pid,
    exited,
    running: () => !done,
    signal(sig) {
      if (!done) void signal(pid, sig).catch(() => undefined);
    },
    async stop(graceMs = 3000) {
      if (done) return;
      await signal(pid, 'SIGCONT').catch(() => undefined);
      await signal(pid, 'SIGTERM').catch(() => undefined);
      const timer = new Promise<'late'>((r) => setTimeout(() => r('late'), graceMs).unref());
      if ((await Promise.race([exited, timer])) === 'late') {
        await signal(pid, 'SIGKILL').catch(() => undefined);
        await exited;
      }
    },
  };
}

/** The PID the wrapper wrote (it writes it before anything else, so this takes a few ms). */
async function readPid(container: Docker.Container, pidFile: string, exited: Promise<ServiceExit>): Promise<number> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (let i = 0; i < 400; i++) {
    const r = await execIn(container, ['cat', pidFile]);
    const pid = Number(r.stdout.trim());
    if (r.code === 0 && Number.isInteger(pid) && pid > 0) return pid;
    if (gone) throw new Error(`the service exited before it wrote its pid (${pidFile})`);
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error(`the service wrote no pid to ${pidFile} within 4 s`);
}

function signalName(n: number): NodeJS.Signals | undefined {
  return (Object.entries(constants.signals) as [NodeJS.Signals, number][]).find(([, v]) => v === n)?.[0];
}
