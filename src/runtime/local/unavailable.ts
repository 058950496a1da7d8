import { which } from './bins.js';

/** The binaries the local runtime calls (tc ships with iproute2, iptables-restore with iptables). */
const NEEDED = [
  ['ip', 'iproute2'],
  ['tc', 'iproute2'],
  ['iptables', 'iptables'],
  ['iptables-restore', 'iptables'],
  ['setpriv', 'util-linux'],
] as const;

/** Why the local runtime cannot run here, or undefined when it can. */
export async function unavailable(uid = process.getuid?.()): Promise<string | undefined> {
  if (process.platform !== 'linux') return 'the local runtime needs Linux (network namespaces); a docker runtime is planned but not built yet';
  if (uid !== 0) return 'the local runtime needs root (network namespaces, iptables); run as root (a docker runtime is planned but not built yet)';
  const missing = NEEDED.filter(([b]) => !which(b));
  if (missing.length) {
    return `the local runtime needs ${missing.map(([b, pkg]) => `'${b}' (package ${pkg})`).join(', ')}, not found; ` + 'run scripts/setup.sh as root';
  }
  return undefined;
}
