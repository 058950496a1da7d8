import type { Remote } from '../runtime/types.js';

// Questions every adapter asks a node's machine (or the runtime's probe, before any node exists),
// through the door only: commands as argv arrays, files through the Remote's own calls.

/** Whether path is an executable file there (`test -x`). */
export async function executable(r: Remote, path: string): Promise<boolean> {
  const t = await r.exec(['test', '-x', path]).catch(() => undefined);
  return t?.code === 0;
}

/** The first of paths that is executable there, or undefined. */
export async function firstExecutable(r: Remote, paths: readonly string[]): Promise<string | undefined> {
  for (const p of paths) if (await executable(r, p)) return p;
  return undefined;
}

/** Whether every one of paths is executable there (stops at the first that is not). */
export async function allExecutable(r: Remote, paths: readonly string[]): Promise<boolean> {
  for (const p of paths) if (!(await executable(r, p))) return false;
  return true;
}

/** Whether a system user exists there (getent, so NSS sources count too). */
export async function userExists(r: Remote, name: string): Promise<boolean> {
  const g = await r.exec(['getent', 'passwd', name]).catch(() => undefined);
  return g?.code === 0;
}

/** `bin --version`'s output, trimmed; 'unknown' when it fails. */
export async function versionOf(r: Remote, bin: string): Promise<string> {
  const v = await r.exec([bin, '--version']).catch(() => undefined);
  return v?.code === 0 ? v.stdout.trim() : 'unknown';
}

/** The last lines of a log there, or '(no log)' when it cannot be read: for error messages. */
export async function logTail(r: Remote, path: string, lines: number): Promise<string> {
  try {
    return (await r.readFile(path)).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
