import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { shortId } from './names.js';

/**
 * What a run left on the machine, by its run id: namespaces, links (veths, bridge), FORWARD rules,
 * processes whose command line names the run's work dir or namespaces, and (with `workDir`) the work
 * dir itself in the temp dir. Shared by the integration tests (a test that leaves any fails) and
 * `npm run soak` (which reports them).
 */
export function leftovers(runId: string, opts: { workDir?: boolean } = {}): string[] {
  const id = shortId(runId);
  const out: string[] = [];
  const sh = (argv: string[]) => {
    try {
      return execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
    } catch {
      return '';
    }
  };
  for (const l of sh(['ip', 'netns', 'list']).split('\n')) if (l.includes(id)) out.push(`namespace ${l.trim()}`);
  for (const l of sh(['ip', '-o', 'link']).split('\n')) if (l.includes(id)) out.push(`link ${l.split(':')[1]?.trim()}`);
  for (const l of sh(['iptables', '-S', 'FORWARD']).split('\n')) if (l.includes(id)) out.push(`rule ${l}`);
  for (const l of sh(['ps', '-eo', 'pid=,args=']).split('\n')) if (l.includes(`faultline-${runId}`) || l.includes(`fl-${id}-`)) out.push(`process ${l.trim()}`);
  if (opts.workDir) {
    try {
      for (const name of readdirSync(tmpdir())) if (name.startsWith(`faultline-${runId}-`)) out.push(`work dir ${tmpdir()}/${name}`);
    } catch {
      /* an unreadable temp dir hides nothing of ours */
    }
  }
  return out;
}
