/** The error a source raises when it cannot be opened or read as a whole (the CLI turns it into exit 2). */
export class SourceError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'SourceError';
    this.code = code;
  }
}
