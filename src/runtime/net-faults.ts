/** Runs a command where the node's network is (its namespace, its container), argv only; `input` goes to stdin. */
export interface NetShell {
  run(argv: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }>;
}

/**
 * The layers of network faults a node has. Each fault owns one and heals alone: healing a partition
 * never ends a loss, a failover's isolation of its old primary never ends a partition package's cut.
 * The iptables layers each have a chain of their own in the namespace's filter table, with their own
 * jumps from INPUT and OUTPUT; bandwidth owns the root tbf qdisc of the node's veth.
 */
export type ChainLayer = 'partition' | 'isolation' | 'loss';

/** Our chains, by layer. We create, flush and read only these; never any other chain or table. */
export const CHAINS: Readonly<Record<ChainLayer, string>> = {
  partition: 'FAULTLINE-PART',
  isolation: 'FAULTLINE-ISO',
  loss: 'FAULTLINE-LOSS',
};

/** Recognises a chain of ours (also the single `FAULTLINE` chain of older versions), for cleanup. */
export const CHAIN_RE = /^FAULTLINE(-[A-Z]+)?$/;

/**
 * Network faults of one node, applied inside its namespace. Setting a layer replaces that layer's rules
 * in one iptables-restore (flush of its chain and the new rules appear at once); healing a layer flushes
 * its chain only (the jumps stay, so the next fault costs one process). Calls on one layer run in the
 * order they were made, so a heal never overtakes the fault it undoes. Shared by the runtimes: each gives
 * the shell that reaches its node's network (local: `ip netns exec`; docker: exec in the container).
 */
export class NetFaults {
  private readonly created = new Map<ChainLayer, Promise<void>>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private shaped = false;

  constructor(
    private readonly shell: NetShell,
    /** The node's interface the bandwidth qdisc goes on. */
    private readonly dev: string,
    /** For errors: the node's name or namespace. */
    private readonly ns: string,
  ) {}

  /** Drops all traffic between this node and these addresses, both directions (partition layer). */
  partition(peers: string[]): Promise<void> {
    return this.cut('partition', peers);
  }
  /** The same cut, in the isolation layer (a failover cutting its old primary off from its standbys). */
  isolate(peers: string[]): Promise<void> {
    return this.cut('isolation', peers);
  }

  /** Each direction drops this fraction (INPUT and OUTPUT both jump to the loss chain); 0 heals. */
  loss(probability: number): Promise<void> {
    if (!(probability >= 0 && probability <= 1)) return Promise.reject(new Error(`loss probability must be in 0..1, got ${probability}`));
    if (probability === 0) return this.heal('loss');
    return this.set('loss', [`-m statistic --mode random --probability ${probability} -j DROP`]);
  }

  bandwidth(kbit: number): Promise<void> {
    if (!(Number.isFinite(kbit) && kbit > 0)) return Promise.reject(new Error(`bandwidth must be a positive number of kbit/s, got ${kbit}`));
    return this.serial('bandwidth', async () => {
      // replace, not add: a second bandwidth() changes the rate instead of failing on an existing root qdisc.
      await this.must(['tc', 'qdisc', 'replace', 'dev', this.dev, 'root', 'tbf', 'rate', `${Math.round(kbit)}kbit`, 'burst', '32kbit', 'latency', '400ms']);
      this.shaped = true;
    });
  }

  /** Flushes this layer's chain, and only it. A layer never used costs nothing. */
  heal(layer: ChainLayer): Promise<void> {
    return this.serial(layer, async () => {
      const made = this.created.get(layer);
      if (!made) return;
      await made.catch(() => undefined);
      if (!this.created.has(layer)) return; // its creation failed: nothing of it exists
      await this.must(['iptables', '-w', '-F', CHAINS[layer]]);
    });
  }

  /** Removes the tbf qdisc if we added one. */
  healBandwidth(): Promise<void> {
    return this.serial('bandwidth', async () => {
      if (!this.shaped) return;
      const r = await this.shell.run(['tc', 'qdisc', 'del', 'dev', this.dev, 'root']);
      if (r.code !== 0 && !/no such|cannot find|invalid handle/i.test(r.stderr)) {
        throw new Error(`removing the bandwidth limit in ${this.ns} failed: ${r.stderr.trim()}`);
      }
      this.shaped = false;
    });
  }

  /** Every layer (teardown and abort only: a fault package heals its own layer). */
  async healAll(): Promise<void> {
    const results = await Promise.allSettled([...(Object.keys(CHAINS) as ChainLayer[]).map((l) => this.heal(l)), this.healBandwidth()]);
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
    if (errors.length) throw new Error(errors.join('; '));
  }

  private cut(layer: ChainLayer, peers: string[]): Promise<void> {
    try {
      const rules = peers.flatMap((ip) => [`-s ${checkIp(ip)} -j DROP`, `-d ${ip} -j DROP`]);
      return peers.length === 0 ? this.heal(layer) : this.set(layer, rules);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Replaces the layer's rules with these, atomically. */
  private set(layer: ChainLayer, rules: string[]): Promise<void> {
    return this.serial(layer, async () => {
      await this.ensureChain(layer);
      const chain = CHAINS[layer];
      await this.restore([`-F ${chain}`, ...rules.map((r) => `-A ${chain} ${r}`)]);
    });
  }

  /** Creates the layer's chain and its two jumps once, on its first fault (runs without faults pay nothing). */
  private ensureChain(layer: ChainLayer): Promise<void> {
    let made = this.created.get(layer);
    if (!made) {
      const chain = CHAINS[layer];
      made = this.restore([`:${chain} - [0:0]`, `-I INPUT 1 -j ${chain}`, `-I OUTPUT 1 -j ${chain}`]);
      this.created.set(layer, made);
      made.catch(() => {
        this.created.delete(layer);
      });
    }
    return made;
  }

  private serial(key: string, f: () => Promise<void>): Promise<void> {
    const next = (this.queues.get(key) ?? Promise.resolve()).catch(() => undefined).then(f);
    this.queues.set(key, next);
    return next;
  }

  private async restore(lines: string[]): Promise<void> {
    const input = ['*filter', ...lines, 'COMMIT', ''].join('\n');
    await this.must(['iptables-restore', '-w', '--noflush'], input);
  }

  private async must(argv: string[], input?: string): Promise<void> {
    const r = await this.shell.run(argv, input);
    if (r.code !== 0) throw new Error(`${this.ns}: \`${argv.join(' ')}\` failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`);
  }
}

/** Addresses go into iptables-restore input: accept only dotted IPv4 (optionally /prefix), nothing else. */
function checkIp(ip: string): string {
  if (!/^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/.test(ip)) throw new Error(`partition: '${ip}' is not an IPv4 address`);
  return ip;
}
