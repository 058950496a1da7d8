/**
 * The faults a proxy link can carry, all settable at run time. An empty object is a healthy link.
 * There is no netem on our machines, and netem could not touch the client path anyway: these act on
 * the TCP byte stream in userspace, so "latency" is per chunk read, not per packet.
 */
export interface ProxyFaults {
  /** Delay of every chunk, each direction, in ms (order per direction is kept). */
  latencyMs?: number;
  /** Each chunk's delay is latencyMs ± jitterMs (uniform, never below 0). */
  jitterMs?: number;
  /** Cap in bytes per second, each direction (a token bucket with a 50 ms burst). */
  bandwidthBps?: number;
  /** Destroy (RST) every open connection when set. */
  reset?: boolean;
  /** While set, new connections are reset at once (the port still accepts, then drops). */
  refuse?: boolean;
  /** Keep every socket open but drop all data, both directions. */
  halfOpen?: boolean;
  /** Delay the propagation of a FIN (end of stream) by this many ms. */
  slowCloseMs?: number;
}

/** The faults of a link as a plain record for the history and the control protocol. */
export function describeFaults(f: ProxyFaults): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== false && v !== 0) out[k] = v as number | boolean;
  return out;
}
