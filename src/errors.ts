/** A mistake in how faultline was called (a bad flag, an unknown model): exit code 64, no stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Exit codes shared by every command (sysexits.h where it has one). */
export const EXIT = {
  valid: 0,
  invalid: 1,
  unknown: 2,
  usage: 64,
  unreadable: 65,
  internal: 70,
} as const;

/** A run that could not be carried out (a cluster that did not start, a database that failed): exit 70, no stack trace. */
export class RunFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunFailure';
  }
}

/**
 * Input that cannot be read or makes no sense (a missing run directory, a malformed run.json, a
 * store that does not exist): exit 65, a plain message naming the file, no stack trace.
 */
export class InputError extends Error {
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
  override toString(): string {
    return this.file !== undefined ? `${this.file}: ${this.message}` : this.message;
  }
}
