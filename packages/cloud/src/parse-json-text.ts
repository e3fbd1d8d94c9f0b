import { InvalidInputError } from '@opie/core';
import { findJsonSyntaxError, lineAndColumn } from './json-syntax.js';

/** What V8 says, without the position and the echoed text (we give line and column). */
function reason(message: string): string {
  return message
    .replace(/, (?:\.\.\.)?".*is not valid JSON$/s, '')
    .replace(/\s*in JSON at position \d+.*$/s, '')
    .replace(/\s*\(line \d+ column \d+\)$/, '');
}

/**
 * `JSON.parse` with a located error: a syntax error becomes an
 * `InvalidInputError` (for `source`) whose message gives line and column.
 * A leading byte-order mark is ignored.
 */
export function parseJsonText(text: string, source: string): unknown {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const fromMessage = /position (\d+)/.exec(error.message);
    const offset =
      fromMessage !== null ? Number(fromMessage[1]) : (findJsonSyntaxError(body) ?? body.length);
    const { line, column } = lineAndColumn(body, offset);
    const what = offset >= body.length ? 'unexpected end of the file' : reason(error.message);
    const err = new InvalidInputError(source, [
      { path: '$', message: `JSON syntax error at line ${line}, column ${column}: ${what}` },
    ]);
    Object.defineProperty(err, 'cause', { value: error, enumerable: false });
    throw err;
  }
}
