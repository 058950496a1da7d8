import { must } from './run.js';

/** A private /24 for one run: 10.77.X.0/24, the host at .1 on the bridge, node i at .(11 + i). */
export interface Subnet {
  prefix: string /* '10.77.X' */;
  hostIp: string;
  nodeIp(i: number): string;
}

const FIRST = 10;
const COUNT = 240; // X in 10..249

export function subnetOf(prefix: string): Subnet {
  return { prefix, hostIp: `${prefix}.1`, nodeIp: (i) => `${prefix}.${11 + i}` };
}

/**
 * Picks X from the short id, then walks forward past any 10.77.X.0/24 already seen in the host's
 * addresses or routes (another run, a VPN), so two live runs never share a subnet.
 */
export async function pickSubnet(id: string, taken: Iterable<string> = []): Promise<Subnet> {
  const used = new Set<string>(taken);
  const text = (await must(['ip', '-4', '-o', 'addr', 'show'])) + (await must(['ip', '-4', 'route', 'show', 'table', 'all']));
  for (const m of text.matchAll(/\b10\.77\.(\d+)\.\d+/g)) used.add(`10.77.${m[1]}`);
  const start = parseInt(id, 16) % COUNT;
  for (let k = 0; k < COUNT; k++) {
    const prefix = `10.77.${FIRST + ((start + k) % COUNT)}`;
    if (!used.has(prefix)) return subnetOf(prefix);
  }
  throw new Error('no free 10.77.X.0/24 subnet for the local runtime: every one is in use on this host (run `faultline cleanup`?)');
}
