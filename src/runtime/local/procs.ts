import { readdirSync, readFileSync } from 'node:fs';

/** Fields of /proc/PID/stat after the command name: [state, ppid, ...]; undefined when the process is gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/**
 * Every descendant of pid. Postgres children call setsid(), so the postmaster's process group does not
 * reach them, and this kernel has no /proc/PID/task/TID/children: we scan /proc for parent links.
 */
export function descendants(pid: number): number[] {
  const kids = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(Number(name));
    if (!f) continue;
    const ppid = Number(f[1]);
    const list = kids.get(ppid);
    if (list) list.push(Number(name));
    else kids.set(ppid, [Number(name)]);
  }
  const out: number[] = [];
  const todo = [pid];
  while (todo.length)
    for (const c of kids.get(todo.pop()!) ?? []) {
      out.push(c);
      todo.push(c);
    }
  return out;
}

/** True while pid exists and is not a zombie (a zombie holds no memory, sockets or shared memory). */
export function alive(pid: number): boolean {
  const f = statFields(pid);
  return f !== undefined && f[0] !== 'Z';
}

/** Sends sig to each pid; one already gone is skipped. */
export function signalAll(pids: readonly number[], sig: NodeJS.Signals): void {
  for (const p of pids) {
    try {
      process.kill(p, sig);
    } catch {
      /* already gone */
    }
  }
}
