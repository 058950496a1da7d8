import { withDeadline } from '../deadline.js';
import type { Client, Completion } from '../types.js';
import type { Consistency } from './consistency.js';
import type { Coordinator } from './coordinator.js';
import type { WorkloadCql } from './cql.js';
import { certainlyNotApplied, errorText } from './errors.js';

/**
 * One session: writes through one coordinator, reads through another (or the same), as the db chose.
 * A read has no effect, so any read error is fail; a write is fail only when certainly not applied
 * (see errors.ts), otherwise info. Our own timer sits above the server's 2 s request timeouts.
 */
export class CassClient implements Client {
  constructor(
    private readonly writeVia: Coordinator,
    private readonly readVia: Coordinator,
    private readonly workload: WorkloadCql,
    private readonly consistency: Consistency,
    private readonly onClose: (c: CassClient) => void,
  ) {}

  async invoke(f: string, value: unknown, timeoutMs: number): Promise<Completion> {
    const isWrite = this.workload.writes.has(f);
    const via = isWrite ? this.writeVia : this.readVia;
    const phase = { sent: false };
    const work = this.workload.run((s) => via.execute(s, timeoutMs, phase), this.consistency, f, value);
    return withDeadline(work, timeoutMs, {
      ok: (r): Completion => ({ ...r, node: via.node }),
      failed: (e) => {
        const certain = !phase.sent || certainlyNotApplied(e);
        return { type: !isWrite || certain ? 'fail' : 'info', value, error: errorText(e), node: via.node };
      },
      timedOut: () => {
        const error = `timed out after ${timeoutMs} ms (${phase.sent ? 'request sent' : 'connecting, nothing sent'})`;
        return { type: !isWrite || !phase.sent ? 'fail' : 'info', value, error, node: via.node };
      },
    });
  }

  async close(): Promise<void> {
    this.onClose(this);
  }
}
