import type { Redis } from 'ioredis';
import { withDeadline } from '../deadline.js';
import { connect, pairs } from './conn.js';
import { MASTER_NAME } from './settings.js';

export interface SentinelAnswer {
  sentinel: string;
  ip: string;
  epoch: number;
  flags: string;
  slaves: number;
  sentinels: number;
}

/** Asks one sentinel what it thinks of the primary (SENTINEL MASTER). */
export async function askSentinel(r: Redis, name: string): Promise<SentinelAnswer> {
  const m = pairs(await r.call('SENTINEL', 'MASTER', MASTER_NAME));
  return {
    sentinel: name,
    ip: m.get('ip') ?? '',
    epoch: Number(m.get('config-epoch') ?? 0),
    flags: m.get('flags') ?? '',
    slaves: Number(m.get('num-slaves') ?? 0),
    sentinels: Number(m.get('num-other-sentinels') ?? 0) + 1,
  };
}

/**
 * How new an answer is: its config epoch, and within an epoch, settled beats in progress (the leader
 * bumps the epoch when it starts a failover, while the old primary is still named, flagged
 * failover_in_progress; the new primary is named under the same epoch once it is done).
 */
function rank(a: SentinelAnswer): number {
  return a.epoch * 2 + (a.flags.includes('failover_in_progress') ? 0 : 1);
}

/**
 * The sentinels' current view of the primary, kept fresh by polling every sentinel every POLL_MS from the
 * host (which reaches every namespace even under a partition). The answer with the highest config epoch
 * wins (see rank): a sentinel cut off with the old primary keeps the old epoch, the majority's failover bumps it.
 */
export class SentinelView {
  private conns = new Map<string, Redis>();
  private timer?: NodeJS.Timeout;
  private polling = false;
  private stopped = false;
  private best?: SentinelAnswer;
  static readonly POLL_MS = 100;
  static readonly ASK_MS = 400;

  constructor(
    /** Each sentinel's name and where the host reaches its port (node.endpoint(SENTINEL_PORT)). */
    private readonly sentinels: { name: string; host: string; port: number }[],
    private readonly onChange: (ip: string, epoch: number) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      void this.poll();
    }, SentinelView.POLL_MS);
    this.timer.unref();
  }

  /** One round; also used to wait for a change. */
  async poll(): Promise<SentinelAnswer[]> {
    if (this.polling || this.stopped) return [];
    this.polling = true;
    try {
      const answers = await Promise.all(this.sentinels.map((s) => this.ask(s)));
      const got = answers.filter((a): a is SentinelAnswer => a !== undefined);
      for (const a of got) {
        if (!a.ip) continue;
        if (!this.best || rank(a) > rank(this.best) || (rank(a) === rank(this.best) && a.ip === this.best.ip)) {
          const changed = !this.best || this.best.ip !== a.ip;
          this.best = a;
          if (changed) this.onChange(a.ip, a.epoch);
        }
      }
      return got;
    } finally {
      this.polling = false;
    }
  }

  /** One sentinel's answer, bounded end to end (connect included) by ASK_MS; undefined when it does not answer. */
  private async ask(s: { name: string; host: string; port: number }): Promise<SentinelAnswer | undefined> {
    const work = (async () => {
      let r = this.conns.get(s.name);
      if (!r || r.status !== 'ready') {
        r?.disconnect();
        this.conns.delete(s.name);
        r = await connect(s.host, s.port, SentinelView.ASK_MS);
        if (this.stopped) {
          r.disconnect();
          throw new Error('stopped');
        }
        this.conns.set(s.name, r);
      }
      return askSentinel(r, s.name);
    })();
    const gone = (): undefined => {
      this.conns.get(s.name)?.disconnect();
      this.conns.delete(s.name);
      return undefined;
    };
    return withDeadline(work, SentinelView.ASK_MS, { ok: (a) => a, failed: gone, timedOut: gone });
  }

  epoch(): number {
    return this.best?.epoch ?? 0;
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    for (const r of this.conns.values()) r.disconnect();
    this.conns.clear();
  }
}
