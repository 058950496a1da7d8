import type { Socket } from 'node:net';
import type { ProxyFaults } from './faults.js';

/** Above this many queued bytes a lane stops reading its source (TCP backpressure reaches the sender). */
const HIGH_WATER = 4 << 20;
const LOW_WATER = 1 << 20;

interface Item {
  at: number;
  buf: Buffer | null; /* null: the source's FIN */
}

/**
 * One direction of a proxied connection: chunks read from `src` are written to `dst` when due. Due
 * times never go backwards, so order is kept even when jitter draws a shorter delay for a later chunk.
 * With no latency or bandwidth fault and nothing queued, a chunk is written at once (no timer).
 */
export class Lane {
  private q: Item[] = [];
  private head = 0;
  private lastAt = 0;
  /** Bandwidth pacing: when the bytes sent so far have drained at the capped rate. */
  private paceAt = 0;
  private queued = 0;
  private timer?: NodeJS.Timeout;
  private timerAt = Infinity;

  constructor(
    private readonly src: Socket,
    private readonly dst: Socket,
    private readonly faults: () => ProxyFaults,
    private readonly rng: () => number,
  ) {
    dst.on('drain', () => this.maybeResume());
  }

  private delay(f: ProxyFaults): number {
    const l = f.latencyMs ?? 0;
    const j = f.jitterMs ?? 0;
    return Math.max(0, l + (j > 0 ? (this.rng() * 2 - 1) * j : 0));
  }

  data(buf: Buffer): void {
    const f = this.faults();
    if (f.halfOpen) return; // dropped: the socket stays open, the bytes never arrive
    const now = performance.now();
    const bw = f.bandwidthBps ?? 0;
    if (!f.latencyMs && !bw && this.head === this.q.length) {
      this.write(buf);
      return;
    }
    let at = Math.max(now + this.delay(f), this.lastAt);
    if (bw > 0) {
      // Pieces of at most 50 ms worth of bytes, each leaving when the previous ones drained at the cap.
      const piece = Math.max(1, Math.floor(bw / 20));
      for (let i = 0; i < buf.length; i += piece) {
        const b = buf.subarray(i, i + piece);
        at = Math.max(at, this.paceAt);
        this.paceAt = at + (b.length * 1000) / bw;
        this.push(at, b);
      }
    } else this.push(at, buf);
    if (this.queued > HIGH_WATER) this.src.pause();
  }

  /** The source sent FIN: propagate it after the data before it, plus slowCloseMs (half-open loses it). */
  end(): void {
    const f = this.faults();
    if (f.halfOpen) return; // lost like the data: the peer never learns the stream ended
    this.push(Math.max(performance.now() + this.delay(f), this.lastAt) + (f.slowCloseMs ?? 0), null);
  }

  /** Faults changed: half-open drops what is queued; a link with no delay left releases it now, in order. */
  refault(f: ProxyFaults): void {
    if (f.halfOpen) {
      const fin = this.q.slice(this.head).filter((x) => x.buf === null);
      this.q = fin;
      this.head = 0;
      this.queued = 0;
    }
    if (!f.latencyMs && !f.bandwidthBps) {
      for (let i = this.head; i < this.q.length; i++) {
        const it = this.q[i]!;
        if (it.buf !== null || !f.slowCloseMs) it.at = 0;
      }
      this.lastAt = 0;
      this.paceAt = 0;
    }
    this.pump();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.q = [];
    this.head = 0;
    this.queued = 0;
  }

  private push(at: number, buf: Buffer | null): void {
    this.lastAt = at;
    this.q.push({ at, buf });
    if (buf) this.queued += buf.length;
    this.pump();
  }

  private write(buf: Buffer): void {
    if (this.dst.destroyed || this.dst.writableEnded) return;
    if (!this.dst.write(buf)) this.src.pause();
  }

  private pump(): void {
    const now = performance.now();
    while (this.head < this.q.length && this.q[this.head]!.at <= now) {
      const it = this.q[this.head++]!;
      if (it.buf === null) {
        if (!this.dst.destroyed) this.dst.end();
      } else {
        this.queued -= it.buf.length;
        this.write(it.buf);
      }
    }
    if (this.head > 1024 && this.head * 2 > this.q.length) {
      this.q = this.q.slice(this.head);
      this.head = 0;
    }
    this.maybeResume();
    const next = this.q[this.head];
    if (!next) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.timerAt = Infinity;
      return;
    }
    if (this.timer && this.timerAt <= next.at) return;
    clearTimeout(this.timer);
    this.timerAt = next.at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.pump();
      },
      Math.max(0, next.at - now),
    );
  }

  private maybeResume(): void {
    if (this.queued < LOW_WATER && !this.dst.writableNeedDrain && this.src.isPaused() && !this.src.destroyed) this.src.resume();
  }
}
