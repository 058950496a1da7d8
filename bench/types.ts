/** One benchmark case. The harness runs prepare and run in separate child processes and measures run. */
export interface BenchCase {
  name: string;
  /** Untimed: write inputs (e.g. a generated history) into dir. */
  prepare?(dir: string): Promise<void>;
  /**
   * Timed (wall clock and the process's peak RSS): returns the number of history ops it covered.
   * `rssMB`: the peak RSS of what the case measures when that is another process (a child command);
   * the harness prints it instead of its own.
   */
  run(dir: string): Promise<{ ops: number; note?: string; rssMB?: number }>;
}
