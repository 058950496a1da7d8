import type { Op } from '../history/op.js';

/**
 * The live progress line of a run: ops, ok/fail/info, active faults, elapsed/total. On a terminal it
 * rewrites one line every second; otherwise (CI logs) it prints a line every 10 s.
 */
export class Progress {
  private ok = 0;
  private fail = 0;
  private info = 0;
  private invoked = 0;
  private readonly faults = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private t0 = 0;
  private readonly tty = process.stderr.isTTY === true;

  constructor(
    private readonly totalS: number,
    private readonly log: (line: string) => void,
  ) {}

  op(op: Op): void {
    if (op.process === 'nemesis') {
      if (op.type === 'invoke') return;
      const m = /^(start|stop)-(.+)$/.exec(op.f);
      if (m) {
        if (m[1] === 'start') this.faults.add(m[2]!);
        else this.faults.delete(m[2]!);
      } else if (op.f === 'pause') this.faults.add(op.f);
      else if (op.f === 'resume') this.faults.delete('pause');
      return;
    }
    if (op.type === 'invoke') this.invoked++;
    else if (op.type === 'ok') this.ok++;
    else if (op.type === 'fail') this.fail++;
    else this.info++;
  }

  line(): string {
    const el = (performance.now() - this.t0) / 1000;
    const faults = this.faults.size > 0 ? [...this.faults].join(',') : 'none';
    return `${this.invoked} ops (${this.ok} ok, ${this.fail} fail, ${this.info} info), faults: ${faults}, ${el.toFixed(0)}/${this.totalS} s`;
  }

  start(): void {
    this.t0 = performance.now();
    this.timer = setInterval(
      () => {
        if (this.tty) process.stderr.write(`\r\x1b[K${this.line()}`);
        else this.log(this.line());
      },
      this.tty ? 1000 : 10_000,
    );
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.tty) process.stderr.write('\r\x1b[K');
    if (this.t0) this.log(this.line());
  }
}
