import { must, run } from './run.js';

/** Our own chain in each namespace's filter table; INPUT and OUTPUT jump to it. We never flush any other. */
export const CHAIN = 'FAULTLINE';

/**
 * Network faults of one node, applied inside its namespace: DROP rules in our chain (partition, loss)
 * and a tbf qdisc on its veth (bandwidth). Rules are written with iptables-restore --noflush: one process
 * per fault, and all rules of a fault appear at once.
 */
export class NetFaults {
  private chain?: Promise<void>;
  private shaped = false;

  constructor(private readonly ns: string, private readonly dev: string) {}

  async partition(peers: string[]): Promise<void> {
    if (peers.length === 0) return;
    await this.rules(peers.flatMap((ip) => [`-A ${CHAIN} -s ${checkIp(ip)} -j DROP`, `-A ${CHAIN} -d ${ip} -j DROP`]));
  }

  /** Each direction drops this fraction (INPUT and OUTPUT both pass through the chain). */
  async loss(probability: number): Promise<void> {
    if (!(probability >= 0 && probability <= 1)) throw new Error(`loss probability must be in 0..1, got ${probability}`);
    if (probability === 0) return;
    await this.rules([`-A ${CHAIN} -m statistic --mode random --probability ${probability} -j DROP`]);
  }

  async bandwidth(kbit: number): Promise<void> {
    if (!(Number.isFinite(kbit) && kbit > 0)) throw new Error(`bandwidth must be a positive number of kbit/s, got ${kbit}`);
    // replace, not add: a second bandwidth() changes the rate instead of failing on an existing root qdisc.
    await must(['ip', 'netns', 'exec', this.ns, 'tc', 'qdisc', 'replace', 'dev', this.dev, 'root',
      'tbf', 'rate', `${Math.round(kbit)}kbit`, 'burst', '32kbit', 'latency', '400ms']);
    this.shaped = true;
  }

  /** Flushes our chain (only ours) and removes the tbf qdisc if we added one. */
  async heal(): Promise<void> {
    if (this.chain) {
      await this.chain.catch(() => undefined);
      await must(['ip', 'netns', 'exec', this.ns, 'iptables', '-w', '-F', CHAIN]);
    }
    if (this.shaped) {
      const r = await run(['ip', 'netns', 'exec', this.ns, 'tc', 'qdisc', 'del', 'dev', this.dev, 'root']);
      if (r.code !== 0 && !/no such|cannot find|invalid handle/i.test(r.stderr)) {
        throw new Error(`removing the bandwidth limit in ${this.ns} failed: ${r.stderr.trim()}`);
      }
      this.shaped = false;
    }
  }

  private async rules(lines: string[]): Promise<void> {
    await this.ensureChain();
    await this.restore(lines);
  }

  /** Creates the chain and the two jumps once, on the first fault (runs without faults pay nothing). */
  private ensureChain(): Promise<void> {
    this.chain ??= this.restore([`:${CHAIN} - [0:0]`, `-I INPUT 1 -j ${CHAIN}`, `-I OUTPUT 1 -j ${CHAIN}`]);
    this.chain.catch(() => { this.chain = undefined; });
    return this.chain;
  }

  private async restore(lines: string[]): Promise<void> {
    const input = ['*filter', ...lines, 'COMMIT', ''].join('\n');
    await must(['ip', 'netns', 'exec', this.ns, 'iptables-restore', '-w', '--noflush'], { input });
  }
}

/** Addresses go into iptables-restore input: accept only dotted IPv4 (optionally /prefix), nothing else. */
function checkIp(ip: string): string {
  if (!/^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/.test(ip)) throw new Error(`partition: '${ip}' is not an IPv4 address`);
  return ip;
}
