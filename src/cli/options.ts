import { InvalidArgumentError } from 'commander';

export function parseSeconds(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number of seconds >= 0');
  return n;
}

export function parseMegabytes(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number of megabytes > 0');
  return n;
}

/** A one-line progress display on stderr, only when stderr is a terminal. */
export function progressLine(label: string): { update: (msg: string) => void; clear: () => void } {
  const tty = process.stderr.isTTY === true;
  let shown = false;
  return {
    update: (msg) => {
      if (!tty) return;
      process.stderr.write(`\r\x1b[K${label}: ${msg}`);
      shown = true;
    },
    clear: () => {
      if (shown) process.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}
