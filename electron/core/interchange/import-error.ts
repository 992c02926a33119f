// A problem in an imported file, named as FILE:LINE: field: reason.
export class ImportError extends Error {
  readonly file: string;
  readonly line: number;
  readonly field: string;
  readonly reason: string;
  constructor(file: string, line: number, field: string, reason: string) {
    super(`${file}:${line}: ${field}: ${reason}`);
    this.file = file;
    this.line = line;
    this.field = field;
    this.reason = reason;
  }
}
