/** An error in a history file: always carries where it was found, never a stack trace for users. */
export class HistoryError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
    readonly code: 'unreadable' | 'parse' | 'lint' = 'parse',
  ) {
    super(message);
    this.name = 'HistoryError';
  }
  /** "file:line: message" as compilers print it. */
  override toString(): string {
    return `${this.file}${this.line !== undefined ? `:${this.line}` : ''}: ${this.message}`;
  }
}

/** A problem that does not stop reading (a torn last line), reported to the user. */
export interface HistoryWarning {
  file: string;
  line: number;
  message: string;
}
