import { spawn as spawnChild } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { Service, ServiceExit } from '../types.js';
import { bin } from './bins.js';

export interface LaunchOptions {
  name: string;
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  logFile: string;
}

/**
 * Starts a service in the foreground as our own child (never daemonized: a daemon killed with -9 is reaped
 * ~1.85 s late by PID 1 here, ours is seen at once). argv is `ip netns exec NS [setpriv ... --] cmd...`;
 * both exec, so the child's PID is the service's. detached puts it in its own session, so a terminal's
 * Ctrl-C reaches only faultline, which then heals and stops services in order.
 */
export function launch(opts: LaunchOptions): Promise<Service> {
  const [cmd, ...args] = opts.argv;
  const fd = openSync(opts.logFile, 'a');
  let fdOpen = true;
  const closeLog = (): void => {
    if (fdOpen) {
      fdOpen = false;
      closeSync(fd);
    }
  };
  return new Promise((resolve, reject) => {
    let child: ReturnType<typeof spawnChild>;
    try {
      child = spawnChild(bin(cmd!), args, { env: opts.env, cwd: opts.cwd, stdio: ['ignore', fd, fd], detached: true });
    } catch (e) {
      closeLog();
      reject(e);
      return;
    }
    let done: ServiceExit | undefined;
    const exited = new Promise<ServiceExit>((res) =>
      child.once('exit', (code, signal) => {
        done = { code, signal };
        res(done);
      }),
    );
    child.once('error', (err) => {
      closeLog();
      reject(new Error(`starting ${opts.name} failed: ${err.message}`));
    });
    child.once('spawn', () => {
      closeLog(); // the child holds its own copy
      const pid = child.pid!;
      const service: Service = {
        name: opts.name,
        pid,
        exited,
        running: () => done === undefined,
        signal(sig) {
          if (done === undefined) {
            try {
              process.kill(pid, sig);
            } catch {
              /* exited meanwhile */
            }
          }
        },
        async stop(graceMs = 5000) {
          if (done !== undefined) return;
          // SIGCONT first: a SIGSTOPped process keeps SIGTERM pending until it is continued.
          service.signal('SIGCONT');
          service.signal('SIGTERM');
          let timer: NodeJS.Timeout | undefined;
          const grace = new Promise<'grace'>((res) => {
            timer = setTimeout(() => res('grace'), graceMs);
          });
          const first = await Promise.race([exited, grace]);
          clearTimeout(timer);
          if (first === 'grace') {
            service.signal('SIGKILL');
            await exited;
          }
        },
      };
      resolve(service);
    });
  });
}
