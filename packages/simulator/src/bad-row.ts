import { InvalidInputError } from '@opie/core';

/** A trace row that could not be read, and why. */
export interface BadRow {
  /** The trace file as the user named it. */
  file: string;
  /** 1-based line number. */
  line: number;
  reason: string;
}

/** `file:line: reason`. */
export function formatBadRow(bad: BadRow): string {
  return `${bad.file}:${bad.line}: ${bad.reason}`;
}

/**
 * A trace that cannot be replayed: a missing file, a header without a
 * required column, or (with `strict`) the first bad row, which `badRow` holds.
 */
export class TraceError extends InvalidInputError {
  readonly badRow: BadRow | undefined;

  constructor(file: string, message: string, line?: number) {
    super(`trace file ${file}`, [{ path: line === undefined ? file : `${file}:${line}`, message }]);
    this.name = 'TraceError';
    this.badRow = line === undefined ? undefined : { file, line, reason: message };
  }
}

/** Why one row is bad; the reader adds the file and line. */
export class RowProblem extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RowProblem';
  }
}

/** A problem of the whole trace found while reading a row (a JSONL key mapping); not a bad row. */
export class TraceProblem extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'TraceProblem';
  }
}

/** Keeps the count of bad rows and the first `keep` of them. */
export class BadRowLog {
  count = 0;
  readonly first: BadRow[] = [];

  constructor(readonly keep = 10) {}

  add(bad: BadRow): void {
    this.count += 1;
    if (this.first.length < this.keep) this.first.push(bad);
  }
}
