/**
 * Clock skew with libfaketime, for every runtime: a service started with `clock: true` preloads it and reads its offset from
 * the node's file, re-read once per wall-clock second (FAKETIME_CACHE_DURATION=0, see below), so rewriting
 * the file moves the service's clock within ~1 s with no restart. The machine's clock is never touched.
 */
export function faketimeEnv(lib: string, offsetFile: string): Record<string, string> {
  return {
    LD_PRELOAD: lib,
    FAKETIME_TIMESTAMP_FILE: offsetFile,
    // 0, not 1: libfaketime 0.9.10 re-reads the file once the whole seconds since its last read exceed the
    // duration, so 1 re-reads only every 2 s. Measured in a JVM: 1.1 s offset windows went unseen in 7 of
    // 16 tries with 1, none of 8 with 0 (seen within 0.7 s); the nemesis's ~1 s clock windows were lost.
    // 0 is still a cache (one read per second, not FAKETIME_NO_CACHE's one per call): no throughput cost.
    FAKETIME_CACHE_DURATION: '0',
    // Only matters for "@date" specs (keeps time running across exec); harmless for our "+Ns" offsets.
    FAKETIME_DONT_RESET: '1',
    // A real clock step moves CLOCK_REALTIME only; faking the monotonic clock too would fire timers
    // early or stall them, and hangs some runtimes (the JVM, per libfaketime's README).
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
  };
}

/** libfaketime's offset syntax: "+30s", "-10s", "+0.5s". */
export function offsetText(seconds: number): string {
  if (!Number.isFinite(seconds)) throw new Error(`clock offset must be a finite number of seconds, got ${seconds}`);
  return `${seconds < 0 ? '-' : '+'}${Number(Math.abs(seconds).toFixed(3))}s`;
}
