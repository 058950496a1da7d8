import { bin } from './bins.js';
import { must } from './run.js';

export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

const cache = new Map<string, SystemUser>();

/** Looks a user up in the passwd database (getent, so NSS sources count too). */
export async function lookupUser(name: string): Promise<SystemUser> {
  const hit = cache.get(name);
  if (hit) return hit;
  let line: string;
  try {
    line = (await must(['getent', 'passwd', name])).trim();
  } catch {
    throw new Error(`user '${name}' does not exist on this host (getent passwd ${name} found nothing)`);
  }
  const [, , uid, gid, , home] = line.split(':');
  const user = { name, uid: Number(uid), gid: Number(gid), home: home ?? '/' };
  cache.set(name, user);
  return user;
}

/** `[setpriv ... --] argv` (setpriv execs, so the process we start IS argv's process). */
export function privArgv(argv: string[], user?: SystemUser): string[] {
  const priv = user && user.uid !== 0 ? [bin('setpriv'), '--reuid', String(user.uid), '--regid', String(user.gid), '--init-groups', '--'] : [];
  return [...priv, ...argv];
}

/** `ip netns exec NS [setpriv ... --] argv`: both exec, so the process we start IS argv's process. */
export function nsArgv(ns: string, argv: string[], user?: SystemUser): string[] {
  return ['ip', 'netns', 'exec', ns, ...privArgv(argv, user)];
}

/** Environment for a process: ours, with HOME/USER/LOGNAME of the target user, then the caller's. */
export function envFor(user: SystemUser | undefined, extra?: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Should faultline itself run under libfaketime, its services must not inherit that.
  for (const k of Object.keys(env)) if (k.startsWith('FAKETIME')) delete env[k];
  if (user) Object.assign(env, { HOME: user.home, USER: user.name, LOGNAME: user.name });
  return Object.assign(env, extra);
}
